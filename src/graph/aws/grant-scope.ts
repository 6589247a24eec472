/**
 * Which targets a principal's grants reach, cheaply: per-policy masks of the catalogue's actions,
 * candidate narrowing from literal (or self-service `${aws:username}`) resource ARNs, and a probe
 * ARN that detects grants covering every target of a kind. Used by the edge builder.
 */
import type { ContextLookup } from './conditions.js';
import type { AwsEvaluator } from './evaluator.js';
import { ALLOW, ALLOW_COND, DENY, NONE, type Code, type PrincipalModel } from './evaluator.js';
import { statementMatchesAction, type CompiledPolicy, type CompiledStatement } from './policy-compiler.js';
import { AWS_TECHNIQUES } from './techniques.js';
import { compileWildcard, wildcardMatch } from './wildcard.js';

/**
 * Techniques gated by the action masks. `secret-read` is not: it applies only where a secret is
 * known to hold a credential (rare), and masking its services (secretsmanager, kms, named by most
 * application policies) would make the mask of nearly every policy worth computing.
 */
export const MASKED = AWS_TECHNIQUES.map((t) => t.mechanism !== 'secret-read');
// Every distinct action the masked techniques need, and per technique the indexes of its actions.
export const ACTIONS = [
  ...new Set(
    AWS_TECHNIQUES.flatMap((t, i) => (MASKED[i] ? t.requires.map((r) => r.action.toLowerCase()) : [])),
  ),
];
export const ACTION_IDX = new Map(ACTIONS.map((a, i) => [a, i]));
/** Per masked technique, the actions the principal's own policies must name (empty when not masked). */
export const TECH_ACTIONS = AWS_TECHNIQUES.map((t, i) =>
  MASKED[i] ? t.requires.map((r) => ACTION_IDX.get(r.action.toLowerCase())!) : [],
);
export const ASSUME_IDX = ACTION_IDX.get('sts:assumerole')!;
const policyMasks = new WeakMap<CompiledPolicy, Uint8Array>();
const ACTION_SVCS = new Set(ACTIONS.map((a) => a.slice(0, a.indexOf(':'))));
/** Shared mask of a policy that names none of the catalogue's services. */
export const EMPTY_MASK = new Uint8Array(ACTIONS.length);

/** Which catalogue actions some Allow statement of the policy could grant (computed once per policy). */
export function actionMask(pol: CompiledPolicy): Uint8Array {
  let m = policyMasks.get(pol);
  if (m) return m;
  let relevant = pol.allowWild;
  if (!relevant) for (const s of pol.allowServices) if (ACTION_SVCS.has(s)) relevant = true;
  if (!relevant) {
    policyMasks.set(pol, EMPTY_MASK);
    return EMPTY_MASK;
  }
  m = new Uint8Array(ACTIONS.length);
  for (let i = 0; i < ACTIONS.length; i++) {
    const a = ACTIONS[i]!;
    const svc = a.slice(0, a.indexOf(':'));
    const hit = (st: CompiledStatement): boolean => !st.deny && statementMatchesAction(st, a);
    if (pol.wild.some(hit) || (pol.byService.get(svc) ?? []).some(hit)) m[i] = 1;
  }
  policyMasks.set(pol, m);
  return m;
}

export function svcOf(action: string): string {
  const a = action.toLowerCase();
  return a.slice(0, a.indexOf(':'));
}

/** True when any identity/boundary/SCP statement could deny an action of `svc`. */
export function hasDeny(ev: AwsEvaluator, p: PrincipalModel, svc: string): boolean {
  const sets: (readonly CompiledPolicy[])[] = [p.identity];
  if (p.boundary) sets.push([p.boundary]);
  if (ev.scpApplies(p)) sets.push(ev.scps);
  for (const set of sets)
    for (const pol of set) {
      if (pol.wild.some((s) => s.deny)) return true;
      if (pol.byService.get(svc)?.some((s) => s.deny)) return true;
    }
  return false;
}

/** Candidate targets of one kind: ARNs with lookups by full ARN and by resource part. */
export interface Candidates {
  readonly arns: readonly string[];
  readonly byArn: ReadonlyMap<string, number>;
  /** Resource part (after the fifth colon) -> positions; ARN patterns often wildcard only the account. */
  readonly byRes: ReadonlyMap<string, number[]>;
}

export function candidates(arns: string[]): Candidates {
  const byArn = new Map<string, number>();
  const byRes = new Map<string, number[]>();
  arns.forEach((a, i) => {
    byArn.set(a, i);
    const r = resPart(a);
    const l = byRes.get(r);
    if (l) l.push(i);
    else byRes.set(r, [i]);
  });
  return { arns, byArn, byRes };
}

function resPart(arn: string): string {
  let k = -1;
  for (let c = 0; c < 5; c++) {
    k = arn.indexOf(':', k + 1);
    if (k < 0) return arn;
  }
  return arn.slice(k + 1);
}

/**
 * Positions of candidates that some allow statement naming `action` could cover, or null when a
 * statement's resources cannot be narrowed (NotResource, `*`, or an unresolvable policy
 * variable): then every candidate is evaluated. Literal ARNs are looked up; patterns whose
 * resource part is literal use the resource-part index; other patterns are string-matched first,
 * which is much cheaper than a full evaluation.
 */
export function narrowCandidates(
  ev: AwsEvaluator,
  p: PrincipalModel,
  action: string,
  cands: Candidates,
): Set<number> | null {
  const lookup = ev.lookupFor(p, null);
  const a = action.toLowerCase();
  const svc = svcOf(a);
  const out = new Set<number>();
  const scan: string[] = [];
  for (const pol of p.identity) {
    if (pol.wild.some((s) => !s.deny && statementMatchesAction(s, a))) return null;
    for (const st of pol.byService.get(svc) ?? []) {
      if (st.deny || !statementMatchesAction(st, a)) continue;
      if (!st.resources || st.notResource) return null;
      for (const r of st.resources) {
        let text = r.raw;
        if (!r.matcher) {
          let bad = false;
          text = r.raw.replace(/\$\{([^}]*)\}/g, (_m, k: string) => {
            const v = lookup(k.split(',')[0]!.trim().toLowerCase());
            if (typeof v !== 'string') bad = true;
            return typeof v === 'string' ? v : '';
          });
          if (bad) return null;
        }
        if (text === '*') return null;
        const direct = cands.byArn.get(text);
        if (direct !== undefined) {
          out.add(direct);
          continue;
        }
        const rp = resPart(text);
        if (/[*?]/.test(rp)) scan.push(text);
        // Only the prefix (partition, service, region, account) may hold wildcards here.
        else for (const i of cands.byRes.get(rp) ?? []) if (wildcardMatch(text, cands.arns[i]!)) out.add(i);
      }
    }
  }
  if (scan.length) {
    const ms = scan.map((t) => compileWildcard(t, false));
    for (let i = 0; i < cands.arns.length; i++) {
      const arn = cands.arns[i]!;
      for (const m of ms) if (m.test(arn)) out.add(i);
    }
  }
  return out;
}

export interface Grant {
  universal: Code; // NONE when not universal
  hits: Array<[number, Code]>; // candidate position -> code
}

/** Whether any Allow statement of `p` names the action (before resources and conditions). */
export function mayAllowAction(p: PrincipalModel, action: string, svc: string): boolean {
  return policySetMayAllow(p.identity, action, svc);
}

export function policySetMayAllow(set: readonly CompiledPolicy[], action: string, svc: string): boolean {
  for (const pol of set) {
    for (const st of pol.wild) if (!st.deny && statementMatchesAction(st, action)) return true;
    for (const st of pol.byService.get(svc) ?? [])
      if (!st.deny && statementMatchesAction(st, action)) return true;
  }
  return false;
}

/** Which candidates `p` may call `action` on; `ctx` gives extra request keys. */
export function grantOver(
  ev: AwsEvaluator,
  p: PrincipalModel,
  action: string,
  probeArn: string,
  cands: Candidates,
  ctx: ContextLookup | null,
  exclude = -1,
): Grant {
  const svc = svcOf(action);
  const a = action.toLowerCase();
  if (cands.arns.length === 0 || !mayAllowAction(p, a, svc)) return { universal: NONE, hits: [] };
  // A boundary or SCP set that names the action nowhere allows it nowhere.
  if (p.boundary && !policySetMayAllow([p.boundary], a, svc)) return { universal: NONE, hits: [] };
  if (ev.scpApplies(p) && !policySetMayAllow(ev.scps, a, svc)) return { universal: NONE, hits: [] };
  // Literal or self-service grants narrow to a few candidates and cannot be universal.
  const narrow = narrowCandidates(ev, p, action, cands);
  if (!narrow && !hasDeny(ev, p, svc)) {
    const probe = ev.evaluate(p.idx, action, probeArn, ctx);
    if (probe === ALLOW) return { universal: ALLOW, hits: [] };
  }
  const hits: Array<[number, Code]> = [];
  const check = (i: number): void => {
    if (i === exclude) return;
    const c = ev.evaluate(p.idx, action, cands.arns[i]!, ctx);
    if (c === ALLOW || c === ALLOW_COND) hits.push([i, c]);
  };
  if (narrow) for (const i of narrow) check(i);
  else for (let i = 0; i < cands.arns.length; i++) check(i);
  return { universal: NONE, hits };
}

/** All of `actions` on one resource: the weakest code. */
export function allOf(
  ev: AwsEvaluator,
  p: PrincipalModel,
  actions: readonly string[],
  arn: string,
  ctx: ContextLookup | null,
): Code {
  let cond = false;
  for (const a of actions) {
    const c = ev.evaluate(p.idx, a, arn, ctx);
    if (c === NONE || c === DENY) return c;
    if (c === ALLOW_COND) cond = true;
  }
  return cond ? ALLOW_COND : ALLOW;
}
