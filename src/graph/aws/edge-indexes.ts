/**
 * Indexes the edge builder looks targets up in, built once per analysis: principals and groups
 * per account (with their ARN candidates for `grantOver`), holders of each managed policy, roles
 * by trusted service and by trusted principal, and role-bearing resources by type and account.
 */
import { ALLOW_COND, type AwsEvaluator, type PrincipalModel } from './evaluator.js';
import { candidates, type Candidates } from './grant-scope.js';
import type { CompiledPolicy } from './policy-compiler.js';
import type { TrustInfo } from './trust.js';
import type { AwsRoleBearingResource } from './types.js';
import { targetSet, type TargetSet } from './edge-types.js';

export interface AccountIndex {
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

/** Roles trusting one service in one account; `cond` says why a role trusts it only conditionally. */
export interface ServiceRoles {
  list: number[];
  cond: Map<number, string>;
}

/** ARNs of one group of targets, their `grantOver` candidates built on first use. */
export interface LazyCandidates {
  arns: string[];
  c?: Candidates;
}

export interface RoleBearingResources extends LazyCandidates {
  res: AwsRoleBearingResource[];
}

export interface EdgeIndexes {
  readonly accounts: Map<string, AccountIndex>;
  /** Holders of each managed policy (directly or through a group). */
  readonly holders: Map<string, number[]>;
  /** Customer managed policies somebody holds, per owning account. */
  readonly policiesByAccount: Map<string, LazyCandidates>;
  /** Roles trusting each service, per account (key `account|service`). */
  readonly serviceRoles: Map<string, ServiceRoles>;
  /** Roles whose trust policy names a principal ARN or unique id (`*`: any principal). */
  readonly trustDirect: Map<string, number[]>;
  /** Roles whose trust policy names an account root, per account. */
  readonly trustRoot: Map<string, number[]>;
  /** Role-bearing resources by type and account (key `type|account`). */
  readonly resources: Map<string, RoleBearingResources>;
  /** Whether the export lists SSM agent status at all (else an instance's status is unknown). */
  readonly ssmKnown: boolean;
}

const push = <K, V>(m: Map<K, V[]>, k: K, v: V): void => {
  (m.get(k) ?? m.set(k, []).get(k)!).push(v);
};

/** The index of account `a`, created empty if the export has nothing of it yet. */
export function accountIndex(accounts: Map<string, AccountIndex>, a: string): AccountIndex {
  let x = accounts.get(a);
  if (!x) {
    x = {
      users: [],
      roles: [],
      userArns: [],
      roleArns: [],
      userC: candidates([]),
      roleC: candidates([]),
      allUsers: targetSet([]),
      allRoles: targetSet([]),
      groups: [],
      groupC: candidates([]),
      groupArns: [],
    };
    accounts.set(a, x);
  }
  return x;
}

function indexAccounts(ev: AwsEvaluator): Map<string, AccountIndex> {
  const accounts = new Map<string, AccountIndex>();
  for (const p of ev.principals) {
    const x = accountIndex(accounts, p.account);
    if (p.kind === 'user') {
      x.users.push(p.idx);
      x.userArns.push(p.arn);
    } else {
      x.roles.push(p.idx);
      x.roleArns.push(p.arn);
    }
  }
  for (const x of accounts.values()) {
    x.allUsers = targetSet(x.users);
    x.allRoles = targetSet(x.roles);
  }
  for (const g of ev.groups.values()) {
    const x = accountIndex(accounts, g.account);
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
  for (const x of accounts.values()) {
    x.userC = candidates(x.userArns);
    x.roleC = candidates(x.roleArns);
    x.groupC = candidates(x.groupArns);
  }
  return accounts;
}

function indexPolicyHolders(ev: AwsEvaluator): Pick<EdgeIndexes, 'holders' | 'policiesByAccount'> {
  const holders = new Map<string, number[]>();
  for (const p of ev.principals) for (const a of new Set(p.attached)) push(holders, a, p.idx);
  const policiesByAccount = new Map<string, LazyCandidates>();
  for (const [arn, m] of ev.managed) {
    if (m.source.awsManaged || !holders.has(arn)) continue;
    const a = arn.split(':')[4] ?? '';
    const e = policiesByAccount.get(a) ?? policiesByAccount.set(a, { arns: [] }).get(a)!;
    e.arns.push(arn);
  }
  return { holders, policiesByAccount };
}

function indexTrust(
  P: readonly PrincipalModel[],
  trust: readonly (TrustInfo | null)[],
): Pick<EdgeIndexes, 'serviceRoles' | 'trustDirect' | 'trustRoot'> {
  const serviceRoles = new Map<string, ServiceRoles>();
  for (const p of P) {
    const t = trust[p.idx];
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
    const t = trust[p.idx];
    if (!t) continue;
    for (const d of t.direct) push(trustDirect, d, p.idx);
    if (t.anyPrincipal) push(trustDirect, '*', p.idx);
    for (const r of t.rootAccounts) push(trustRoot, r, p.idx);
  }
  return { serviceRoles, trustDirect, trustRoot };
}

function indexRoleBearing(ev: AwsEvaluator): Map<string, RoleBearingResources> {
  const resources = new Map<string, RoleBearingResources>();
  for (const r of ev.env.resources) {
    if (!r.roleArn || !ev.roleIdxByArn.has(r.roleArn)) continue;
    const k = `${r.type}|${r.account ?? ev.principals[ev.roleIdxByArn.get(r.roleArn)!]!.account}`;
    const e = resources.get(k) ?? resources.set(k, { res: [], arns: [] }).get(k)!;
    e.res.push(r);
    e.arns.push(r.arn);
  }
  return resources;
}

/** `trust`: each role's compiled trust policy (null for users), by principal index. */
export function buildEdgeIndexes(ev: AwsEvaluator, trust: readonly (TrustInfo | null)[]): EdgeIndexes {
  return {
    accounts: indexAccounts(ev),
    ...indexPolicyHolders(ev),
    ...indexTrust(ev.principals, trust),
    resources: indexRoleBearing(ev),
    ssmKnown: ev.env.resources.some((r) => r.type === 'ec2-instance' && r.ssmOnline),
  };
}
