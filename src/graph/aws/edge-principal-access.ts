/**
 * Technique steps that give a principal another principal's access directly: assuming a role
 * that trusts it, rewriting a role's trust policy, creating an access key or a console password
 * for a user. They give "can become" edges, or one class edge when the grant covers every user or
 * role of the account.
 */
import { ALLOW, ALLOW_COND, AwsEvaluator, NONE, type Code, type PrincipalModel } from './evaluator.js';
import {
  ASSUME_IDX,
  grantOver,
  hasDeny,
  mayAllowAction,
  narrowCandidates,
  policySetMayAllow,
} from './grant-scope.js';
import type { Technique } from './techniques.js';
import { canAssume } from './trust.js';
import { probeArn, type EdgeBuildContext, type TechniqueStep } from './edge-context.js';
import type { AccountIndex } from './edge-indexes.js';
import { targetSet } from './edge-types.js';

/**
 * Roles trusting p's account root that p may assume through its identity policies: one class
 * edge for those whose trust has no condition when p may assume any role, the rest added to
 * `cands` to be checked one by one.
 */
function rootTrustCandidates(
  c: EdgeBuildContext,
  p: PrincipalModel,
  x: AccountIndex,
  ti: number,
  rootRoles: readonly number[],
  cands: Set<number>,
): void {
  const { ev } = c;
  const universal =
    !hasDeny(ev, p, 'sts') && ev.evaluate(p.idx, 'sts:AssumeRole', probeArn(p, 'role')) === ALLOW;
  if (universal) {
    // Roles trusting the account root without conditions: one class edge.
    const key = `assume|${p.account}`;
    let plain = c.classMembers(key);
    if (!plain)
      plain = targetSet(
        rootRoles.filter((r) => !c.out.trust[r]!.policy.statements.some((st) => st.conditions)),
      );
    for (const r of rootRoles) if (!plain.set.has(r)) cands.add(r);
    if (plain.list.length)
      c.addClass(
        key,
        ti,
        plain,
        null,
        p.idx,
        false,
        `sts:AssumeRole allowed on every role; these roles trust account ${p.account}`,
      );
  } else {
    const narrow = narrowCandidates(ev, p, 'sts:AssumeRole', x.roleC);
    if (narrow) for (const i of narrow) cands.add(x.roles[i]!);
    else for (const r of rootRoles) cands.add(r);
  }
}

/** assume-role: roles whose trust policy names p (ARN, unique id, `*`) or p's account root. */
export const assumeRoleEdges: TechniqueStep = (c, p, x, ti) => {
  const { ev } = c;
  const { trustDirect, trustRoot } = c.idx;
  const d1 = trustDirect.get(p.arn);
  const d2 = p.id ? trustDirect.get(p.id) : undefined;
  const d3 = trustDirect.get('*');
  const capOk =
    (!p.boundary || policySetMayAllow([p.boundary], 'sts:assumerole', 'sts')) &&
    (!ev.scpApplies(p) || policySetMayAllow(ev.scps, 'sts:assumerole', 'sts'));
  const rootRoles = c.mask[ASSUME_IDX] && capOk ? (trustRoot.get(p.account) ?? []) : [];
  if (!d1 && !d2 && !d3 && rootRoles.length === 0) return;
  const cands = new Set<number>([...(d1 ?? []), ...(d2 ?? []), ...(d3 ?? [])]);
  if (rootRoles.length) rootTrustCandidates(c, p, x, ti, rootRoles, cands);
  for (const r of cands) {
    const role = c.P[r]!;
    const tr = c.out.trust[r];
    if (!tr) continue;
    const code = canAssume(ev, p, role, tr);
    if (code === ALLOW || code === ALLOW_COND)
      c.addEdge(
        p.idx,
        r,
        ti,
        code,
        `${role.arn} trusts ${p.arn}${code === ALLOW_COND ? ' under conditions' : ''}`,
      );
  }
};

/**
 * Whether the step works on target `u` once p has the grant: ALLOW, NONE, or why it is
 * conditional (a string).
 */
function targetCode(c: EdgeBuildContext, p: PrincipalModel, t: Technique, u: PrincipalModel): Code | string {
  const { ev } = c;
  if (t.mechanism === 'update-trust') {
    // Service-linked roles are protected: IAM rejects UpdateAssumeRolePolicy on them
    // (UnmodifiableEntity). https://docs.aws.amazon.com/IAM/latest/UserGuide/using-service-linked-roles.html
    if ((u.source as { path: string }).path.startsWith('/aws-service-role/')) return NONE;
    const code = AwsEvaluator.combine(ev.parts(p, 'sts:AssumeRole', u.arn, null, null), 1, p.kind === 'user');
    return code === ALLOW
      ? ALLOW
      : code === ALLOW_COND
        ? 'sts:AssumeRole after the trust update is conditional'
        : NONE;
  }
  if (t.mechanism === 'create-access-key') {
    if ((ev.env.accessKeyCounts.get(u.name) ?? 0) < 2) return ALLOW;
    // Two keys is the most a user has; deleting one first frees a slot (pathfinding iam-003).
    const d = ev.evaluate(p.idx, 'iam:DeleteAccessKey', u.arn);
    return d === ALLOW
      ? ALLOW
      : d === ALLOW_COND
        ? `${u.arn} has two access keys and iam:DeleteAccessKey on it is conditional`
        : NONE;
  }
  // Login profiles: known from the credential report or get-login-profile. Unknown (the
  // authorization details do not say) is taken like an unknown key count: the attacker
  // tries, and one of Create/UpdateLoginProfile works whichever the state is.
  const pw = ev.env.passwordEnabled.get(u.arn);
  if (pw === undefined) return ALLOW;
  return (t.mechanism === 'create-login-profile' ? !pw : pw) ? ALLOW : NONE;
}

/** A grant on every user (or role) of the account: one class edge of the targets it works on. */
function credentialClassEdge(
  c: EdgeBuildContext,
  p: PrincipalModel,
  x: AccountIndex,
  ti: number,
  t: Technique,
  isRole: boolean,
): void {
  // Members depend on the caller only for roles (the caller's own sts:AssumeRole) and for
  // access keys when a user already has two (the caller's iam:DeleteAccessKey).
  const perCaller =
    isRole ||
    (t.mechanism === 'create-access-key' &&
      c.fullKeyAccounts().has(p.account) &&
      mayAllowAction(p, 'iam:deleteaccesskey', 'iam'));
  const key = `${t.name}|${p.account}${perCaller ? `|${p.idx}` : ''}`;
  let members = c.classMembers(key);
  let memberCond: Map<number, string> | null = null;
  if (!members) {
    const list: number[] = [];
    memberCond = new Map();
    for (const i of isRole ? x.roles : x.users) {
      if (i === p.idx) continue;
      const v = targetCode(c, p, t, c.P[i]!);
      if (v === NONE) continue;
      list.push(i);
      if (typeof v === 'string') memberCond.set(i, v);
    }
    members = targetSet(list);
  }
  if (members.list.length)
    c.addClass(
      key,
      ti,
      members,
      memberCond && memberCond.size ? memberCond : null,
      p.idx,
      false,
      `${p.arn} can ${t.requires[0]!.action} on every ${isRole ? 'role' : 'user'} of ${p.account}`,
    );
}

/** update-trust, create-access-key, create-login-profile, update-login-profile. */
export const credentialEdges: TechniqueStep = (c, p, x, ti, t) => {
  const first = t.requires[0]!;
  const isRole = t.mechanism === 'update-trust';
  const cands = isRole ? x.roleC : x.userC;
  const selfPos = cands.byArn.get(p.arn) ?? -1;
  const g = grantOver(c.ev, p, first.action, probeArn(p, isRole ? 'role' : 'user'), cands, null, selfPos);
  if (g.universal === NONE && g.hits.length === 0) return;
  if (g.universal !== NONE) {
    credentialClassEdge(c, p, x, ti, t, isRole);
    return;
  }
  const idxs = isRole ? x.roles : x.users;
  for (const [i, code] of g.hits) {
    const target = idxs[i]!;
    const v = targetCode(c, p, t, c.P[target]!);
    if (v === NONE) continue;
    const edgeCode: Code = code === ALLOW && v === ALLOW ? ALLOW : ALLOW_COND;
    c.addEdge(
      p.idx,
      target,
      ti,
      edgeCode,
      `${p.arn} can ${first.action} on ${c.P[target]!.arn}${typeof v === 'string' ? `; ${v}` : ''}`,
    );
  }
};
