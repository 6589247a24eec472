/**
 * State shared by every technique step of one `buildEdges` run: the indexes, the caches that
 * keep a 100,000-principal export cheap (administrator verdicts per group and account, `grantOver`
 * candidates of passable roles), and the output `EdgeSet` with the helpers that append to it.
 */
import { ADMIN_POLICY_ARN } from './builtin-policies.js';
import { adminStateOf, policiesAreAdmin } from './admin.js';
import type { ContextLookup } from './conditions.js';
import { ALLOW, AwsEvaluator, type Code, type PrincipalModel } from './evaluator.js';
import { ACTIONS, type Candidates } from './grant-scope.js';
import { secretTargets, type SecretTarget } from './resource-techniques.js';
import { AWS_TECHNIQUES, type Technique } from './techniques.js';
import { canAssume, compileTrust, type TrustInfo } from './trust.js';
import { accountIndex, buildEdgeIndexes, type AccountIndex, type EdgeIndexes } from './edge-indexes.js';
import type { ClassEdge, EdgeSet, EmpowerEdge, TargetSet } from './edge-types.js';

/** Request context of an attach step: the policy attached is AdministratorAccess. */
export const ADMIN_CTX: ContextLookup = (k) => (k === 'iam:policyarn' ? ADMIN_POLICY_ARN : undefined);

/** An ARN of a kind in p's account that no grant names literally (to test for wildcard grants). */
export const probeArn = (p: PrincipalModel, kind: string): string =>
  `arn:aws:iam::${p.account}:${kind}/warden-probe-${p.idx}`;

/**
 * The edges one technique gives principal `p` (of account index `x`); `ti` indexes AWS_TECHNIQUES.
 * `c.mask` holds p's action mask while its steps run.
 */
export type TechniqueStep = (
  c: EdgeBuildContext,
  p: PrincipalModel,
  x: AccountIndex,
  ti: number,
  t: Technique,
) => void;

export class EdgeBuildContext {
  readonly ev: AwsEvaluator;
  readonly P: readonly PrincipalModel[];
  readonly out: EdgeSet;
  readonly idx: EdgeIndexes;
  /** Union of the current principal's action masks (see `buildEdges`). */
  readonly mask = new Uint8Array(ACTIONS.length);
  /** `from|technique|resource` decided by the identity-driven pass (`doneKey`). */
  readonly done = new Set<string>();
  /** Secrets holding a principal's credential, per account. */
  readonly secrets: Map<string, SecretTarget[]>;
  /** `grantOver` candidates of the roles a passrole-new technique can pass, per technique and account. */
  readonly passCands = new Map<string, Candidates>();
  private readonly classes = new Map<string, ClassEdge>();
  private fullKeys: Set<string> | null = null;
  private readonly adminCache = new Map<string, 0 | 1 | 2>();
  private readonly adminPolicyCache = new Map<string, string[]>();
  private readonly groupEsc = new Map<string, string | null>();

  constructor(ev: AwsEvaluator) {
    const P = ev.principals;
    this.ev = ev;
    const n = P.length;
    this.P = P;
    this.out = {
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
      this.out.adminState[p.idx] = adminStateOf(ev, p);
      if (p.kind === 'role')
        this.out.trust[p.idx] = compileTrust(
          p.arn,
          p.account,
          (p.source as { trustPolicy: unknown }).trustPolicy,
        );
    }
    this.idx = buildEdgeIndexes(ev, this.out.trust);
    this.secrets = secretTargets(ev);
  }

  account(a: string): AccountIndex {
    return accountIndex(this.idx.accounts, a);
  }

  /** Members of the class edge `key` when an earlier source already computed them. */
  classMembers(key: string): TargetSet | undefined {
    return this.classes.get(key)?.members;
  }

  addClass(
    key: string,
    tech: number,
    members: TargetSet,
    memberCond: ReadonlyMap<number, string> | null,
    src: number,
    cond: boolean,
    reason: string,
  ): void {
    let c = this.classes.get(key);
    if (!c) {
      c = { tech, members, memberCond, sources: [], sourceCond: [], reason };
      this.classes.set(key, c);
      this.out.classes.push(c);
    }
    c.sources.push(src);
    c.sourceCond.push(cond);
  }

  /** For a conditional step: the request conditions it depends on, read back from the evaluator. */
  explain(p: PrincipalModel, t: Technique, arn: string): string {
    const { ev } = this;
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
      if (ri !== undefined && this.out.trust[ri]) canAssume(ev, p, this.P[ri]!, this.out.trust[ri]!, why);
    }
    const conds = [...new Set(why.filter((w) => w.includes(' only if') || w.includes('NotPrincipal')))];
    return conds.length ? ` [conditional: ${conds.join('; ')}]` : '';
  }

  /** A "can become" edge; a conditional one gets the conditions it depends on in its reason. */
  addEdge(from: number, to: number, tech: number, code: Code, reason: string): void {
    if (from === to) return;
    if (code !== ALLOW) reason += this.explain(this.P[from]!, AWS_TECHNIQUES[tech]!, this.P[to]!.arn);
    this.pushEdge(from, to, tech, code, reason);
  }

  /** A "can become" edge whose reason already says why it is conditional (resource-policy steps). */
  readonly pushEdge = (from: number, to: number, tech: number, code: Code, reason: string): void => {
    if (from === to) return;
    const { out } = this;
    out.from.push(from);
    out.to.push(to);
    out.tech.push(tech);
    out.cond.push(code !== ALLOW);
    out.reason.push(reason);
  };

  pushEmpower(e: EmpowerEdge, targetArn: string): void {
    this.out.empower.push(
      e.cond
        ? { ...e, reason: e.reason + this.explain(this.P[e.from]!, AWS_TECHNIQUES[e.tech]!, targetArn) }
        : e,
    );
  }

  /** Accounts with a user that already has two access keys. */
  fullKeyAccounts(): Set<string> {
    if (!this.fullKeys) {
      this.fullKeys = new Set();
      for (const q of this.P)
        if (q.kind === 'user' && (this.ev.env.accessKeyCounts.get(q.name) ?? 0) >= 2)
          this.fullKeys.add(q.account);
    }
    return this.fullKeys;
  }

  /** Whether the policies of group `gi` of `x` are administrator-equivalent (0 no, 1 yes, 2 maybe). */
  groupAdmin(x: AccountIndex, gi: number): 0 | 1 | 2 {
    const g = x.groups[gi]!;
    const hit = this.adminCache.get(g.arn);
    if (hit !== undefined) return hit;
    const v = this.P.length ? policiesAreAdmin(this.ev, this.P[0]!, g.policies) : 0;
    this.adminCache.set(g.arn, v);
    return v;
  }

  /** Administrator-equivalent managed policies an account can attach, besides AdministratorAccess. */
  adminPolicies(account: string): string[] {
    let list = this.adminPolicyCache.get(account);
    if (!list) {
      list = [];
      const P0 = this.P[0];
      for (const [arn, m] of this.ev.managed) {
        const owner = arn.split(':')[4];
        if (arn === ADMIN_POLICY_ARN || (owner !== 'aws' && owner !== account)) continue;
        if (P0 && policiesAreAdmin(this.ev, P0, [m.compiled]) === 1) list.push(arn);
        if (list.length >= 5) break;
      }
      this.adminPolicyCache.set(account, list);
    }
    return list;
  }

  /** The self-escalation a member of a group can make with the group's policies alone, if any. */
  groupSelfEscalation(x: AccountIndex, gi: number, tmpl: PrincipalModel): string | null {
    const { ev } = this;
    const g = x.groups[gi]!;
    const hit = this.groupEsc.get(g.arn);
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
      : ok('iam:AttachUserPolicy', member, ADMIN_CTX)
        ? 'AttachUserPolicy'
        : ok('iam:PutGroupPolicy', g.arn, null)
          ? 'PutGroupPolicy'
          : ok('iam:AttachGroupPolicy', g.arn, ADMIN_CTX)
            ? 'AttachGroupPolicy'
            : null;
    this.groupEsc.set(g.arn, then);
    return then;
  }
}
