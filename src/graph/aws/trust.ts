/**
 * Role trust policies (the resource-based policy of sts:AssumeRole):
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_create_for-user.html
 *
 * - A principal named by ARN (or unique id) in the same account needs no identity-policy allow:
 *   the trust policy grants it directly (an IAM user is then not capped by its boundary; a role is).
 * - The account root (`arn:aws:iam::A:root` or bare `A`) delegates to the account: a principal of
 *   A can assume the role only if its own identity policies allow sts:AssumeRole on it.
 * - Across accounts both sides must allow.
 * - `Service` principals (lambda.amazonaws.com ...) let that service assume the role when a
 *   caller passes it (iam:PassRole); `Federated` principals are OIDC/SAML providers.
 */
import { evalConditions, type ContextLookup } from './conditions.js';
import { compilePolicy, statementMatchesAction, type CompiledPolicy } from './policy-compiler.js';
import { ALLOW, ALLOW_COND, AwsEvaluator, DENY, NONE, type Code, type PrincipalModel } from './evaluator.js';

export interface TrustInfo {
  readonly policy: CompiledPolicy;
  /** Allowing code per trusted service principal (lower-case). */
  readonly services: ReadonlyMap<string, Code>;
  readonly federated: ReadonlyArray<{ provider: string; conditional: boolean; conditions: string }>;
  /** Accounts whose root is trusted (delegation to identity policies). */
  readonly rootAccounts: ReadonlySet<string>;
  /** Principal ARNs / ids named directly. */
  readonly direct: ReadonlySet<string>;
  readonly anyPrincipal: boolean;
}

const ASSUME = 'sts:assumerole';

function rootAccount(p: string): string | null {
  if (/^\d{12}$/.test(p)) return p;
  const m = /^arn:aws[a-z-]*:iam::(\d{12}):root$/.exec(p);
  return m ? m[1]! : null;
}

const trustCache = new Map<string, TrustInfo>();

/** Compiles a trust policy; identical documents of one account (most are) are compiled once. */
export function compileTrust(roleArn: string, account: string, doc: unknown): TrustInfo {
  const key = `${account}\u0000${typeof doc === 'string' ? doc : JSON.stringify(doc ?? null)}`;
  const hit = trustCache.get(key);
  if (hit) return hit;
  if (trustCache.size > 100_000) trustCache.clear();
  const t = compileTrustUncached(account, doc);
  trustCache.set(key, t);
  return t;
}

function compileTrustUncached(account: string, doc: unknown): TrustInfo {
  const policy = compilePolicy(doc ?? { Statement: [] }, 'trust policy');
  const services = new Map<string, Code>();
  const federated: Array<{ provider: string; conditional: boolean; conditions: string }> = [];
  const rootAccounts = new Set<string>();
  const direct = new Set<string>();
  let anyPrincipal = false;
  // Services: the attacker creates the service resource in the role's own account, so
  // aws:SourceAccount is satisfiable; other keys (SourceArn ...) stay unknown (conditional).
  const svcLookup: ContextLookup = (k) =>
    k === 'aws:sourceaccount' ? account : k === 'aws:securetransport' ? 'true' : undefined;
  for (const st of policy.statements) {
    if (st.deny || st.notPrincipal || !st.principal) continue;
    const pr = st.principal;
    if (statementMatchesAction(st, ASSUME)) {
      for (const s of pr.service) {
        const c = evalConditions(st.conditions, svcLookup, []);
        if (c === 0) continue;
        const code: Code = c === 1 ? ALLOW : ALLOW_COND;
        const prev = services.get(s);
        if (prev !== ALLOW) services.set(s, code);
      }
      for (const a of pr.aws) {
        const r = rootAccount(a);
        if (r) rootAccounts.add(r);
        else direct.add(a);
      }
      if (pr.any) anyPrincipal = true;
    }
    if (
      statementMatchesAction(st, 'sts:assumerolewithwebidentity') ||
      statementMatchesAction(st, 'sts:assumerolewithsaml')
    ) {
      for (const f of pr.federated) {
        federated.push({
          provider: f,
          conditional: st.conditions !== null,
          conditions: st.conditions
            ? st.conditions.map((c) => `${c.operator} ${c.key} ${c.values.join('|')}`).join('; ')
            : 'none',
        });
      }
    }
  }
  return { policy, services, federated, rootAccounts, direct, anyPrincipal };
}

/** Trust-policy side for caller `p`: bits-like code of the resource-policy grant, or DENY. */
function trustGrant(
  ev: AwsEvaluator,
  trust: TrustInfo,
  p: PrincipalModel,
  why: string[] | null,
): { code: Code; direct: boolean } {
  const lookup = ev.lookupFor(p, null);
  let best: Code = NONE;
  let direct = false;
  let denyCond = false;
  for (const st of trust.policy.statements) {
    if (!st.principal || !statementMatchesAction(st, ASSUME)) continue;
    const pr = st.principal;
    let matched = false;
    let isDirect = false;
    if (st.notPrincipal) {
      // NotPrincipal in a trust policy is rare and easy to misread: never a justified grant.
      if (!st.deny) {
        why?.push(`${st.label}: NotPrincipal in a trust policy is treated as uncertain`);
        if (best === NONE) best = ALLOW_COND;
      }
      continue;
    }
    if (pr.any || pr.aws.includes(p.arn) || (p.id !== '' && pr.aws.includes(p.id))) {
      matched = true;
      isDirect = true;
    }
    for (const a of pr.aws) if (rootAccount(a) === p.account) matched = true;
    if (!matched) continue;
    const scratch: string[] = [];
    const c = evalConditions(st.conditions, lookup, scratch);
    if (c === 0) continue;
    if (st.deny) {
      if (c === 1) return { code: DENY, direct: false };
      denyCond = true;
      continue;
    }
    const code: Code = c === 1 ? ALLOW : ALLOW_COND;
    if (c === 2) why?.push(`${st.label} trusts ${p.arn} only if: ${scratch.join('; ')}`);
    if (code === ALLOW && (best !== ALLOW || (isDirect && !direct))) {
      best = ALLOW;
      direct = direct || isDirect;
    } else if (best === NONE) {
      best = code;
      direct = isDirect;
    }
  }
  if (denyCond && best === ALLOW) best = ALLOW_COND;
  return { code: best, direct };
}

/**
 * Whether principal `p` can assume role `role` (its trust compiled in `trust`): combines the trust
 * grant with `p`'s identity policies, boundary and SCPs as AWS does.
 */
export function canAssume(
  ev: AwsEvaluator,
  p: PrincipalModel,
  role: PrincipalModel,
  trust: TrustInfo,
  why: string[] | null = null,
): Code {
  if (p.idx === role.idx) return NONE; // a role assuming itself gains nothing
  const tg = trustGrant(ev, trust, p, why);
  if (tg.code === DENY) return DENY;
  if (tg.code === NONE) return NONE;
  if (!ev.mayAllow(p, 'sts') && !(tg.direct && p.account === role.account)) return NONE;
  const parts = ev.parts(p, ASSUME, role.arn, null, why);
  const sameAccount = p.account === role.account;
  if (tg.direct && sameAccount) {
    const bits = tg.code === ALLOW ? 1 : 2; // B_ALLOW / B_ALLOW_C
    return AwsEvaluator.combine(parts, bits, p.kind === 'user');
  }
  // Root delegation or cross account: identity side must allow too.
  const own = AwsEvaluator.combine(parts);
  if (own === DENY || own === NONE) return own;
  return own === ALLOW && tg.code === ALLOW ? ALLOW : ALLOW_COND;
}
