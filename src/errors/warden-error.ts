import { ERRORS, type ErrorCode } from './catalogue.js';

/** The one error type: a stable code, a message for people, structured details and the cause. */
export class WardenError extends Error {
  readonly code: ErrorCode;
  readonly details: Readonly<Record<string, unknown>>;

  constructor(
    code: ErrorCode,
    message: string,
    options: { details?: Record<string, unknown>; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'WardenError';
    this.code = code;
    this.details = Object.freeze({ ...(options.details ?? {}) });
  }

  get httpStatus(): number {
    return ERRORS[this.code].http;
  }
}

export function isWardenError(e: unknown, code?: ErrorCode): e is WardenError {
  return e instanceof WardenError && (code === undefined || e.code === code);
}

/** Wraps anything thrown into a WardenError, keeping the original as the cause. */
export function toWardenError(
  e: unknown,
  code: ErrorCode = 'WARDEN_INTERNAL',
  context?: string,
): WardenError {
  if (e instanceof WardenError) return e;
  const msg = e instanceof Error ? e.message : String(e);
  return new WardenError(code, context ? `${context}: ${msg}` : msg, { cause: e });
}

/** CLI exit codes: 0 clean, 1 findings at or above --fail-on, 2 error. */
export const EXIT = { OK: 0, FINDINGS: 1, ERROR: 2 } as const;

/** The CLI's one-line rendering of an error. */
export function formatErrorLine(e: unknown): string {
  const w = toWardenError(e);
  return `warden: error ${w.code}: ${w.message}`;
}

/** The HTTP rendering of an error: status and JSON body. */
export function toHttpError(e: unknown): {
  status: number;
  body: { code: string; message: string; details: unknown };
} {
  const w = toWardenError(e);
  return { status: w.httpStatus, body: { code: w.code, message: w.message, details: w.details } };
}
