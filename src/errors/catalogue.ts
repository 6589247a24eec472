/**
 * The one catalogue of Warden's errors. A code is stable once released: tools and tests match on
 * it, people read the message. Each entry says how every surface reports it.
 */
export const ERRORS = {
  WARDEN_CONFIG_INVALID: { http: 400, summary: 'The configuration is invalid' },
  WARDEN_CONFIG_UNREADABLE: { http: 500, summary: 'The configuration file cannot be read' },
  WARDEN_USAGE: { http: 400, summary: 'The command was called wrongly' },
  WARDEN_INPUT_UNREADABLE: { http: 400, summary: 'An input file cannot be read' },
  WARDEN_INPUT_UNKNOWN_FORMAT: { http: 415, summary: 'An input file has a format Warden does not recognise' },
  WARDEN_INPUT_INVALID: { http: 422, summary: 'An input file is malformed' },
  WARDEN_NOTHING_RECOGNISED: { http: 422, summary: 'Nothing recognisable was found in the input' },
  WARDEN_NOT_FOUND: { http: 404, summary: 'The named record does not exist' },
  WARDEN_CONFLICT: { http: 409, summary: 'The change conflicts with stored state' },
  WARDEN_STORE_FAILED: { http: 500, summary: 'A store operation failed' },
  WARDEN_STORE_UNREACHABLE: { http: 503, summary: 'The database cannot be reached' },
  WARDEN_MIGRATION_FAILED: { http: 500, summary: 'A database migration failed' },
  WARDEN_RULE_INVALID: { http: 422, summary: 'A detection rule is invalid' },
  WARDEN_REQUEST_EXPIRED: { http: 410, summary: 'The request has expired' },
  WARDEN_INTERNAL: { http: 500, summary: 'An unexpected internal error' },
} as const satisfies Record<string, { http: number; summary: string }>;

export type ErrorCode = keyof typeof ERRORS;
