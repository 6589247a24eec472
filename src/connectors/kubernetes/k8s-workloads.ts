import { toUtc } from '../../model/index.js';
import type { IdentityInput, ImportItem, ResourceInput } from '../../store/index.js';
import { isRecord, str, type Json } from './k8s-documents.js';

/*
 * ServiceAccounts, token Secrets and workloads.
 * ServiceAccount and automountServiceAccountToken (pod spec wins over the SA):
 * https://kubernetes.io/docs/tasks/configure-pod-container/configure-service-account/
 * Long-lived token Secrets (type kubernetes.io/service-account-token, annotation
 * kubernetes.io/service-account.name): https://kubernetes.io/docs/concepts/configuration/secret/#serviceaccount-token-secrets
 * Workload pod templates: https://kubernetes.io/docs/concepts/workloads/ (CronJob:
 * spec.jobTemplate.spec.template.spec).
 * Cloud workload identity annotations: EKS `eks.amazonaws.com/role-arn`
 * (https://docs.aws.amazon.com/eks/latest/userguide/associate-service-account-role.html), GKE
 * `iam.gke.io/gcp-service-account` (https://cloud.google.com/kubernetes-engine/docs/how-to/workload-identity),
 * AKS `azure.workload.identity/client-id` (https://azure.github.io/azure-workload-identity/docs/).
 */

export const saNativeId = (namespace: string, name: string): string =>
  `system:serviceaccount:${namespace}:${name}`;

export const WORKLOAD_KINDS = new Set([
  'Pod',
  'Deployment',
  'StatefulSet',
  'DaemonSet',
  'ReplicaSet',
  'ReplicationController',
  'Job',
  'CronJob',
]);

export function labelsOf(
  meta: Json | undefined,
  field: 'labels' | 'annotations' = 'labels',
): Record<string, string> {
  const l = meta?.[field];
  if (!isRecord(l)) return {};
  return Object.fromEntries(Object.entries(l).filter((e): e is [string, string] => typeof e[1] === 'string'));
}

export interface SaInfo {
  automount?: boolean;
}

export interface Scope {
  cluster: string | undefined;
  tagKeys: string[];
}

export function withAccount(v: IdentityInput, cluster: string | undefined): IdentityInput {
  return cluster ? { ...v, account: cluster } : v;
}
export function resourceWithAccount(v: ResourceInput, cluster: string | undefined): ResourceInput {
  return cluster ? { ...v, account: cluster } : v;
}

/** Labels plus the annotations whose key is a link tag key: what `deriveLinks` reads as tags. */
function tagsOf(meta: Json, tagKeys: string[]): Record<string, string> {
  const tags = labelsOf(meta);
  const ann = labelsOf(meta, 'annotations');
  for (const k of Object.keys(ann)) if (tagKeys.includes(k.toLowerCase())) tags[k] = ann[k]!;
  return tags;
}

export function serviceAccountItems(
  obj: Json,
  meta: Json,
  ns: string,
  name: string,
  scope: Scope,
): ImportItem[] {
  const nativeId = saNativeId(ns, name);
  const attributes: Json = { namespace: ns };
  if (typeof obj.automountServiceAccountToken === 'boolean')
    attributes.automountServiceAccountToken = obj.automountServiceAccountToken;
  const tags = tagsOf(meta, scope.tagKeys);
  if (Object.keys(tags).length > 0) attributes.tags = tags;
  if (str(meta.uid)) attributes.uid = meta.uid;
  if (Array.isArray(obj.secrets))
    attributes.secrets = obj.secrets.map((s) => (isRecord(s) ? s.name : undefined)).filter(Boolean);
  const idn: IdentityInput = withAccount(
    { provider: 'kubernetes', nativeId, kind: 'service-account', name, status: 'active', attributes },
    scope.cluster,
  );
  const created = toUtc(meta.creationTimestamp);
  if (created) idn.createdAt = created;
  const items: ImportItem[] = [{ type: 'identity', value: idn }];
  const ann = labelsOf(meta, 'annotations');
  const from = { type: 'identity' as const, provider: 'kubernetes', nativeId };
  const cloud: [string, string, string][] = [
    ['eks.amazonaws.com/role-arn', 'aws', 'eks-irsa'],
    ['iam.gke.io/gcp-service-account', 'gcp', 'gke-workload-identity'],
    ['azure.workload.identity/client-id', 'azure', 'aks-workload-identity'],
  ];
  for (const [key, provider, technique] of cloud) {
    const target = ann[key];
    if (!target) continue;
    attributes.cloudIdentity = { provider, nativeId: target };
    items.push({
      type: 'edge',
      value: {
        kind: 'can-assume',
        from,
        to: { type: 'identity', provider, nativeId: target },
        technique,
        attributes: { annotation: key },
      },
    });
  }
  return items;
}

export function tokenSecretItems(
  meta: Json,
  ns: string,
  name: string,
  scope: Scope,
  where: string,
): ImportItem[] {
  // Only metadata is read: `data` and `stringData` hold the token and are never touched.
  const ann = labelsOf(meta, 'annotations');
  const saName = ann['kubernetes.io/service-account.name'];
  if (!saName)
    return [
      {
        type: 'skip',
        value: {
          pointer: where,
          reason: `Secret ${ns}/${name}: a service-account-token Secret without the kubernetes.io/service-account.name annotation`,
        },
      },
    ];
  const parent = saNativeId(ns, saName);
  const nativeId = `secret:${ns}/${name}`;
  const attributes: Json = {
    namespace: ns,
    serviceAccount: saName,
    parent,
    longLived: true,
    secretType: 'kubernetes.io/service-account-token',
  };
  if (ann['kubernetes.io/service-account.uid'])
    attributes.serviceAccountUid = ann['kubernetes.io/service-account.uid'];
  const idn: IdentityInput = withAccount(
    { provider: 'kubernetes', nativeId, kind: 'session-token', name, status: 'active', attributes },
    scope.cluster,
  );
  const created = toUtc(meta.creationTimestamp);
  if (created) idn.createdAt = created;
  return [
    { type: 'identity', value: idn },
    {
      type: 'identity',
      value: withAccount(
        { provider: 'kubernetes', nativeId: parent, kind: 'service-account' },
        scope.cluster,
      ),
    },
    {
      type: 'edge',
      value: {
        kind: 'member-of',
        from: { type: 'identity', provider: 'kubernetes', nativeId },
        to: { type: 'identity', provider: 'kubernetes', nativeId: parent },
        attributes: { relation: 'token-of' },
      },
    },
  ];
}

/** The pod spec and pod-template metadata of a workload, wherever its kind keeps them. */
function podOf(kind: string, obj: Json): { spec: Json | undefined; template: Json | undefined } {
  const spec = isRecord(obj.spec) ? obj.spec : undefined;
  if (kind === 'Pod') return { spec, template: undefined };
  const tmplHolder =
    kind === 'CronJob'
      ? isRecord(spec?.jobTemplate) && isRecord(spec.jobTemplate.spec)
        ? spec.jobTemplate.spec
        : undefined
      : spec;
  const template = isRecord(tmplHolder?.template) ? tmplHolder.template : undefined;
  return {
    spec: isRecord(template?.spec) ? template.spec : undefined,
    template: isRecord(template?.metadata) ? template.metadata : undefined,
  };
}

function projectsToken(spec: Json): boolean {
  const vols = Array.isArray(spec.volumes) ? spec.volumes : [];
  return vols.some(
    (v) =>
      isRecord(v) &&
      isRecord(v.projected) &&
      Array.isArray(v.projected.sources) &&
      v.projected.sources.some((s) => isRecord(s) && isRecord(s.serviceAccountToken)),
  );
}

export function workloadItems(
  kind: string,
  obj: Json,
  meta: Json,
  ns: string,
  name: string,
  scope: Scope,
  sas: ReadonlyMap<string, SaInfo>,
  where: string,
): ImportItem[] {
  const { spec, template } = podOf(kind, obj);
  if (!spec)
    return [
      {
        type: 'skip',
        value: {
          pointer: where,
          reason: `${kind} ${ns}/${name} has no pod spec${kind === 'CronJob' ? ' at spec.jobTemplate.spec.template.spec' : kind === 'Pod' ? '' : ' at spec.template.spec'}`,
        },
      },
    ];
  const saName = str(spec.serviceAccountName) ?? str(spec.serviceAccount) ?? 'default';
  const sa = saNativeId(ns, saName);
  let tokenMounted: boolean;
  let tokenMountSource: string;
  if (typeof spec.automountServiceAccountToken === 'boolean')
    [tokenMounted, tokenMountSource] = [spec.automountServiceAccountToken, 'pod'];
  else if (sas.get(sa)?.automount !== undefined)
    [tokenMounted, tokenMountSource] = [sas.get(sa)!.automount!, 'serviceaccount'];
  else
    [tokenMounted, tokenMountSource] = [
      true,
      sas.has(sa) ? 'default' : 'default (service account not in this file)',
    ];
  if (!tokenMounted && projectsToken(spec)) [tokenMounted, tokenMountSource] = [true, 'projected volume'];
  const labels = { ...labelsOf(template), ...labelsOf(meta) };
  const annotations = { ...labelsOf(template, 'annotations'), ...labelsOf(meta, 'annotations') };
  const containers = [
    ...(Array.isArray(spec.containers) ? spec.containers : []),
    ...(Array.isArray(spec.initContainers) ? spec.initContainers : []),
  ];
  const images = containers
    .map((c) => (isRecord(c) ? str(c.image) : undefined))
    .filter((i): i is string => i !== undefined);
  const nativeId = `workload/${ns}/${kind}/${name}`;
  const attributes: Json = {
    kind,
    namespace: ns,
    serviceAccount: sa,
    tokenMounted,
    tokenMountSource,
    labels,
    images,
  };
  if (typeof spec.automountServiceAccountToken === 'boolean')
    attributes.automountServiceAccountToken = spec.automountServiceAccountToken;
  if (spec.hostNetwork === true || spec.hostPID === true) attributes.hostNamespaces = true;
  if (
    containers.some(
      (c) => isRecord(c) && isRecord(c.securityContext) && c.securityContext.privileged === true,
    )
  )
    attributes.privileged = true;
  const owners = Array.isArray(meta.ownerReferences)
    ? meta.ownerReferences.filter(isRecord).map((o) => `${String(o.kind)}/${String(o.name)}`)
    : [];
  if (owners.length > 0) attributes.ownerReferences = owners;
  const resource = resourceWithAccount(
    { provider: 'kubernetes', nativeId, type: 'k8s-workload', name, attributes },
    scope.cluster,
  );
  const items: ImportItem[] = [
    { type: 'resource', value: resource },
    {
      type: 'identity',
      value: withAccount({ provider: 'kubernetes', nativeId: sa, kind: 'service-account' }, scope.cluster),
    },
    {
      type: 'edge',
      value: {
        kind: 'runs-as',
        from: { type: 'resource', provider: 'kubernetes', nativeId },
        to: { type: 'identity', provider: 'kubernetes', nativeId: sa },
        attributes: { tokenMounted, tokenMountSource },
      },
    },
  ];
  const seen = new Set<string>();
  for (const [source, map] of [
    ['label', labels],
    ['annotation', annotations],
  ] as const) {
    for (const [k, v] of Object.entries(map)) {
      if (!v || !scope.tagKeys.includes(k.toLowerCase()) || seen.has(v)) continue;
      seen.add(v);
      items.push({
        type: 'link',
        value: {
          agent: v,
          identity: { provider: 'kubernetes', nativeId: sa },
          source: 'workload',
          evidence: `${kind} ${ns}/${name} (${source} ${k}=${v}) runs as ${sa}${tokenMounted ? '' : ' (token not mounted)'}`,
          confidence: 0.9,
        },
      });
    }
  }
  return items;
}
