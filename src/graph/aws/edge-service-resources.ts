/**
 * Technique steps through a service resource that runs as a role: passing a role to a new
 * resource (a function, an instance, a stack ...), taking over an existing one (its code, its user
 * data, a task run with the role overridden), and reading a secret that holds a credential.
 * Steps on an existing resource go through the resource's own policy when the export has one
 * (see `resource-techniques.ts`); those targets are marked done so the resource-driven pass does
 * not decide them again.
 */
import type { ContextLookup } from './conditions.js';
import { ALLOW, ALLOW_COND, DENY, NONE, type Code, type PrincipalModel } from './evaluator.js';
import { allOf, candidates, grantOver, mayAllowAction } from './grant-scope.js';
import { doneKey, policyTouches, resourceCode, secretEdges } from './resource-techniques.js';
import type { Technique } from './techniques.js';
import type { AwsRoleBearingResource } from './types.js';
import { probeArn, type EdgeBuildContext, type TechniqueStep } from './edge-context.js';
import { targetSet } from './edge-types.js';

/** passrole-new: p creates the resource itself and passes it any role trusting the service. */
export const passRoleNewEdges: TechniqueStep = (c, p, _x, ti, t) => {
  const { ev, P } = c;
  const svc = t.trusts!;
  const sr = c.idx.serviceRoles.get(`${p.account}|${svc}`);
  if (!sr) return;
  const newArn = t
    .newResource!.replace('{account}', p.account)
    .replace(/^(arn:aws:[^:]+:)\*/, '$1us-east-1')
    .replace(/\*$/, `warden-probe-${p.idx}`);
  const news = t.requires.filter((r) => r.on === 'new').map((r) => r.action);
  const nc = allOf(ev, p, news, newArn, null);
  if (nc !== ALLOW && nc !== ALLOW_COND) return;
  let roles = sr.list;
  if (t.instanceProfile)
    roles = roles.filter(
      (r) => (P[r]!.source as { instanceProfileArns: readonly string[] }).instanceProfileArns.length > 0,
    );
  if (!roles.length) return;
  const ck = `${t.name}|${p.account}`;
  let rc = c.passCands.get(ck);
  if (!rc) c.passCands.set(ck, (rc = candidates(roles.map((r) => P[r]!.arn))));
  const ctx: ContextLookup = (k) => (k === 'iam:passedtoservice' ? svc : undefined);
  const g = grantOver(ev, p, 'iam:PassRole', probeArn(p, 'role'), rc, ctx);
  const why = `${p.arn} can ${news.join(' + ')} and iam:PassRole to ${svc}`;
  if (g.universal !== NONE && nc === ALLOW) {
    c.addClass(
      `${t.name}|${p.account}`,
      ti,
      targetSet(roles),
      sr.cond.size ? sr.cond : null,
      p.idx,
      false,
      why,
    );
    return;
  }
  const hits = g.universal !== NONE ? roles.map((_, i) => [i, g.universal] as [number, Code]) : g.hits;
  for (const [i, code] of hits) {
    const r = roles[i]!;
    const edgeCode: Code = code === ALLOW && nc === ALLOW && !sr.cond.has(r) ? ALLOW : ALLOW_COND;
    c.addEdge(
      p.idx,
      r,
      ti,
      edgeCode,
      `${why}; ${P[r]!.arn} trusts ${svc}${sr.cond.has(r) ? ' under conditions' : ''}`,
    );
  }
};

/**
 * The run overrides the task role: any role trusting the service that the caller can pass is
 * reached, not only the definition's own (pathfinding ecs-008/009). `overridden`: roles already
 * reached through another resource of the type.
 */
function overriddenRoleEdges(
  c: EdgeBuildContext,
  p: PrincipalModel,
  ti: number,
  t: Technique,
  res: AwsRoleBearingResource,
  role: number,
  code: Code,
  onRes: readonly string[],
  overridden: Set<number>,
): void {
  const { ev, P } = c;
  const svcCtx: ContextLookup = (k) => (k === 'iam:passedtoservice' ? (t.trusts ?? null) : undefined);
  const sr = c.idx.serviceRoles.get(`${p.account}|${t.trusts}`);
  for (const r of new Set([role, ...(sr?.list ?? [])])) {
    if (overridden.has(r)) continue;
    const c3 = ev.evaluate(p.idx, 'iam:PassRole', P[r]!.arn, svcCtx);
    if (c3 === NONE || c3 === DENY) continue;
    overridden.add(r);
    const edgeCode: Code = code === ALLOW && c3 === ALLOW && !sr?.cond.has(r) ? ALLOW : ALLOW_COND;
    c.addEdge(
      p.idx,
      r,
      ti,
      edgeCode,
      `${p.arn} can ${onRes.join(' + ')} on ${res.arn} with its task role overridden by ${P[r]!.arn} (iam:PassRole)`,
    );
  }
}

/** p takes over `res` (its identity grant on the first action coded `c0`): an edge to its role. */
function takeOverEdge(
  c: EdgeBuildContext,
  p: PrincipalModel,
  ti: number,
  t: Technique,
  res: AwsRoleBearingResource,
  c0: Code,
  onRes: readonly string[],
  overridden: Set<number>,
): void {
  const { ev } = c;
  const role = ev.roleIdxByArn.get(res.roleArn!)!;
  let code: Code = c0;
  const notes: string[] = [];
  const rp = ev.resourcePolicies.find(res.arn);
  if (rp && policyTouches(ev, rp, onRes, p.idx)) {
    // The resource's own policy may deny (or condition) what the identity allows.
    c.done.add(doneKey(p.idx, ti, res.arn));
    code = resourceCode(ev, p.idx, onRes, res.arn, null);
    if (code === NONE || code === DENY) return;
  } else if (onRes.length > 1) {
    const c2 = allOf(ev, p, onRes.slice(1), res.arn, null);
    if (c2 === NONE || c2 === DENY) return;
    if (c2 === ALLOW_COND) code = ALLOW_COND;
  }
  if (t.requires.some((r) => r.on === 'passed-role')) {
    if (t.overrideRole && t.trusts) {
      overriddenRoleEdges(c, p, ti, t, res, role, code, onRes, overridden);
      return;
    }
    const svcCtx: ContextLookup = (k) => (k === 'iam:passedtoservice' ? (t.trusts ?? null) : undefined);
    const c3 = ev.evaluate(p.idx, 'iam:PassRole', res.roleArn!, svcCtx);
    if (c3 === NONE || c3 === DENY) return;
    if (c3 === ALLOW_COND) code = ALLOW_COND;
  }
  if (t.instanceNeeds === 'ssm-online') {
    if (!c.idx.ssmKnown) {
      code = ALLOW_COND;
      notes.push('SSM status of the instance unknown (no ssm describe-instance-information)');
    } else if (!res.ssmOnline) return;
  }
  // EC2 Instance Connect pushes a key for 60 s, then the attacker connects over SSH: an
  // instance with a public IPv4 address is reachable (security groups are not modelled);
  // one without needs a path into its VPC.
  // https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/ec2-instance-connect-methods.html
  if (t.instanceNeeds === 'network' && !res.publicIp) {
    code = ALLOW_COND;
    notes.push('no public IP address: reachable over SSH only from inside its network');
  }
  if (
    res.type === 'ec2-instance' &&
    res.state &&
    res.state !== 'running' &&
    t.name !== 'ModifyInstanceAttributeUserData'
  )
    return;
  c.addEdge(
    p.idx,
    role,
    ti,
    notes.length && code === ALLOW_COND ? ALLOW : code,
    `${p.arn} can ${onRes.join(' + ')} on ${res.arn}, which runs as ${res.roleArn}${code === ALLOW_COND && !notes.length ? c.explain(p, t, res.arn) : ''}${notes.length ? '; ' + notes.join('; ') : ''}`,
  );
  if (notes.length) c.out.cond[c.out.cond.length - 1] = true;
}

/** existing-resource: every resource of the type in p's account that p may act on. */
export const existingResourceEdges: TechniqueStep = (c, p, _x, ti, t) => {
  const rs = c.idx.resources.get(`${t.resourceType}|${p.account}`);
  if (!rs) return;
  const onRes = t.requires.filter((r) => r.on === 'resource').map((r) => r.action);
  const a0 = rs.arns[0]!;
  const cut = Math.max(a0.lastIndexOf(':'), a0.lastIndexOf('/')) + 1;
  const g = grantOver(
    c.ev,
    p,
    onRes[0]!,
    `${a0.slice(0, cut)}warden-probe-${p.idx}`,
    (rs.c ??= candidates(rs.arns)),
    null,
  );
  const hits = g.universal !== NONE ? rs.arns.map((_, i) => [i, g.universal] as [number, Code]) : g.hits;
  const overridden = new Set<number>();
  for (const [i, c0] of hits) takeOverEdge(c, p, ti, t, rs.res[i]!, c0, onRes, overridden);
};

/** secret-read: secrets of p's account that hold another principal's credential. */
export const secretReadEdges: TechniqueStep = (c, p, _x, ti) => {
  const list = c.secrets.get(p.account);
  if (!list || !mayAllowAction(p, 'secretsmanager:getsecretvalue', 'secretsmanager')) return;
  for (const s of list) {
    const rp = c.ev.resourcePolicies.find(s.arn);
    if (rp) c.done.add(doneKey(p.idx, ti, s.arn));
    const how = `identity policies${rp ? `; its resource policy from ${rp.source} considered` : ''}`;
    secretEdges({ ev: c.ev, addEdge: c.pushEdge }, p.idx, ti, s, how);
  }
};
