import { allows, allowsAny } from './rbac-rules.js';
import {
  because,
  sa,
  type K8sStep,
  type K8sTechnique,
  type K8sTechniqueContext,
} from './rbac-technique-types.js';

/*
 * Workload techniques: running code as a service account by creating or changing pods and their
 * controllers, or by getting into a running pod (exec, attach, ephemeral containers, the kubelet
 * through nodes/proxy). https://kubernetes.io/docs/concepts/security/rbac-good-practices/
 */

/** Creating a pod (directly or through a controller) in a namespace can run it as any service account there. */
function createWorkload(name: string, group: string, resource: string): K8sTechnique {
  return {
    name,
    category: 'workload',
    summary: `create ${resource} in a namespace and run its pods as any service account of that namespace, token mounted`,
    requires: [`create ${group || 'core'}/${resource} in the namespace`],
    reference: 'https://kubernetes.io/docs/concepts/security/rbac-good-practices/#workload-creation',
    targets: ({ model, rules }) => {
      const out: K8sStep[] = [];
      for (const ns of model.namespaces) {
        const r = allows(rules, 'create', group, resource, ns);
        if (!r) continue;
        for (const s of model.serviceAccountsIn(ns))
          out.push({ target: sa(s.namespace, s.name), reason: because(r, `create ${resource} in ${ns}`) });
      }
      return out;
    },
  };
}

const CONTROLLER_RESOURCE: Record<string, [string, string]> = {
  Deployment: ['apps', 'deployments'],
  DaemonSet: ['apps', 'daemonsets'],
  StatefulSet: ['apps', 'statefulsets'],
  ReplicaSet: ['apps', 'replicasets'],
  ReplicationController: ['', 'replicationcontrollers'],
  Job: ['batch', 'jobs'],
  CronJob: ['batch', 'cronjobs'],
};

/** Pods whose service account token an attacker inside the pod can read. */
function podTargets(ctx: K8sTechniqueContext, verbs: string[], resource: string, what: string): K8sStep[] {
  const out: K8sStep[] = [];
  for (const w of ctx.model.workloads) {
    if (!w.tokenMounted) continue;
    // A controller's pods have generated names, which resourceNames cannot list in advance.
    const name = w.kind === 'Pod' ? w.name : undefined;
    const r = allowsAny(ctx.rules, verbs, '', resource, w.namespace, name);
    if (r)
      out.push({
        target: sa(w.namespace, w.serviceAccount),
        reason: because(r, `${what} ${w.kind} ${w.namespace}/${w.name}`),
      });
  }
  return out;
}

export const WORKLOAD_TECHNIQUES: readonly K8sTechnique[] = [
  createWorkload('create-pods', '', 'pods'),
  createWorkload('create-deployments', 'apps', 'deployments'),
  createWorkload('create-daemonsets', 'apps', 'daemonsets'),
  createWorkload('create-statefulsets', 'apps', 'statefulsets'),
  createWorkload('create-replicasets', 'apps', 'replicasets'),
  createWorkload('create-replicationcontrollers', '', 'replicationcontrollers'),
  createWorkload('create-jobs', 'batch', 'jobs'),
  createWorkload('create-cronjobs', 'batch', 'cronjobs'),
  {
    name: 'modify-workload',
    category: 'workload',
    summary:
      'update or patch an existing pod controller so that its pod template runs as any service account of its namespace',
    requires: ['update or patch on the controller'],
    reference: 'https://kubernetes.io/docs/concepts/security/rbac-good-practices/#workload-creation',
    targets: ({ model, rules }) => {
      const out: K8sStep[] = [];
      for (const w of model.workloads) {
        const gr = CONTROLLER_RESOURCE[w.kind];
        if (!gr) continue;
        const r = allowsAny(rules, ['update', 'patch'], gr[0], gr[1], w.namespace, w.name);
        if (!r) continue;
        for (const s of model.serviceAccountsIn(w.namespace))
          out.push({
            target: sa(s.namespace, s.name),
            reason: because(r, `modify ${w.kind} ${w.namespace}/${w.name}`),
          });
      }
      return out;
    },
  },
  {
    name: 'pods-exec',
    category: 'workload',
    summary: 'exec into a running pod and read its mounted service account token',
    requires: ['create core/pods/exec on the pod'],
    reference: 'https://kubernetes.io/docs/concepts/security/rbac-good-practices/#escalation-risks',
    targets: (ctx) => podTargets(ctx, ['create'], 'pods/exec', 'exec into'),
  },
  {
    name: 'pods-attach',
    category: 'workload',
    summary: 'attach to a running pod and act inside it with its service account token',
    requires: ['create core/pods/attach on the pod'],
    reference: 'https://kubernetes.io/docs/concepts/security/rbac-good-practices/#escalation-risks',
    targets: (ctx) => podTargets(ctx, ['create'], 'pods/attach', 'attach to'),
  },
  {
    name: 'ephemeral-container',
    category: 'workload',
    summary: 'add an ephemeral (debug) container to a running pod, which can mount its service account token',
    requires: ['update or patch core/pods/ephemeralcontainers on the pod'],
    reference: 'https://kubernetes.io/docs/concepts/workloads/pods/ephemeral-containers/',
    targets: (ctx) =>
      podTargets(ctx, ['update', 'patch'], 'pods/ephemeralcontainers', 'add an ephemeral container to'),
  },
  {
    name: 'nodes-proxy',
    category: 'node',
    summary:
      'reach the kubelet API through nodes/proxy and exec into any pod on the node, bypassing pod-level RBAC',
    requires: ['get or create core/nodes/proxy (cluster-wide)'],
    reference:
      'https://kubernetes.io/docs/concepts/security/rbac-good-practices/#access-to-proxy-subresource-of-nodes',
    targets: ({ model, rules }) => {
      const out: K8sStep[] = [];
      for (const w of model.workloads) {
        if (!w.tokenMounted) continue;
        const r = allowsAny(rules, ['create', 'get'], '', 'nodes/proxy', undefined, w.nodeName);
        if (r)
          out.push({
            target: sa(w.namespace, w.serviceAccount),
            reason: because(r, `kubelet exec into ${w.kind} ${w.namespace}/${w.name} through nodes/proxy`),
          });
      }
      return out;
    },
  },
];
