/**
 * The level a principal holds on every resource of a service in its account (the scope behind
 * `aws:ACCOUNT:SERVICE:*` edges) and on single resources, for `permission-edges.ts`.
 *
 * Cost control for 100,000 principals: each distinct policy document (the evaluator shares
 * identical ones) is scanned once per service and account with the probe actions of
 * `access-levels.ts`; the result is packed 4 bits per probe, so a principal's identity side is
 * the OR of its policies' numbers, combined with its boundary and the SCPs as the evaluator
 * combines parts. Policies that read principal-dependent keys (tags, user name) are evaluated
 * per principal instead.
 */
import {
  LEVEL_PROBES,
  LEVEL_SERVICES,
  probeArn,
  probeTarget,
  type GrantLevel,
  type LevelProbe,
} from './access-levels.js';
import type { ContextLookup } from './conditions.js';
import {
  ALLOW,
  ALLOW_COND,
  scanPolicies,
  type AwsEvaluator,
  type Code,
  type PrincipalModel,
} from './evaluator.js';
import type { CompiledPolicy, CompiledStatement } from './policy-compiler.js';
import { compileWildcard, isUniversalResource } from './wildcard.js';

/** Statements of one policy that can name an action of `svc`. */
export function svcStatements(pol: CompiledPolicy, svc: string): readonly CompiledStatement[] {
  const own = pol.byService.get(svc);
  return own ? (pol.wild.length ? [...pol.wild, ...own] : own) : pol.wild;
}

/** Keys whose value differs per principal: a policy reading them is scanned per principal. */
const PRINCIPAL_KEY =
  /^aws:(?:principal(?:arn|account|tag\/|type|orgid|orgpaths|servicename)|username|userid)/;

/**
 * What one policy (or the SCP set) says about every resource of a service in one account: the
 * evaluator's scan bits of each probe on the probe ARN, packed 4 bits per probe, so a principal's
 * identity side is the OR of its policies' numbers.
 */
interface PolicyScope {
  readonly packed: number;
  /** A statement reads a principal-dependent key (tags, user name): evaluate per principal. */
  readonly complex: boolean;
  /**
   * A Deny of the service scoped to some resources (or NotResource, variables): resources of the
   * account are not alike, so no scope edge. A Deny on `*` applies to the probe as to every
   * resource and is carried by the bits.
   */
  readonly carve: boolean;
}

function policyScope(set: readonly CompiledPolicy[], svc: string, arn: string): PolicyScope {
  let complex = false;
  const lookup: ContextLookup = (k) => {
    if (PRINCIPAL_KEY.test(k)) {
      complex = true;
      return undefined;
    }
    // Same for every principal (see the evaluator's principal keys).
    if (k === 'aws:securetransport') return 'true';
    if (k === 'aws:principalisawsservice' || k === 'aws:viaawsservice') return 'false';
    return undefined;
  };
  const probes = LEVEL_PROBES[svc]!;
  let packed = 0;
  for (let i = 0; i < probes.length; i++) {
    const pr = probes[i]!;
    packed |= scanPolicies(set, svc, pr.action.toLowerCase(), probeTarget(pr, arn), lookup, null) << (4 * i);
  }
  let carve = false;
  for (const pol of set)
    for (const st of svcStatements(pol, svc))
      if (
        st.deny &&
        st.resources !== null &&
        (st.notResource || !st.resources.every((r) => isUniversalResource(r.raw)))
      )
        carve = true;
  return { packed, complex, carve };
}

/**
 * Per-account caches of policy scopes (one entry per policy object and service) and of which
 * level services each policy can allow at all.
 */
export class ScopeCache {
  private readonly byAccount = new Map<string, Map<object, PolicyEntry>>();
  private lastAccount = '';
  private last: Map<object, PolicyEntry> | null = null;
  private readonly scpKey = {};
  constructor(private readonly ev: AwsEvaluator) {}

  /** The cache entry of one policy (or the SCP set) in one account. */
  entry(account: string, key: object, set: readonly CompiledPolicy[] | null): PolicyEntry {
    let m = this.last;
    if (!m || account !== this.lastAccount) {
      m = this.byAccount.get(account) ?? null;
      if (!m) this.byAccount.set(account, (m = new Map()));
      this.lastAccount = account;
      this.last = m;
    }
    let e = m.get(key);
    if (!e) {
      const pols = set ?? [key as CompiledPolicy];
      let allow = 0;
      let named = 0;
      for (let i = 0; i < LEVEL_SERVICES.length; i++) {
        const svc = LEVEL_SERVICES[i]!;
        for (const pol of pols) {
          if (pol.allowWild || pol.allowServices.has(svc)) allow |= 1 << i;
          if (pol.wild.length > 0 || pol.byService.has(svc)) named |= 1 << i;
        }
      }
      m.set(key, (e = { allow, named, set: pols, account, scopes: [] }));
    }
    return e;
  }

  scp(account: string): PolicyEntry {
    return this.entry(account, this.scpKey, this.ev.scps);
  }
}

/** One policy's cached facts: which services it can allow / names at all, and its scopes. */
export interface PolicyEntry {
  readonly allow: number;
  readonly named: number;
  readonly set: readonly CompiledPolicy[];
  readonly account: string;
  readonly scopes: (PolicyScope | undefined)[];
}

function scopeAt(e: PolicyEntry, si: number): PolicyScope {
  let x = e.scopes[si];
  if (!x) {
    const svc = LEVEL_SERVICES[si]!;
    x = e.scopes[si] = policyScope(e.set, svc, probeArn(svc, e.account, 'scope'));
  }
  return x;
}

const allowCode = (b: number): number => (b & 1 ? ALLOW : b & 2 ? ALLOW_COND : 0);

/** `AwsEvaluator.combine` without a resource grant, on raw bits (no allocation). */
function combineBits(identity: number, boundary: number, scp: number): number {
  const all = identity | boundary | scp;
  if (all & 4) return 3;
  const sc = allowCode(scp);
  const id = allowCode(identity);
  const bd = allowCode(boundary);
  if (sc === 0 || id === 0 || bd === 0) return 0;
  return id === ALLOW && bd === ALLOW && sc === ALLOW && !(all & 8) ? ALLOW : ALLOW_COND;
}

const reasons = new Map<string, string>();
/** Shared reason text of scope edges (one string per action and account, not per edge). */
export function scopeReason(action: string, level: string, svc: string, account: string): string {
  const k = `${action}|${account}`;
  let r = reasons.get(k);
  if (!r) {
    if (reasons.size > 10_000) reasons.clear();
    reasons.set(
      k,
      (r = `${action} (${level}) allowed on every ${svc} resource of ${account} by identity policies`),
    );
  }
  return r;
}

export const ALL_SERVICES = (1 << LEVEL_SERVICES.length) - 1;

export type Level = { level: GrantLevel; code: Code; action: string } | null;

/** Highest probe level allowed on `arn` (probes are ordered highest first). */
export function levelOn(
  ev: AwsEvaluator,
  p: PrincipalModel,
  svc: string,
  arn: string,
  decide: boolean,
  ctx: ContextLookup | null,
  objects: readonly string[] = [],
): Level {
  let cond: Level = null;
  for (const pr of LEVEL_PROBES[svc]!) {
    if (cond && pr.level !== cond.level) break; // a conditional hit: look for an unconditional one at the same level only
    const targets =
      pr.on === 'object' && objects.length ? [probeTarget(pr, arn), ...objects] : [probeTarget(pr, arn)];
    for (const target of targets) {
      const c = decide
        ? ev.decide(p.idx, pr.action, target, ctx)
        : ev.evaluate(p.idx, pr.action, target, ctx);
      if (c === ALLOW)
        return {
          level: pr.level,
          code: ALLOW,
          action: target === targets[0] ? pr.action : `${pr.action} on ${target}`,
        };
      if (c === ALLOW_COND && !cond) cond = { level: pr.level, code: ALLOW_COND, action: pr.action };
    }
  }
  return cond;
}

/**
 * Object ARNs inside `arn` that the principal's statements name (`bucket/uploads/*` ->
 * `bucket/uploads/x`): a grant on part of a bucket is still a grant on the bucket at that level.
 */
export function objectSamples(p: PrincipalModel, svc: string, arn: string): string[] {
  const out: string[] = [];
  const prefix = `${arn}/`;
  for (const pol of p.identity)
    for (const st of svcStatements(pol, svc))
      if (!st.deny && st.resources && !st.notResource)
        for (const r of st.resources)
          if (r.raw.startsWith(prefix) && r.raw.length > prefix.length && out.length < 8)
            out.push(r.raw.replace(/\$\{[^}]*\}/g, 'x').replace(/[*?]/g, 'x'));
  return out;
}

/** Whether an allow statement of `p` for `svc` could name the resource (cheap string match). */
export function mayName(p: PrincipalModel, svc: string, arn: string, all: { v: boolean }): boolean {
  const object = `${arn}/warden-probe-object`;
  for (const pol of p.identity)
    for (const st of svcStatements(pol, svc)) {
      if (st.deny) continue;
      if (st.resources === null || st.notResource) {
        all.v = true;
        return true;
      }
      for (const r of st.resources) {
        const m = r.matcher ?? compileWildcard(r.raw.replace(/\$\{[^}]*\}/g, '*'), false);
        if (m.test(arn) || m.test(object) || r.raw.startsWith(`${arn}/`)) return true;
      }
    }
  return false;
}

/**
 * The level `p`'s identity policies (capped by boundary and SCPs) give on every resource of the
 * service in its account — exactly what `levelOn` would find on the probe ARN, combined from the
 * cached per-policy bits as the evaluator combines parts — or `carve` when a scoped Deny makes
 * resources differ. Principals whose policies read principal-dependent keys are evaluated directly.
 */
export function scopeOf(
  ev: AwsEvaluator,
  p: PrincipalModel,
  si: number,
  entries: readonly PolicyEntry[],
  bd: PolicyEntry | null,
  sc: PolicyEntry | null,
): Level | 'carve' {
  const svc = LEVEL_SERVICES[si]!;
  const bit = 1 << si;
  let id = 0;
  let complex = false;
  let carve = false;
  for (const e of entries) {
    if (!(e.named & bit)) continue; // names no action of the service: adds nothing
    const x = scopeAt(e, si);
    id |= x.packed;
    complex ||= x.complex;
    carve ||= x.carve;
  }
  const b = bd ? scopeAt(bd, si) : null;
  const s = sc ? scopeAt(sc, si) : null;
  if (carve || b?.carve || s?.carve) return 'carve';
  if (complex || b?.complex || s?.complex)
    return levelOn(ev, p, svc, probeArn(svc, p.account, 'scope'), false, null);
  const probes = LEVEL_PROBES[svc]!;
  let cond: Level = null;
  for (let i = 0; i < probes.length; i++) {
    const pr = probes[i]!;
    if (cond && pr.level !== cond.level) break;
    const sh = 4 * i;
    const c = combineBits(
      (id >>> sh) & 15,
      b ? (b.packed >>> sh) & 15 : p.boundaryUnknown ? 2 : 1,
      s ? (s.packed >>> sh) & 15 : 1,
    );
    if (c === ALLOW) return levelObj(pr, ALLOW);
    if (c === ALLOW_COND && !cond) cond = levelObj(pr, ALLOW_COND);
  }
  return cond;
}

const levelObjs = new Map<LevelProbe, Level[]>();
/** Shared (immutable) level results, so 100,000 principals allocate none. */
function levelObj(pr: LevelProbe, code: Code): NonNullable<Level> {
  let l = levelObjs.get(pr);
  if (!l) levelObjs.set(pr, (l = []));
  return (l[code] ??= { level: pr.level, code, action: pr.action })!;
}
