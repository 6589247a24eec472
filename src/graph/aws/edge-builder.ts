/**
 * Turns the technique catalogue into "can become" and "can empower" edges between principals.
 *
 * Cost control (100,000 principals): techniques are looked at by required action, and a principal
 * whose policies name none of a technique's services is skipped with one set lookup. When a grant
 * covers every target of a kind (checked with a probe ARN, and only when no Deny of that service
 * could carve targets out) the edge is stored once as a class edge ("X can act on every user of
 * account A") instead of one edge per target; the search expands classes lazily.
 *
 * Steps on an existing resource (a function's code, a secret's value and key) are decided with
 * the resource's own policy when the export has one, and principals that only a resource policy
 * names get their edges from a second, resource-driven pass: see `resource-techniques.ts`.
 */
import { ADMIN_POLICY_ARN } from './builtin-policies.js';
import { adminStateOf, policiesAreAdmin } from './admin.js';
import type { ContextLookup } from './conditions.js';
import { ALLOW, ALLOW_COND, AwsEvaluator, DENY, NONE, type Code, type PrincipalModel } from './evaluator.js';
import type { CompiledPolicy } from './policy-compiler.js';
import { AWS_TECHNIQUES, type Technique } from './techniques.js';
import {
  ACTIONS,
  ASSUME_IDX,
  TECH_ACTIONS,
  actionMask,
  EMPTY_MASK,
  allOf,
  candidates,
  grantOver,
  hasDeny,
  MASKED,
  mayAllowAction,
  narrowCandidates,
  policySetMayAllow,
  type Candidates,
} from './grant-scope.js';
import {
  conditionalNote,
  doneKey,
  policyTouches,
  resourceCode,
  resourcePolicyEdges,
  secretEdges,
  secretTargets,
} from './resource-techniques.js';
import { canAssume, compileTrust, type TrustInfo } from './trust.js';
import { createPrincipalCode } from './create-principal.js';
import type { AwsRoleBearingResource } from './types.js';

export interface TargetSet {
  readonly list: readonly number[];
  readonly set: ReadonlySet<number>;
}

export interface ClassEdge {
  readonly tech: number;
  readonly members: TargetSet;
  /** Per-member condition flag (index by position in members.list); null = none conditional. */
  readonly memberCond: ReadonlyMap<number, string> | null;
  readonly sources: number[];
  readonly sourceCond: boolean[];
  readonly reason: string;
}

export interface EmpowerEdge {
  readonly from: number;
  readonly tech: number;
  readonly targets: TargetSet;
  readonly cond: boolean;
  readonly reason: string;
  /** How the target's own state (boundary, denies, missing policies) decides the outcome. */
  readonly mode: 'grant-admin' | 'lift-boundary' | 'set-version' | 'new-principal';
  readonly policyArn?: string;
  readonly versionAdmin?: readonly CompiledPolicy[];
  /** A second step the target then takes itself (joining a group that lets members PutUserPolicy). */
  readonly then?: string;
}

export interface EdgeSet {
  readonly from: number[];
  readonly to: number[];
  readonly tech: number[];
  readonly cond: boolean[];
  readonly reason: string[];
  readonly classes: ClassEdge[];
  readonly empower: EmpowerEdge[];
  readonly adminState: Uint8Array;
  readonly trust: (TrustInfo | null)[];
}

const techIndex = new Map(AWS_TECHNIQUES.map((t, i) => [t.name, i]));
const T = (name: string): number => techIndex.get(name)!;
const ts = (list: number[]): TargetSet => ({ list, set: new Set(list) });

interface AccountIndex {
  users: number[];
  roles: number[];
  userArns: string[];
  roleArns: string[];
  userC: Candidates;
  roleC: Candidates;
  allUsers: TargetSet;
  allRoles: TargetSet;
  groups: Array<{ arn: string; members: number[]; policies: CompiledPolicy[] }>;
  groupC: Candidates;
  groupArns: string[];
}

export function buildEdges(ev: AwsEvaluator): EdgeSet {
  const P = ev.principals;
  const n = P.length;
  const out: EdgeSet = {
    from: [],
    to: [],
    tech: [],
    cond: [],
    reason: [],
    classes: [],
    empower: [],
    adminState: new Uint8Array(n),
    trust: new Array<TrustInfo | null>(n).fill(null),
  };
  for (const p of P) {
    out.adminState[p.idx] = adminStateOf(ev, p);
    if (p.kind === 'role')
      out.trust[p.idx] = compileTrust(p.arn, p.account, (p.source as { trustPolicy: unknown }).trustPolicy);
  }
  // Per-account indexes.
  const acct = new Map<string, AccountIndex>();
  const A = (a: string): AccountIndex => {
    let x = acct.get(a);
    if (!x) {
      x = {
        users: [],
        roles: [],
        userArns: [],
        roleArns: [],
        userC: candidates([]),
        roleC: candidates([]),
        allUsers: ts([]),
        allRoles: ts([]),
        groups: [],
        groupC: candidates([]),
        groupArns: [],
      };
      acct.set(a, x);
    }
    return x;
  };
  for (const p of P) {
    const x = A(p.account);
    if (p.kind === 'user') {
      x.users.push(p.idx);
      x.userArns.push(p.arn);
    } else {
      x.roles.push(p.idx);
      x.roleArns.push(p.arn);
    }
  }
  for (const x of acct.values()) {
    (x as { allUsers: TargetSet }).allUsers = ts(x.users);
    (x as { allRoles: TargetSet }).allRoles = ts(x.roles);
  }
  for (const g of ev.groups.values()) {
    const x = A(g.account);
    const pols = [
      ...g.policies,
      ...g.attached.flatMap((a) => {
        const c = ev.managedPolicy(a);
        return c ? [c] : [];
      }),
    ];
    x.groups.push({ arn: g.arn, members: g.members, policies: pols });
    x.groupArns.push(g.arn);
  }
  for (const x of acct.values()) {
    x.userC = candidates(x.userArns);
    x.roleC = candidates(x.roleArns);
    x.groupC = candidates(x.groupArns);
  }
  // Holders of each managed policy (directly or through a group).
  const holders = new Map<string, number[]>();
  for (const p of P)
    for (const a of new Set(p.attached)) (holders.get(a) ?? holders.set(a, []).get(a)!).push(p.idx);
  const policiesByAccount = new Map<string, { arns: string[]; c?: Candidates }>();
  for (const [arn, m] of ev.managed) {
    if (m.source.awsManaged || !holders.has(arn)) continue;
    const a = arn.split(':')[4] ?? '';
    const e = policiesByAccount.get(a) ?? policiesByAccount.set(a, { arns: [] }).get(a)!;
    e.arns.push(arn);
  }
  // Roles trusting each service, per account.
  const serviceRoles = new Map<string, { list: number[]; cond: Map<number, string> }>();
  for (const p of P) {
    const t = out.trust[p.idx];
    if (!t) continue;
    for (const [svc, code] of t.services) {
      const k = `${p.account}|${svc}`;
      const e = serviceRoles.get(k) ?? serviceRoles.set(k, { list: [], cond: new Map() }).get(k)!;
      e.list.push(p.idx);
      if (code === ALLOW_COND)
        e.cond.set(p.idx, `trust policy of ${p.arn} lets ${svc} assume it only under conditions`);
    }
  }
  // Roles reachable by trust: named directly, any principal, or an account root.
  const trustDirect = new Map<string, number[]>();
  const trustRoot = new Map<string, number[]>();
  for (const p of P) {
    const t = out.trust[p.idx];
    if (!t) continue;
    for (const d of t.direct) (trustDirect.get(d) ?? trustDirect.set(d, []).get(d)!).push(p.idx);
    if (t.anyPrincipal) (trustDirect.get('*') ?? trustDirect.set('*', []).get('*')!).push(p.idx);
    for (const r of t.rootAccounts) (trustRoot.get(r) ?? trustRoot.set(r, []).get(r)!).push(p.idx);
  }
  // Role-bearing resources by type and account.
  const resources = new Map<string, { res: AwsRoleBearingResource[]; arns: string[]; c?: Candidates }>();
  const ssmKnown = ev.env.resources.some((r) => r.type === 'ec2-instance' && r.ssmOnline);
  for (const r of ev.env.resources) {
    if (!r.roleArn || !ev.roleIdxByArn.has(r.roleArn)) continue;
    const k = `${r.type}|${r.account ?? ev.principals[ev.roleIdxByArn.get(r.roleArn)!]!.account}`;
    const e = resources.get(k) ?? resources.set(k, { res: [], arns: [] }).get(k)!;
    e.res.push(r);
    e.arns.push(r.arn);
  }

  const classes = new Map<string, ClassEdge>();
  const addClass = (
    key: string,
    tech: number,
    members: TargetSet,
    memberCond: ReadonlyMap<number, string> | null,
    src: number,
    cond: boolean,
    reason: string,
  ): void => {
    let c = classes.get(key);
    if (!c) {
      c = { tech, members, memberCond, sources: [], sourceCond: [], reason };
      classes.set(key, c);
      out.classes.push(c);
    }
    c.sources.push(src);
    c.sourceCond.push(cond);
  };
  /** For a conditional step: the request conditions it depends on, read back from the evaluator. */
  const explain = (p: PrincipalModel, t: Technique, arn: string): string => {
    const why: string[] = [];
    for (const r of t.requires) {
      const res = r.on === 'new' ? t.newResource!.replace('{account}', p.account) : arn;
      const ctx: ContextLookup = (k) =>
        k === 'iam:passedtoservice'
          ? (t.trusts ?? undefined)
          : k === 'iam:policyarn'
            ? ADMIN_POLICY_ARN
            : undefined;
      if (r.on === 'key') continue; // the secret's key: explained where it is decided
      // Resource steps go through the resource's own policy too (see resource-techniques.ts).
      if (r.on === 'resource') ev.decide(p.idx, r.action, res, ctx, why);
      else ev.evaluate(p.idx, r.action, res, ctx, why);
    }
    if (t.mechanism === 'assume-role') {
      const ri = ev.roleIdxByArn.get(arn);
      if (ri !== undefined && out.trust[ri]) canAssume(ev, p, P[ri]!, out.trust[ri]!, why);
    }
    const conds = [...new Set(why.filter((w) => w.includes(' only if') || w.includes('NotPrincipal')))];
    return conds.length ? ` [conditional: ${conds.join('; ')}]` : '';
  };
  const addEdge = (from: number, to: number, tech: number, code: Code, reason: string): void => {
    if (from === to) return;
    if (code !== ALLOW) reason += explain(P[from]!, AWS_TECHNIQUES[tech]!, P[to]!.arn);
    out.from.push(from);
    out.to.push(to);
    out.tech.push(tech);
    out.cond.push(code !== ALLOW);
    out.reason.push(reason);
  };
  const pushEmpower = (e: EmpowerEdge, targetArn: string): void => {
    out.empower.push(
      e.cond ? { ...e, reason: e.reason + explain(P[e.from]!, AWS_TECHNIQUES[e.tech]!, targetArn) } : e,
    );
  };
  // Resource-policy aware steps: targets decided by the identity-driven pass, secrets with holders.
  const done = new Set<string>();
  const secrets = secretTargets(ev);
  const pushEdge = (from: number, to: number, tech: number, code: Code, reason: string): void => {
    if (from === to) return;
    out.from.push(from);
    out.to.push(to);
    out.tech.push(tech);
    out.cond.push(code !== ALLOW);
    out.reason.push(reason);
  };
  let fullKeys: Set<string> | null = null;
  /** Accounts with a user that already has two access keys. */
  const fullKeyAccounts = (): Set<string> => {
    if (!fullKeys) {
      fullKeys = new Set();
      for (const q of P)
        if (q.kind === 'user' && (ev.env.accessKeyCounts.get(q.name) ?? 0) >= 2) fullKeys.add(q.account);
    }
    return fullKeys;
  };
  const adminCache = new Map<string, 0 | 1 | 2>();
  const mask = new Uint8Array(ACTIONS.length);
  const passCands = new Map<string, Candidates>();
  const groupAdmin = (x: AccountIndex, gi: number): 0 | 1 | 2 => {
    const g = x.groups[gi]!;
    const hit = adminCache.get(g.arn);
    if (hit !== undefined) return hit;
    const v = P.length ? policiesAreAdmin(ev, P[0]!, g.policies) : 0;
    adminCache.set(g.arn, v);
    return v;
  };
  const adminCtx: ContextLookup = (k) => (k === 'iam:policyarn' ? ADMIN_POLICY_ARN : undefined);
  const adminPolicyCache = new Map<string, string[]>();
  /** Administrator-equivalent managed policies an account can attach, besides AdministratorAccess. */
  const adminPolicies = (account: string): string[] => {
    let list = adminPolicyCache.get(account);
    if (!list) {
      list = [];
      for (const [arn, m] of ev.managed) {
        const owner = arn.split(':')[4];
        if (arn === ADMIN_POLICY_ARN || (owner !== 'aws' && owner !== account)) continue;
        if (P[0] && policiesAreAdmin(ev, P[0], [m.compiled]) === 1) list.push(arn);
        if (list.length >= 5) break;
      }
      adminPolicyCache.set(account, list);
    }
    return list;
  };
  const groupEsc = new Map<string, string | null>();
  /** The self-escalation a member of a group can make with the group's policies alone, if any. */
  const groupSelfEscalation = (x: AccountIndex, gi: number, tmpl: PrincipalModel): string | null => {
    const g = x.groups[gi]!;
    const hit = groupEsc.get(g.arn);
    if (hit !== undefined) return hit;
    const q: PrincipalModel = {
      ...tmpl,
      identity: g.policies,
      boundary: null,
      boundaryUnknown: false,
      allowWild: g.policies.some((c) => c.allowWild),
    };
    const member = `arn:aws:iam::${tmpl.account}:user/warden-probe-member`;
    const ok = (a: string, r: string, ctx: ContextLookup | null): boolean =>
      AwsEvaluator.combine(ev.parts(q, a, r, ctx, null)) === ALLOW;
    const then = ok('iam:PutUserPolicy', member, null)
      ? 'PutUserPolicy'
      : ok('iam:AttachUserPolicy', member, adminCtx)
        ? 'AttachUserPolicy'
        : ok('iam:PutGroupPolicy', g.arn, null)
          ? 'PutGroupPolicy'
          : ok('iam:AttachGroupPolicy', g.arn, adminCtx)
            ? 'AttachGroupPolicy'
            : null;
    groupEsc.set(g.arn, then);
    return then;
  };

  for (const p of P) {
    const x = A(p.account);
    // An administrator already holds everything: its technique edges add nothing to the search,
    // and the graph gets its `has-permission admin` edge instead (it is also where most edges
    // would come from: an administrator can act on every principal and policy).
    if (out.adminState[p.idx] === 1) continue;
    const probe = (kind: string): string => `arn:aws:iam::${p.account}:${kind}/warden-probe-${p.idx}`;
    // Union of the policies' action masks: a technique is looked at only if every action it
    // needs is named by some Allow statement of the principal (assume-role also works through a
    // trust policy that names the principal, so it is always looked at).
    let anyMask = false;
    for (const pol of p.identity) {
      const pm = actionMask(pol);
      if (pm === EMPTY_MASK) continue;
      if (!anyMask) mask.fill(0);
      anyMask = true;
      for (let i = 0; i < pm.length; i++) mask[i]! |= pm[i]!;
    }
    if (!anyMask) mask.fill(0);
    for (let ti = 0; ti < AWS_TECHNIQUES.length; ti++) {
      const t: Technique = AWS_TECHNIQUES[ti]!;
      const first = t.requires[0]!;
      if (
        t.mechanism !== 'assume-role' &&
        MASKED[ti] &&
        (!anyMask || !TECH_ACTIONS[ti]!.every((ai) => mask[ai] === 1))
      )
        continue;
      switch (t.mechanism) {
        case 'policy-write':
        case 'boundary-removal': {
          const mode = t.mechanism === 'policy-write' ? 'grant-admin' : 'lift-boundary';
          const attach = first.action.toLowerCase().includes('attach');
          const ctx = attach ? adminCtx : null;
          /** Attach grants may name the policy (iam:PolicyARN): any administrator policy will do. */
          const over = (probeArn: string, c: Candidates): ReturnType<typeof grantOver> => {
            const g0 = grantOver(ev, p, first.action, probeArn, c, ctx);
            if (!attach || g0.universal !== NONE || g0.hits.length) return g0;
            for (const alt of adminPolicies(p.account)) {
              const g1 = grantOver(ev, p, first.action, probeArn, c, (k) =>
                k === 'iam:policyarn' ? alt : undefined,
              );
              if (g1.universal !== NONE || g1.hits.length) return g1;
            }
            return g0;
          };
          if (t.targetKind === 'group') {
            const g = over(probe('group'), x.groupC);
            const members =
              g.universal !== NONE
                ? x.groups.flatMap((gr) => gr.members)
                : g.hits.flatMap(([i]) => x.groups[i]!.members);
            if (members.length === 0) break;
            const cond = g.universal === NONE && g.hits.every(([, c]) => c !== ALLOW);
            pushEmpower(
              {
                from: p.idx,
                tech: ti,
                targets: ts([...new Set(members)]),
                cond,
                mode,
                reason: `${p.arn} can ${first.action} on ${g.universal !== NONE ? 'every group' : g.hits.map(([i]) => x.groupArns[i]).join(', ')}`,
              },
              g.hits.length ? x.groupArns[g.hits[0]![0]]! : '*',
            );
            break;
          }
          const isUser = t.targetKind === 'user';
          const arns = isUser ? x.userArns : x.roleArns;
          const g = over(probe(isUser ? 'user' : 'role'), isUser ? x.userC : x.roleC);
          if (g.universal !== NONE) {
            out.empower.push({
              from: p.idx,
              tech: ti,
              targets: isUser ? x.allUsers : x.allRoles,
              cond: false,
              mode,
              reason: `${p.arn} can ${first.action} on every ${t.targetKind} of ${p.account}`,
            });
          } else if (g.hits.length) {
            const idxs = isUser ? x.users : x.roles;
            for (const [i, c] of g.hits)
              pushEmpower(
                {
                  from: p.idx,
                  tech: ti,
                  targets: ts([idxs[i]!]),
                  cond: c !== ALLOW,
                  mode,
                  reason: `${p.arn} can ${first.action} on ${arns[i]}`,
                },
                arns[i]!,
              );
          }
          break;
        }
        case 'policy-version-create':
        case 'policy-version-set-default': {
          const pa = policiesByAccount.get(p.account);
          if (!pa) break;
          const g = grantOver(
            ev,
            p,
            first.action,
            `arn:aws:iam::${p.account}:policy/warden-probe-${p.idx}`,
            (pa.c ??= candidates(pa.arns)),
            null,
          );
          const positions =
            g.universal !== NONE ? pa.arns.map((_, i) => [i, g.universal] as [number, Code]) : g.hits;
          for (const [i, c0] of positions) {
            const arn = pa.arns[i]!;
            const m = ev.managed.get(arn)!;
            let c: Code = c0;
            let versionAdmin: CompiledPolicy[] | undefined;
            if (t.mechanism === 'policy-version-create') {
              if (m.source.versions.length >= 5) {
                const d = ev.evaluate(p.idx, 'iam:DeletePolicyVersion', arn);
                if (d === NONE || d === DENY) continue; // 5 versions and no way to delete one
                if (d === ALLOW_COND) c = ALLOW_COND;
              }
            } else {
              const best = [...m.versions.entries()].find(
                ([vid, cp]) =>
                  vid !== m.source.defaultVersionId && P[0] && policiesAreAdmin(ev, P[0], [cp]) === 1,
              );
              if (!best) continue;
              versionAdmin = [best[1]];
            }
            const targets = holders.get(arn) ?? [];
            if (!targets.length) continue;
            const base = {
              from: p.idx,
              tech: ti,
              targets: ts(targets),
              cond: c !== ALLOW,
              mode:
                t.mechanism === 'policy-version-create' ? ('grant-admin' as const) : ('set-version' as const),
              policyArn: arn,
              reason: `${p.arn} can ${first.action} on ${arn}${m.source.versions.length >= 5 && t.mechanism === 'policy-version-create' ? ' (5 versions: also iam:DeletePolicyVersion)' : ''}`,
            };
            pushEmpower(versionAdmin ? { ...base, versionAdmin } : base, arn);
          }
          break;
        }
        case 'add-user-to-group': {
          const g = grantOver(ev, p, first.action, probe('group'), x.groupC, null);
          const positions =
            g.universal !== NONE ? x.groups.map((_, i) => [i, g.universal] as [number, Code]) : g.hits;
          let found = false;
          for (const [i, c] of positions) {
            const adm = groupAdmin(x, i);
            if (adm === 0) continue;
            found = true;
            pushEmpower(
              {
                from: p.idx,
                tech: ti,
                targets: x.allUsers,
                cond: c !== ALLOW || adm !== 1,
                mode: 'grant-admin',
                reason: `${p.arn} can add users to ${x.groupArns[i]}, which is administrator-equivalent`,
              },
              x.groupArns[i]!,
            );
            break;
          }
          // No administrator group: one whose policies let a member rewrite its own permissions
          // (iam-vulnerable's privesc-sre-group grants iam:*) is two steps away.
          for (const [i, c] of found ? [] : positions) {
            const then = groupSelfEscalation(x, i, p);
            if (!then) continue;
            pushEmpower(
              {
                from: p.idx,
                tech: ti,
                targets: x.allUsers,
                cond: c !== ALLOW,
                mode: 'grant-admin',
                then,
                reason: `${p.arn} can add users to ${x.groupArns[i]}, whose policies let a member ${then}`,
              },
              x.groupArns[i]!,
            );
            break;
          }
          break;
        }
        case 'assume-role': {
          const d1 = trustDirect.get(p.arn);
          const d2 = p.id ? trustDirect.get(p.id) : undefined;
          const d3 = trustDirect.get('*');
          const capOk =
            (!p.boundary || policySetMayAllow([p.boundary], 'sts:assumerole', 'sts')) &&
            (!ev.scpApplies(p) || policySetMayAllow(ev.scps, 'sts:assumerole', 'sts'));
          const rootRoles = mask[ASSUME_IDX] && capOk ? (trustRoot.get(p.account) ?? []) : [];
          if (!d1 && !d2 && !d3 && rootRoles.length === 0) break;
          const cands = new Set<number>([...(d1 ?? []), ...(d2 ?? []), ...(d3 ?? [])]);
          if (rootRoles.length) {
            const universal =
              !hasDeny(ev, p, 'sts') && ev.evaluate(p.idx, 'sts:AssumeRole', probe('role')) === ALLOW;
            if (universal) {
              // Roles trusting the account root without conditions: one class edge.
              const key = `assume|${p.account}`;
              let plain = classes.get(key)?.members;
              if (!plain)
                plain = ts(
                  rootRoles.filter((r) => !out.trust[r]!.policy.statements.some((st) => st.conditions)),
                );
              for (const r of rootRoles) if (!plain.set.has(r)) cands.add(r);
              if (plain.list.length)
                addClass(
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
          for (const r of cands) {
            const role = P[r]!;
            const tr = out.trust[r];
            if (!tr) continue;
            const c = canAssume(ev, p, role, tr);
            if (c === ALLOW || c === ALLOW_COND)
              addEdge(
                p.idx,
                r,
                ti,
                c,
                `${role.arn} trusts ${p.arn}${c === ALLOW_COND ? ' under conditions' : ''}`,
              );
          }
          break;
        }
        case 'update-trust':
        case 'create-access-key':
        case 'create-login-profile':
        case 'update-login-profile': {
          const isRole = t.mechanism === 'update-trust';
          const selfPos = (isRole ? x.roleC : x.userC).byArn.get(p.arn) ?? -1;
          const g = grantOver(
            ev,
            p,
            first.action,
            probe(isRole ? 'role' : 'user'),
            isRole ? x.roleC : x.userC,
            null,
            selfPos,
          );
          if (g.universal === NONE && g.hits.length === 0) break;
          const idxs = isRole ? x.roles : x.users;
          const targetCond = (ti2: number): Code | string => {
            const u = P[ti2]!;
            if (t.mechanism === 'update-trust') {
              // Service-linked roles are protected: IAM rejects UpdateAssumeRolePolicy on them
              // (UnmodifiableEntity). https://docs.aws.amazon.com/IAM/latest/UserGuide/using-service-linked-roles.html
              if ((u.source as { path: string }).path.startsWith('/aws-service-role/')) return NONE;
              const c = AwsEvaluator.combine(
                ev.parts(p, 'sts:AssumeRole', u.arn, null, null),
                1,
                p.kind === 'user',
              );
              return c === ALLOW
                ? ALLOW
                : c === ALLOW_COND
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
          };
          if (g.universal !== NONE) {
            // Members depend on the caller only for roles (the caller's own sts:AssumeRole) and for
            // access keys when a user already has two (the caller's iam:DeleteAccessKey).
            const perCaller =
              isRole ||
              (t.mechanism === 'create-access-key' &&
                fullKeyAccounts().has(p.account) &&
                mayAllowAction(p, 'iam:deleteaccesskey', 'iam'));
            const key = `${t.name}|${p.account}${perCaller ? `|${p.idx}` : ''}`;
            let members = classes.get(key)?.members;
            let memberCond: Map<number, string> | null = null;
            if (!members) {
              const list: number[] = [];
              memberCond = new Map();
              for (const i of idxs) {
                if (i === p.idx) continue;
                const v = targetCond(i);
                if (v === NONE) continue;
                list.push(i);
                if (typeof v === 'string') memberCond.set(i, v);
              }
              members = ts(list);
            }
            if (members.list.length)
              addClass(
                key,
                ti,
                members,
                memberCond && memberCond.size ? memberCond : null,
                p.idx,
                false,
                `${p.arn} can ${first.action} on every ${isRole ? 'role' : 'user'} of ${p.account}`,
              );
          } else {
            for (const [i, c] of g.hits) {
              const target = idxs[i]!;
              const v = targetCond(target);
              if (v === NONE) continue;
              const code: Code = c === ALLOW && v === ALLOW ? ALLOW : ALLOW_COND;
              addEdge(
                p.idx,
                target,
                ti,
                code,
                `${p.arn} can ${first.action} on ${P[target]!.arn}${typeof v === 'string' ? `; ${v}` : ''}`,
              );
            }
          }
          break;
        }
        case 'create-principal': {
          const kind = t.targetKind === 'role' ? 'role' : 'user';
          const groups = kind === 'user' ? x.groupArns.filter((_, i) => groupAdmin(x, i) === 1) : [];
          const r = createPrincipalCode(ev, p, kind, first.action, groups, adminCtx);
          if (r.code !== ALLOW && r.code !== ALLOW_COND) break;
          pushEmpower(
            {
              from: p.idx,
              tech: ti,
              targets: ts([p.idx]),
              cond: r.code !== ALLOW,
              mode: 'new-principal',
              reason: `${p.arn} can create ${r.arn}, make it administrator and use it${r.code === ALLOW ? '' : conditionalNote(r.why)}`,
            },
            r.arn,
          );
          break;
        }
        case 'passrole-new': {
          const svc = t.trusts!;
          const sr = serviceRoles.get(`${p.account}|${svc}`);
          if (!sr) break;
          const newArn = t
            .newResource!.replace('{account}', p.account)
            .replace(/^(arn:aws:[^:]+:)\*/, '$1us-east-1')
            .replace(/\*$/, `warden-probe-${p.idx}`);
          const news = t.requires.filter((r) => r.on === 'new').map((r) => r.action);
          const nc = allOf(ev, p, news, newArn, null);
          if (nc !== ALLOW && nc !== ALLOW_COND) break;
          let roles = sr.list;
          if (t.instanceProfile)
            roles = roles.filter(
              (r) =>
                (P[r]!.source as { instanceProfileArns: readonly string[] }).instanceProfileArns.length > 0,
            );
          if (!roles.length) break;
          const ck = `${t.name}|${p.account}`;
          let rc = passCands.get(ck);
          if (!rc) passCands.set(ck, (rc = candidates(roles.map((r) => P[r]!.arn))));
          const ctx: ContextLookup = (k) => (k === 'iam:passedtoservice' ? svc : undefined);
          const g = grantOver(ev, p, 'iam:PassRole', probe('role'), rc, ctx);
          const why = `${p.arn} can ${news.join(' + ')} and iam:PassRole to ${svc}`;
          if (g.universal !== NONE && nc === ALLOW) {
            addClass(
              `${t.name}|${p.account}`,
              ti,
              ts(roles),
              sr.cond.size ? sr.cond : null,
              p.idx,
              false,
              why,
            );
          } else {
            const hits =
              g.universal !== NONE ? roles.map((_, i) => [i, g.universal] as [number, Code]) : g.hits;
            for (const [i, c] of hits) {
              const r = roles[i]!;
              const code: Code = c === ALLOW && nc === ALLOW && !sr.cond.has(r) ? ALLOW : ALLOW_COND;
              addEdge(
                p.idx,
                r,
                ti,
                code,
                `${why}; ${P[r]!.arn} trusts ${svc}${sr.cond.has(r) ? ' under conditions' : ''}`,
              );
            }
          }
          break;
        }
        case 'existing-resource': {
          const rs = resources.get(`${t.resourceType}|${p.account}`);
          if (!rs) break;
          const onRes = t.requires.filter((r) => r.on === 'resource').map((r) => r.action);
          const a0 = rs.arns[0]!;
          const cut = Math.max(a0.lastIndexOf(':'), a0.lastIndexOf('/')) + 1;
          const g = grantOver(
            ev,
            p,
            onRes[0]!,
            `${a0.slice(0, cut)}warden-probe-${p.idx}`,
            (rs.c ??= candidates(rs.arns)),
            null,
          );
          const hits =
            g.universal !== NONE ? rs.arns.map((_, i) => [i, g.universal] as [number, Code]) : g.hits;
          const overridden = new Set<number>();
          for (const [i, c0] of hits) {
            const res = rs.res[i]!;
            const role = ev.roleIdxByArn.get(res.roleArn!)!;
            let c: Code = c0;
            const notes: string[] = [];
            const rp = ev.resourcePolicies.find(res.arn);
            if (rp && policyTouches(ev, rp, onRes, p.idx)) {
              // The resource's own policy may deny (or condition) what the identity allows.
              done.add(doneKey(p.idx, ti, res.arn));
              c = resourceCode(ev, p.idx, onRes, res.arn, null);
              if (c === NONE || c === DENY) continue;
            } else if (onRes.length > 1) {
              const c2 = allOf(ev, p, onRes.slice(1), res.arn, null);
              if (c2 === NONE || c2 === DENY) continue;
              if (c2 === ALLOW_COND) c = ALLOW_COND;
            }
            if (t.requires.some((r) => r.on === 'passed-role')) {
              const svcCtx: ContextLookup = (k) =>
                k === 'iam:passedtoservice' ? (t.trusts ?? null) : undefined;
              if (t.overrideRole && t.trusts) {
                // The run overrides the task role: any role trusting the service that the caller
                // can pass is reached, not only the definition's own (pathfinding ecs-008/009).
                const sr = serviceRoles.get(`${p.account}|${t.trusts}`);
                for (const r of new Set([role, ...(sr?.list ?? [])])) {
                  if (overridden.has(r)) continue;
                  const c3 = ev.evaluate(p.idx, 'iam:PassRole', P[r]!.arn, svcCtx);
                  if (c3 === NONE || c3 === DENY) continue;
                  overridden.add(r);
                  const code: Code = c === ALLOW && c3 === ALLOW && !sr?.cond.has(r) ? ALLOW : ALLOW_COND;
                  addEdge(
                    p.idx,
                    r,
                    ti,
                    code,
                    `${p.arn} can ${onRes.join(' + ')} on ${res.arn} with its task role overridden by ${P[r]!.arn} (iam:PassRole)`,
                  );
                }
                continue;
              }
              const c3 = ev.evaluate(p.idx, 'iam:PassRole', res.roleArn!, svcCtx);
              if (c3 === NONE || c3 === DENY) continue;
              if (c3 === ALLOW_COND) c = ALLOW_COND;
            }
            if (t.instanceNeeds === 'ssm-online') {
              if (!ssmKnown) {
                c = ALLOW_COND;
                notes.push('SSM status of the instance unknown (no ssm describe-instance-information)');
              } else if (!res.ssmOnline) continue;
            }
            // EC2 Instance Connect pushes a key for 60 s, then the attacker connects over SSH: an
            // instance with a public IPv4 address is reachable (security groups are not modelled);
            // one without needs a path into its VPC.
            // https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/ec2-instance-connect-methods.html
            if (t.instanceNeeds === 'network' && !res.publicIp) {
              c = ALLOW_COND;
              notes.push('no public IP address: reachable over SSH only from inside its network');
            }
            if (
              res.type === 'ec2-instance' &&
              res.state &&
              res.state !== 'running' &&
              t.name !== 'ModifyInstanceAttributeUserData'
            )
              continue;
            addEdge(
              p.idx,
              role,
              ti,
              notes.length && c === ALLOW_COND ? ALLOW : c,
              `${p.arn} can ${onRes.join(' + ')} on ${res.arn}, which runs as ${res.roleArn}${c === ALLOW_COND && !notes.length ? explain(p, t, res.arn) : ''}${notes.length ? '; ' + notes.join('; ') : ''}`,
            );
            if (notes.length) out.cond[out.cond.length - 1] = true;
          }
          break;
        }
        case 'secret-read': {
          const list = secrets.get(p.account);
          if (!list || !mayAllowAction(p, 'secretsmanager:getsecretvalue', 'secretsmanager')) break;
          for (const s of list) {
            const rp = ev.resourcePolicies.find(s.arn);
            if (rp) done.add(doneKey(p.idx, ti, s.arn));
            const how = `identity policies${rp ? `; its resource policy from ${rp.source} considered` : ''}`;
            secretEdges({ ev, addEdge: pushEdge }, p.idx, ti, s, how);
          }
          break;
        }
      }
    }
  }
  // Principals a resource policy names (no identity grant, or another account).
  resourcePolicyEdges({
    ev,
    adminState: out.adminState,
    roleBearing: [...resources.values()].flatMap((e) => e.res),
    secrets,
    done,
    addEdge: pushEdge,
  });
  return out;
}

export { T as techniqueIndex };

export { empowerOutcome } from './empower-outcome.js';
