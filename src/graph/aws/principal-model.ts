/**
 * The compiled model the evaluator decides on, built once per environment: managed policies
 * (every version, plus the AWS-managed ones the engine knows when the export lacks them), groups,
 * SCPs, and one `PrincipalModel` per user and role holding every identity policy that applies to
 * it (inline, attached, and its groups' inline and attached policies) with what is unknown about
 * it (`uncertain`).
 */
import { BUILTIN_AWS_POLICIES } from './builtin-policies.js';
import { compilePolicy, type CompiledPolicy } from './policy-compiler.js';
import type { AwsEnvironment, AwsManagedPolicy, AwsRole, AwsUser } from './types.js';

export interface PrincipalModel {
  readonly idx: number;
  readonly kind: 'user' | 'role';
  readonly arn: string;
  readonly name: string;
  readonly id: string;
  readonly account: string;
  readonly source: AwsUser | AwsRole;
  readonly identity: readonly CompiledPolicy[];
  readonly boundary: CompiledPolicy | null;
  /** Boundary ARN set but its policy is not in the export: every grant becomes conditional. */
  readonly boundaryUnknown: boolean;
  /** Managed policies attached directly or through groups (ARNs). */
  readonly attached: readonly string[];
  readonly groupArns: readonly string[];
  readonly tags: ReadonlyMap<string, string>;
  readonly uncertain: string[];
  readonly allowWild: boolean;
}

export interface ManagedPolicyModel {
  readonly source: AwsManagedPolicy;
  readonly compiled: CompiledPolicy; // default version
  readonly versions: ReadonlyMap<string, CompiledPolicy>;
}

/** A group, keyed `account/name` by the evaluator (users name their groups, not their ARNs). */
export interface GroupModel {
  arn: string;
  name: string;
  account: string;
  policies: CompiledPolicy[];
  attached: string[];
  /** Principal indexes of the users in the group. */
  members: number[];
}

/** What building a principal's model reads and updates in the evaluator's tables. */
export interface ModelTables {
  readonly principals: PrincipalModel[];
  readonly byArn: Map<string, number>;
  readonly roleIdxByArn: Map<string, number>;
  readonly groups: ReadonlyMap<string, GroupModel>;
  readonly issues: string[];
  managedPolicy(arn: string): CompiledPolicy | null;
}

/** Compiles every version of each exported managed policy; issues name missing default versions. */
export function compileManagedPolicies(
  policies: readonly AwsManagedPolicy[],
  managed: Map<string, ManagedPolicyModel>,
  issues: string[],
): void {
  for (const p of policies) {
    const versions = new Map<string, CompiledPolicy>();
    for (const v of p.versions)
      versions.set(v.versionId, compilePolicy(v.document, `${p.arn} ${v.versionId}`));
    const def = versions.get(p.defaultVersionId);
    if (!def) issues.push(`${p.arn}: default version ${p.defaultVersionId} missing from the export`);
    const compiled = def ?? compilePolicy({ Statement: [] }, p.arn);
    managed.set(p.arn, { source: p, compiled, versions });
    for (const c of versions.values()) issues.push(...c.issues);
  }
}

/**
 * The model of an AWS-managed policy the export does not carry but the engine knows
 * (`builtin-policies.ts`), or null. Its grants are AWS's, so they are not left unknown.
 */
export function builtinManagedPolicy(arn: string): ManagedPolicyModel | null {
  const b = BUILTIN_AWS_POLICIES[arn];
  if (b === undefined) return null;
  return {
    source: {
      arn,
      name: arn.slice(arn.lastIndexOf('/') + 1),
      defaultVersionId: 'v1',
      versions: [],
      awsManaged: true,
    },
    compiled: compilePolicy(b, arn),
    versions: new Map(),
  };
}

export function compileGroups(env: AwsEnvironment, groups: Map<string, GroupModel>): void {
  for (const g of env.groups) {
    const gp = g.inlinePolicies.map((ip) => compilePolicy(ip.document, `${g.arn} inline policy ${ip.name}`));
    groups.set(`${g.account}/${g.name}`, {
      arn: g.arn,
      name: g.name,
      account: g.account,
      policies: gp,
      attached: [...g.attachedPolicyArns],
      members: [],
    });
  }
}

export function compileScps(env: AwsEnvironment): CompiledPolicy[] {
  const scps = env.scps.map((s) => compilePolicy(s.document, `SCP ${s.name || s.id}`));
  // An organization always has an Allow at every level (FullAWSAccess by default); when only
  // Deny SCPs were given, assume FullAWSAccess is attached rather than deny everything.
  if (scps.length > 0 && !scps.some((p) => p.statements.some((s) => !s.deny))) {
    scps.push(
      compilePolicy(
        { Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] },
        'SCP FullAWSAccess (assumed)',
      ),
    );
  }
  return scps;
}

/**
 * Inline policies repeat across principals (templates, IaC modules): identical documents are
 * compiled once. The label names the policy, not the principal, so the compiled form is shared.
 */
export class InlinePolicyCache {
  private readonly byText = new Map<string, CompiledPolicy>();

  get(name: string, document: unknown): CompiledPolicy {
    const key = `${name}\u0000${typeof document === 'string' ? document : JSON.stringify(document)}`;
    let c = this.byText.get(key);
    if (!c) this.byText.set(key, (c = compilePolicy(document, `inline policy ${name}`)));
    return c;
  }
}

const NO_TAGS: Map<string, string> = new Map();

/** Principal tags keyed in lower case (condition keys are case-insensitive); shared when none. */
function tagMapOf(tags: Readonly<Record<string, string>>): Map<string, string> {
  let out = NO_TAGS;
  for (const k in tags) {
    if (out === NO_TAGS) out = new Map<string, string>();
    out.set(k.toLowerCase(), tags[k]!);
  }
  return out;
}

/**
 * Adds the model of one user or role to the tables (a duplicate ARN keeps the first entry) and
 * registers a user as a member of its groups.
 */
export function addPrincipalModel(t: ModelTables, inline: InlinePolicyCache, src: AwsUser | AwsRole): void {
  if (t.byArn.has(src.arn)) {
    t.issues.push(`${src.arn}: listed twice, the first entry is kept`);
    return;
  }
  const uncertain: string[] = [];
  const identity: CompiledPolicy[] = [];
  const attached: string[] = [];
  const groupArns: string[] = [];
  const idx = t.principals.length;
  for (const ip of src.inlinePolicies) identity.push(inline.get(ip.name, ip.document));
  const attach = (arn: string): void => {
    const c = t.managedPolicy(arn);
    attached.push(arn);
    if (c) identity.push(c);
    else uncertain.push(`attached policy ${arn} is not in the export: its grants are unknown`);
  };
  for (const a of src.attachedPolicyArns) attach(a);
  if (src.kind === 'user') {
    for (const gname of src.groupNames) {
      const g = t.groups.get(`${src.account}/${gname}`);
      if (!g) {
        uncertain.push(`group ${gname} is not in the export: its grants are unknown`);
        continue;
      }
      g.members.push(idx);
      groupArns.push(g.arn);
      identity.push(...g.policies);
      for (const a of g.attached) attach(a);
    }
  }
  for (const p of identity) for (const i of p.issues) uncertain.push(i);
  let boundary: CompiledPolicy | null = null;
  let boundaryUnknown = false;
  if (src.boundaryArn) {
    boundary = t.managedPolicy(src.boundaryArn);
    if (!boundary) {
      boundaryUnknown = true;
      uncertain.push(
        `permissions boundary ${src.boundaryArn} is not in the export: every grant is uncertain`,
      );
    }
  }
  let allowWild = false;
  for (const p of identity) if (p.allowWild) allowWild = true;
  t.principals.push({
    idx,
    kind: src.kind,
    arn: src.arn,
    name: src.name,
    id: src.id,
    account: src.account,
    source: src,
    identity,
    boundary,
    boundaryUnknown,
    attached,
    groupArns,
    tags: tagMapOf(src.tags),
    uncertain,
    allowWild,
  });
  t.byArn.set(src.arn, idx);
  if (src.id) t.byArn.set(src.id, idx);
  if (src.kind === 'role') t.roleIdxByArn.set(src.arn, idx);
}
