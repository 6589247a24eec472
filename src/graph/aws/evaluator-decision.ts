/**
 * The decision core of the evaluator: what one set of policies says about one request, and how
 * the identity policies, the permissions boundary, the SCPs and a resource policy's grant
 * combine, following
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html .
 *
 * Results are codes so the bulk path allocates nothing per decision: 0 implicit deny, 1 allow,
 * 2 allow that depends on request context ("conditional"), 3 explicit deny. A scan of one policy
 * set returns bits (`B_*`) so Allow and Deny, plain or conditional, are kept apart until the
 * parts are combined.
 */
import { evalConditions, type ContextLookup } from './conditions.js';
import {
  statementMatchesAction,
  type CompiledPolicy,
  type CompiledStatement,
  type ResourcePattern,
} from './policy-compiler.js';
import type { PrincipalModel } from './principal-model.js';
import { compileWildcard, isUniversalResource } from './wildcard.js';

export const NONE = 0;
export const ALLOW = 1;
export const ALLOW_COND = 2;
export const DENY = 3;
export type Code = 0 | 1 | 2 | 3;

/** Resource meaning "every resource", used by the administrator-equivalence test. */
export const ANY_RESOURCE = '*';

// Bits returned by a scan of one policy set.
export const B_ALLOW = 1;
export const B_ALLOW_C = 2;
const B_DENY = 4;
const B_DENY_C = 8;

/** Parts of a decision, for callers that combine them with a resource policy (trust). */
export interface DecisionParts {
  identity: number;
  boundary: number;
  scp: number;
}

/** Analysis time, fixed once per process so that every decision of a run agrees. */
const NOW_ISO = new Date().toISOString();
const NOW_EPOCH = String(Math.floor(Date.parse(NOW_ISO) / 1000));

/** Request-context keys the principal itself determines; undefined when it does not. */
export function principalKey(p: PrincipalModel, key: string): string | null | undefined {
  switch (key) {
    case 'aws:principalarn':
      return p.arn;
    case 'aws:principalaccount':
      return p.account;
    case 'aws:username':
      return p.kind === 'user' ? p.name : null;
    case 'aws:userid':
      return p.kind === 'user' ? p.id : undefined;
    case 'aws:principaltype':
      return p.kind === 'user' ? 'User' : 'AssumedRole';
    case 'aws:securetransport':
      return 'true'; // the AWS CLI and SDKs always call over TLS
    // Date keys: the attacker's request is made now. aws:TokenIssueTime is when the temporary
    // credentials were issued, which the caller controls by getting fresh ones (a new role session;
    // sts:GetSessionToken for a user), so it is now as well: `DateGreaterThan` a past date always
    // holds, `DateLessThan` a past date never does (iam-vulnerable fn3 / fp5).
    // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-tokenissuetime
    case 'aws:currenttime':
    case 'aws:tokenissuetime':
      return NOW_ISO;
    case 'aws:epochtime':
      return NOW_EPOCH;
    case 'aws:principalisawsservice':
      return 'false';
    case 'aws:viaawsservice':
      return 'false';
    case 'aws:principalservicename':
      return null;
    default:
      if (key.startsWith('aws:principaltag/')) return p.tags.get(key.slice(17)) ?? null;
      return undefined;
  }
}

const VAR_RX = /\$\{([^}]*)\}/g;

/** Resolves policy variables of a resource pattern for the request; `cond` when one is unknown. */
export function resolvePattern(
  rp: ResourcePattern,
  lookup: ContextLookup,
): { ok: boolean; cond: boolean; test: (v: string) => boolean } {
  if (rp.matcher) return { ok: true, cond: false, test: rp.matcher.test };
  let cond = false;
  let ok = true;
  const text = rp.raw.replace(VAR_RX, (_m, inner: string) => {
    const [keyRaw, def] = inner.split(',').map((x) => x.trim());
    const key = (keyRaw ?? '').toLowerCase();
    if (key === '*' || key === '?' || key === '$') return key;
    const v = lookup(key);
    if (typeof v === 'string') return v;
    if (def !== undefined) return def.replace(/^'|'$/g, '');
    if (v === null)
      ok = false; // known absent: the statement does not match
    else cond = true; // unknown: matches only for some requests
    return '*';
  });
  return { ok, cond, test: compileWildcard(text, false).test };
}

/** 0 no, 1 yes, 2 yes but only if an unknown variable resolves favourably. */
function resourceMatch(st: CompiledStatement, resource: string, lookup: ContextLookup): 0 | 1 | 2 {
  const res = st.resources;
  if (res === null) return 0;
  if (resource === ANY_RESOURCE) {
    if (st.notResource) return st.deny ? 1 : 0;
    for (const r of res) if (isUniversalResource(r.raw)) return 1;
    return 0;
  }
  let hit: 0 | 1 | 2 = 0;
  for (const r of res) {
    const { ok, cond, test } = resolvePattern(r, lookup);
    if (ok && test(resource)) {
      hit = cond ? 2 : 1;
      if (!cond) break;
    }
  }
  if (st.notResource) return hit === 1 ? 0 : hit === 2 ? 2 : 1;
  return hit;
}

/**
 * What a set of policies says about one request, as `B_*` bits. `why`, when given, collects one
 * reason per matching statement (the slow, explaining path of `canDo`).
 */
export function scanPolicies(
  policies: readonly CompiledPolicy[],
  svc: string,
  action: string,
  resource: string,
  lookup: ContextLookup,
  why: string[] | null,
): number {
  let bits = 0;
  let scratch: string[] | null = null;
  for (const pol of policies) {
    const a = pol.byService.get(svc);
    for (let pass = 0; pass < 2; pass++) {
      const list = pass === 0 ? a : pol.wild;
      if (!list) continue;
      for (const st of list) {
        if (!statementMatchesAction(st, action)) continue;
        const rm = resourceMatch(st, resource, lookup);
        if (rm === 0) continue;
        let c: 0 | 1 | 2 = 1;
        if (st.conditions) {
          if (scratch) scratch.length = 0;
          else scratch = [];
          c = evalConditions(st.conditions, lookup, scratch);
        }
        if (c === 0) continue;
        const cond = c === 2 || rm === 2;
        if (st.deny) bits |= cond ? B_DENY_C : B_DENY;
        else bits |= cond ? B_ALLOW_C : B_ALLOW;
        if (why) {
          const verb = st.deny ? 'denied' : 'allowed';
          why.push(
            `${action} on ${resource} ${verb} by ${st.label}${cond ? ` only if: ${scratch?.join('; ') || 'a policy variable resolves favourably'}` : ''}`,
          );
        }
      }
    }
  }
  return bits;
}

const allowBits = (b: number): number => (b & B_ALLOW ? ALLOW : b & B_ALLOW_C ? ALLOW_COND : NONE);

/**
 * Combines parts (and an optional resource-policy grant) into a decision code: an explicit Deny
 * anywhere wins; the SCPs must allow; then either the identity policies and the boundary allow,
 * or the resource policy grants, through the boundary unless `resourceGrantSkipsBoundary` (an
 * implicit deny of an IAM user's boundary does not limit what a same-account resource-based
 * policy grants that user:
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html ).
 */
export function combineDecision(
  pt: DecisionParts,
  resourceGrant = 0,
  resourceGrantSkipsBoundary = false,
): Code {
  const all = pt.identity | pt.boundary | pt.scp | resourceGrant;
  if (all & B_DENY) return DENY;
  const scp = allowBits(pt.scp);
  if (scp === NONE) return NONE;
  const id = allowBits(pt.identity);
  const b = allowBits(pt.boundary);
  const rg = allowBits(resourceGrant);
  let via: number = NONE;
  if (id !== NONE && b !== NONE) via = id === ALLOW && b === ALLOW ? ALLOW : ALLOW_COND;
  if (rg !== NONE) {
    const viaRes = resourceGrantSkipsBoundary
      ? rg
      : b === NONE
        ? NONE
        : rg === ALLOW && b === ALLOW
          ? ALLOW
          : ALLOW_COND;
    if (viaRes === ALLOW || (viaRes === ALLOW_COND && via === NONE)) via = viaRes;
  }
  if (via === NONE) return NONE;
  if (via === ALLOW_COND || scp === ALLOW_COND || all & B_DENY_C) return ALLOW_COND;
  return ALLOW;
}
