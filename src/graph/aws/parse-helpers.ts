/**
 * Shared pieces of the AWS CLI JSON readers (`parse-environment.ts` and the readers it dispatches
 * to): loose JSON accessors, the read context, and issue reporting (source and JSON pointer, so
 * one bad record is named and skipped, never fatal).
 */
import type { AwsEnvironment } from './types.js';

export type Obj = Record<string, unknown>;
export const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
export const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
/** A list field as an array: absent or null is empty, a lone value (unmerged page) is one item. */
export const arr = (v: unknown): unknown[] =>
  Array.isArray(v) ? v : v === undefined || v === null ? [] : [v];

/** Account id of an ARN (`arn:partition:service:region:account:resource`), '' when absent. */
export function accountOfArn(arn: string): string {
  return arn.split(':')[4] ?? '';
}

export interface ParseCtx {
  env: AwsEnvironment;
  source: string;
  /** SSM ping status per instance id, attached to the EC2 instances once every input is read. */
  ssm: Map<string, boolean>;
  /** User names with a login profile (`aws iam get-login-profile`), resolved to ARNs at the end. */
  logins: Set<string>;
}

export function issue(c: ParseCtx, pointer: string, message: string): void {
  c.env.issues.push({ source: c.source, pointer, message });
}
