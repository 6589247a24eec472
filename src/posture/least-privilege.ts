import type { Grant, Identity } from '../model/index.js';
import type { ReportLeastPrivilege } from '../report/index.js';
import { indexOf, type PostureIndex } from './posture-index.js';
import type { PostureInput, UsageSummary } from './posture-types.js';

/**
 * Least privilege from usage: granted versus used actions per identity over the usage window, and a
 * generated minimal policy covering exactly what was used.
 *
 * AWS: IAM action names are `service:Action`, case-insensitive, with `*` and `?` wildcards
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html);
 * CloudTrail names the service by its endpoint (`s3.amazonaws.com`), which maps to the IAM prefix
 * except for a few services listed below
 * (https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html).
 * Kubernetes: a Role's rules list apiGroups, resources and verbs
 * (https://kubernetes.io/docs/reference/access-authn-authz/rbac/#role-and-clusterrole).
 */
const ENDPOINT_TO_PREFIX: Record<string, string> = {
  monitoring: 'cloudwatch',
  'bedrock-runtime': 'bedrock',
  'runtime.sagemaker': 'sagemaker',
  'api.ecr': 'ecr',
  'runtime.lex': 'lex',
};

/** `s3.amazonaws.com:GetObject` or `s3:GetObject` -> `s3:GetObject`. */
export function normaliseAwsAction(action: string): string {
  const i = action.lastIndexOf(':');
  if (i < 0) return action;
  let svc = action
    .slice(0, i)
    .toLowerCase()
    .replace(/\.amazonaws\.com$/, '');
  svc = ENDPOINT_TO_PREFIX[svc] ?? svc;
  return `${svc}:${action.slice(i + 1)}`;
}

const globCache = new Map<string, RegExp>();
/** Case-insensitive IAM-style wildcard match (`*` any run, `?` one character). */
export function matchesPattern(pattern: string, value: string): boolean {
  let re = globCache.get(pattern);
  if (!re) {
    re = new RegExp(
      '^' +
        pattern
          .replace(/[.+^${}()|[\]\\]/g, '\\$&')
          .replace(/\*/g, '.*')
          .replace(/\?/g, '.') +
        '$',
      'i',
    );
    if (globCache.size > 50_000) globCache.clear();
    globCache.set(pattern, re);
  }
  return re.test(value);
}

/** Usage of an identity plus the keys that belong to it (CloudTrail may name either). */
function usageOf(
  input: PostureInput,
  ix: PostureIndex,
  i: Identity,
  children: Map<string, Identity[]>,
): UsageSummary | undefined {
  const parts = [
    input.usage.get(i.id),
    ...(children.get(i.nativeId) ?? []).map((c) => input.usage.get(c.id)),
  ].filter((u): u is UsageSummary => u !== undefined);
  void ix;
  if (parts.length <= 1) return parts[0];
  const byAction: Record<string, Set<string>> = {};
  let count = 0;
  let failures = 0;
  let first = parts[0]!.firstTime;
  let last = parts[0]!.lastTime;
  for (const p of parts) {
    count += p.count;
    failures += p.failures;
    if (p.firstTime < first) first = p.firstTime;
    if (p.lastTime > last) last = p.lastTime;
    for (const [a, rs] of Object.entries(p.resourcesByAction)) {
      const s = (byAction[a] ??= new Set());
      for (const r of rs) s.add(r);
    }
  }
  return {
    actions: Object.keys(byAction).sort(),
    resourcesByAction: Object.fromEntries(Object.entries(byAction).map(([a, s]) => [a, [...s].sort()])),
    count,
    failures,
    firstTime: first,
    lastTime: last,
  };
}

interface Analysis {
  granted: string[];
  used: string[];
  unused: string[];
  overBroad: string[];
}

function analyse(grants: Grant[], used: string[]): Analysis {
  const granted = [...new Set(grants.filter((g) => g.effect === 'allow').flatMap((g) => g.actions))].sort();
  const unused: string[] = [];
  const overBroad: string[] = [];
  for (const p of granted) {
    const hits = used.filter((u) => matchesPattern(p, u));
    if (hits.length === 0) unused.push(p);
    else if (p.includes('*') || p.includes('?')) overBroad.push(p);
  }
  return { granted, used, unused, overBroad };
}

/** Minimal AWS policy: one statement per service, actions as used, resources as recorded. */
export function minimalAwsPolicy(u: UsageSummary): Record<string, unknown> {
  const bySvc = new Map<string, { actions: Set<string>; resources: Set<string> }>();
  for (const raw of u.actions) {
    const a = normaliseAwsAction(raw);
    const svc = a.split(':')[0]!;
    const s = bySvc.get(svc) ?? bySvc.set(svc, { actions: new Set(), resources: new Set() }).get(svc)!;
    s.actions.add(a);
    for (const r of u.resourcesByAction[raw] ?? ['*']) s.resources.add(r && r.startsWith('arn:') ? r : '*');
  }
  const Statement = [...bySvc.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([svc, s]) => {
      // A wildcard where any use named no resource: narrowing further would break that call.
      const resources = s.resources.has('*') || s.resources.size > 100 ? ['*'] : [...s.resources].sort();
      return {
        Sid: `Used${svc.replace(/[^A-Za-z0-9]/g, '').replace(/^./, (c) => c.toUpperCase())}`,
        Effect: 'Allow',
        Action: [...s.actions].sort(),
        Resource: resources.length === 1 ? resources[0]! : resources,
      };
    });
  return { Version: '2012-10-17', Statement };
}

/** `get` on `apps/deployments` -> apiGroup apps, resource deployments. */
function k8sParts(action: string, resource: string): { group: string; resource: string; verb: string } {
  let verb = action;
  let res = resource;
  const sp = action.split(/[\s:]/);
  if (sp.length === 2 && (resource === '*' || resource === '')) [verb, res] = [sp[0]!, sp[1]!];
  const slash = res.split('/');
  // Subresources (`pods/exec`) keep their slash; a leading api group is `group/resource`.
  if (slash.length >= 2 && slash[0]!.includes('.'))
    return { group: slash[0]!, resource: slash.slice(1).join('/'), verb };
  const dot = /^([a-z0-9-]+)\.([a-z0-9.-]+)$/.exec(res);
  if (dot) return { group: dot[2]!, resource: dot[1]!, verb };
  return { group: '', resource: res, verb };
}

/** Minimal Kubernetes Role from used verbs and resources. */
export function minimalKubernetesRole(i: Identity, u: UsageSummary): Record<string, unknown> {
  const m = /^system:serviceaccount:([^:]+):(.+)$/.exec(i.nativeId);
  const rules = new Map<string, { apiGroups: string[]; resources: string[]; verbs: Set<string> }>();
  for (const a of u.actions) {
    for (const r of u.resourcesByAction[a] ?? ['*']) {
      const p = k8sParts(a, r);
      const key = `${p.group}\u0000${p.resource}`;
      const rule =
        rules.get(key) ??
        rules.set(key, { apiGroups: [p.group], resources: [p.resource], verbs: new Set() }).get(key)!;
      rule.verbs.add(p.verb.toLowerCase());
    }
  }
  return {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'Role',
    metadata: { name: `${m?.[2] ?? i.name ?? 'agent'}-least-privilege`, namespace: m?.[1] ?? 'default' },
    rules: [...rules.values()].map((r) => ({
      apiGroups: r.apiGroups,
      resources: r.resources,
      verbs: [...r.verbs].sort(),
    })),
  };
}

/**
 * Granted versus used for every identity with grants and usage in the window; identities without
 * observed usage get no recommendation (nothing to base it on).
 */
export function leastPrivilege(input: PostureInput): ReportLeastPrivilege[] {
  const hit = memo.get(input);
  if (hit) return hit;
  const out = computeLeastPrivilege(input);
  memo.set(input, out);
  return out;
}

const memo = new WeakMap<PostureInput, ReportLeastPrivilege[]>();

function computeLeastPrivilege(input: PostureInput): ReportLeastPrivilege[] {
  const ix = indexOf(input);
  const children = new Map<string, Identity[]>();
  for (const i of input.identities) {
    const p = i.attributes?.parent;
    if (typeof p === 'string') (children.get(p) ?? children.set(p, []).get(p)!).push(i);
  }
  const out: ReportLeastPrivilege[] = [];
  for (const [identityId, grants] of ix.grantsOf) {
    const i = ix.identity.get(identityId);
    if (!i || (i.provider !== 'aws' && i.provider !== 'kubernetes')) continue;
    const u = usageOf(input, ix, i, children);
    if (!u || u.actions.length === 0) continue;
    const aws = i.provider === 'aws';
    const used = aws
      ? [...new Set(u.actions.map(normaliseAwsAction))].sort()
      : [...new Set(u.actions)].sort();
    const a = analyse(grants, used);
    if (a.unused.length === 0 && a.overBroad.length === 0) continue;
    const keep = a.granted.filter((p) => !a.unused.includes(p) && !a.overBroad.includes(p));
    const add = used.filter((x) => !keep.some((k) => k.toLowerCase() === x.toLowerCase()));
    out.push({
      identityId,
      principal: i.nativeId,
      provider: i.provider,
      windowDays: input.thresholds.usageWindowDays,
      granted: a.granted,
      used,
      unused: a.unused,
      policy: aws ? minimalAwsPolicy(u) : minimalKubernetesRole(i, u),
      policyFormat: aws ? 'aws-iam-policy' : 'kubernetes-role',
      diff: { remove: [...a.unused, ...a.overBroad], add, keep },
    });
  }
  return out.sort((x, y) => y.unused.length - x.unused.length || x.principal.localeCompare(y.principal));
}
