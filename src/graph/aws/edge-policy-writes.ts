/**
 * Technique steps that make a principal administrator by changing policies: writing or
 * attaching an identity policy, removing a permissions boundary, a new or older default version of
 * a managed policy, joining an administrator group, creating a new administrator principal.
 * They give "can empower" edges: whether the target then is administrator depends on its own
 * state (boundary, denies), decided later by `empowerOutcome`.
 */
import { policiesAreAdmin } from './admin.js';
import { createPrincipalCode } from './create-principal.js';
import { ALLOW, ALLOW_COND, DENY, NONE, type Code, type PrincipalModel } from './evaluator.js';
import { candidates, grantOver, type Candidates, type Grant } from './grant-scope.js';
import type { CompiledPolicy } from './policy-compiler.js';
import { conditionalNote } from './resource-techniques.js';
import { ADMIN_CTX, probeArn, type EdgeBuildContext, type TechniqueStep } from './edge-context.js';
import type { AccountIndex } from './edge-indexes.js';
import { targetSet, type EmpowerEdge } from './edge-types.js';

type Mode = EmpowerEdge['mode'];

/** Attach grants may name the policy (iam:PolicyARN): any administrator policy will do. */
function writeGrant(
  c: EdgeBuildContext,
  p: PrincipalModel,
  action: string,
  attach: boolean,
  probe: string,
  cands: Candidates,
): Grant {
  const g0 = grantOver(c.ev, p, action, probe, cands, attach ? ADMIN_CTX : null);
  if (!attach || g0.universal !== NONE || g0.hits.length) return g0;
  for (const alt of c.adminPolicies(p.account)) {
    const g1 = grantOver(c.ev, p, action, probe, cands, (k) => (k === 'iam:policyarn' ? alt : undefined));
    if (g1.universal !== NONE || g1.hits.length) return g1;
  }
  return g0;
}

/** A group's policies reach its members: one empower edge to the members of every group hit. */
function groupPolicyWriteEdges(
  c: EdgeBuildContext,
  p: PrincipalModel,
  x: AccountIndex,
  ti: number,
  action: string,
  attach: boolean,
  mode: Mode,
): void {
  const g = writeGrant(c, p, action, attach, probeArn(p, 'group'), x.groupC);
  const members =
    g.universal !== NONE
      ? x.groups.flatMap((gr) => gr.members)
      : g.hits.flatMap(([i]) => x.groups[i]!.members);
  if (members.length === 0) return;
  const cond = g.universal === NONE && g.hits.every(([, code]) => code !== ALLOW);
  c.pushEmpower(
    {
      from: p.idx,
      tech: ti,
      targets: targetSet([...new Set(members)]),
      cond,
      mode,
      reason: `${p.arn} can ${action} on ${g.universal !== NONE ? 'every group' : g.hits.map(([i]) => x.groupArns[i]).join(', ')}`,
    },
    g.hits.length ? x.groupArns[g.hits[0]![0]]! : '*',
  );
}

/** policy-write and boundary-removal: on users, roles or groups of p's account. */
export const policyWriteEdges: TechniqueStep = (c, p, x, ti, t) => {
  const first = t.requires[0]!;
  const mode = t.mechanism === 'policy-write' ? 'grant-admin' : 'lift-boundary';
  const attach = first.action.toLowerCase().includes('attach');
  if (t.targetKind === 'group') {
    groupPolicyWriteEdges(c, p, x, ti, first.action, attach, mode);
    return;
  }
  const isUser = t.targetKind === 'user';
  const arns = isUser ? x.userArns : x.roleArns;
  const g = writeGrant(
    c,
    p,
    first.action,
    attach,
    probeArn(p, isUser ? 'user' : 'role'),
    isUser ? x.userC : x.roleC,
  );
  if (g.universal !== NONE) {
    c.out.empower.push({
      from: p.idx,
      tech: ti,
      targets: isUser ? x.allUsers : x.allRoles,
      cond: false,
      mode,
      reason: `${p.arn} can ${first.action} on every ${t.targetKind} of ${p.account}`,
    });
  } else if (g.hits.length) {
    const idxs = isUser ? x.users : x.roles;
    for (const [i, code] of g.hits)
      c.pushEmpower(
        {
          from: p.idx,
          tech: ti,
          targets: targetSet([idxs[i]!]),
          cond: code !== ALLOW,
          mode,
          reason: `${p.arn} can ${first.action} on ${arns[i]}`,
        },
        arns[i]!,
      );
  }
};

/** policy-version-create and policy-version-set-default: every holder of a policy p can rewrite. */
export const policyVersionEdges: TechniqueStep = (c, p, _x, ti, t) => {
  const { ev } = c;
  const first = t.requires[0]!;
  const pa = c.idx.policiesByAccount.get(p.account);
  if (!pa) return;
  const g = grantOver(
    ev,
    p,
    first.action,
    `arn:aws:iam::${p.account}:policy/warden-probe-${p.idx}`,
    (pa.c ??= candidates(pa.arns)),
    null,
  );
  const positions = g.universal !== NONE ? pa.arns.map((_, i) => [i, g.universal] as [number, Code]) : g.hits;
  for (const [i, c0] of positions) {
    const arn = pa.arns[i]!;
    const m = ev.managed.get(arn)!;
    let code: Code = c0;
    let versionAdmin: CompiledPolicy[] | undefined;
    if (t.mechanism === 'policy-version-create') {
      if (m.source.versions.length >= 5) {
        const d = ev.evaluate(p.idx, 'iam:DeletePolicyVersion', arn);
        if (d === NONE || d === DENY) continue; // 5 versions and no way to delete one
        if (d === ALLOW_COND) code = ALLOW_COND;
      }
    } else {
      const P0 = c.P[0];
      const best = [...m.versions.entries()].find(
        ([vid, cp]) => vid !== m.source.defaultVersionId && P0 && policiesAreAdmin(ev, P0, [cp]) === 1,
      );
      if (!best) continue;
      versionAdmin = [best[1]];
    }
    const targets = c.idx.holders.get(arn) ?? [];
    if (!targets.length) continue;
    const base = {
      from: p.idx,
      tech: ti,
      targets: targetSet(targets),
      cond: code !== ALLOW,
      mode: t.mechanism === 'policy-version-create' ? ('grant-admin' as const) : ('set-version' as const),
      policyArn: arn,
      reason: `${p.arn} can ${first.action} on ${arn}${m.source.versions.length >= 5 && t.mechanism === 'policy-version-create' ? ' (5 versions: also iam:DeletePolicyVersion)' : ''}`,
    };
    c.pushEmpower(versionAdmin ? { ...base, versionAdmin } : base, arn);
  }
};

/** add-user-to-group: the first administrator group p can add users to, else a two-step group. */
export const addUserToGroupEdges: TechniqueStep = (c, p, x, ti, t) => {
  const first = t.requires[0]!;
  const g = grantOver(c.ev, p, first.action, probeArn(p, 'group'), x.groupC, null);
  const positions =
    g.universal !== NONE ? x.groups.map((_, i) => [i, g.universal] as [number, Code]) : g.hits;
  for (const [i, code] of positions) {
    const adm = c.groupAdmin(x, i);
    if (adm === 0) continue;
    c.pushEmpower(
      {
        from: p.idx,
        tech: ti,
        targets: x.allUsers,
        cond: code !== ALLOW || adm !== 1,
        mode: 'grant-admin',
        reason: `${p.arn} can add users to ${x.groupArns[i]}, which is administrator-equivalent`,
      },
      x.groupArns[i]!,
    );
    return;
  }
  // No administrator group: one whose policies let a member rewrite its own permissions
  // (iam-vulnerable's privesc-sre-group grants iam:*) is two steps away.
  for (const [i, code] of positions) {
    const then = c.groupSelfEscalation(x, i, p);
    if (!then) continue;
    c.pushEmpower(
      {
        from: p.idx,
        tech: ti,
        targets: x.allUsers,
        cond: code !== ALLOW,
        mode: 'grant-admin',
        then,
        reason: `${p.arn} can add users to ${x.groupArns[i]}, whose policies let a member ${then}`,
      },
      x.groupArns[i]!,
    );
    return;
  }
};

/** create-principal: a new user (joining an administrator group if one exists) or role. */
export const createPrincipalEdges: TechniqueStep = (c, p, x, ti, t) => {
  const kind = t.targetKind === 'role' ? 'role' : 'user';
  const groups = kind === 'user' ? x.groupArns.filter((_, i) => c.groupAdmin(x, i) === 1) : [];
  const r = createPrincipalCode(c.ev, p, kind, t.requires[0]!.action, groups, ADMIN_CTX);
  if (r.code !== ALLOW && r.code !== ALLOW_COND) return;
  c.pushEmpower(
    {
      from: p.idx,
      tech: ti,
      targets: targetSet([p.idx]),
      cond: r.code !== ALLOW,
      mode: 'new-principal',
      reason: `${p.arn} can create ${r.arn}, make it administrator and use it${r.code === ALLOW ? '' : conditionalNote(r.why)}`,
    },
    r.arn,
  );
};
