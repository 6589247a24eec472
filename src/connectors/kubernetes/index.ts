import type { Connector } from '../core/types.js';
import { kubernetesConnector } from './k8s-connector.js';

/**
 * Kubernetes: manifests (multi-document YAML) and `kubectl get ... -o json|yaml` (`kind: List` or a
 * typed `XList`). Records (provider `kubernetes`):
 *
 * - ServiceAccount -> identity `service-account`, nativeId `system:serviceaccount:NS:NAME`;
 *   `attributes.automountServiceAccountToken`, `attributes.tags` (labels, plus annotations whose key
 *   is a `links.tagKeys` entry, so `agent: x` labels link through derived tag links); EKS/GKE/AKS
 *   workload-identity annotations -> edge `can-assume` to the aws role ARN / gcp SA email / azure
 *   client id (techniques eks-irsa, gke-workload-identity, aks-workload-identity).
 * - Secret `kubernetes.io/service-account-token` -> identity `session-token`, nativeId
 *   `secret:NS/NAME`, `attributes.longLived`, `attributes.parent` = the SA, edge token `member-of` SA.
 *   `data`/`stringData` are never read. Other Secrets are counted in one note.
 * - Role / ClusterRole -> resource `k8s-role` (`role/NS/NAME`) / `k8s-clusterrole`
 *   (`clusterrole/NAME`) with `attributes.rules`, `labels`, `aggregationRule` (selectors kept so the
 *   graph can re-aggregate across files), `aggregatedFrom` (aggregation resolved within the file),
 *   `level`.
 * - RoleBinding / ClusterRoleBinding -> resource `k8s-rolebinding` (`rolebinding/NS/NAME`) /
 *   `k8s-clusterrolebinding` with `roleRef` and `subjects`; per ServiceAccount or Group subject an
 *   edge `member-of` (key = binding id, attributes {binding, bindingKind, roleRef, scope: NS | '*'})
 *   from the SA identity or the group resource (`group/NAME`, type `k8s-group`) to the role; and,
 *   when the role is in the same file, one grant per rule: `actions` = verbs, `resources` =
 *   `NAMESPACE/GROUP/RESOURCE[/NAME]` (`*` = all namespaces, `core` = the "" group) or `url:/path`,
 *   level admin (wildcards, bind/escalate/impersonate, RBAC writes, pods/exec, nodes/proxy,
 *   serviceaccounts/token, webhooks), write, read, list. Group subjects (`system:serviceaccounts`,
 *   `system:serviceaccounts:NS`, `system:authenticated`) give grants to the file's SAs in them, and
 *   every SA gets implicit `member-of` edges to those group resources. User subjects are people.
 * - Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job, CronJob ->
 *   resource `k8s-workload` (`workload/NS/KIND/NAME`) with `serviceAccount`, `tokenMounted` and
 *   `tokenMountSource` (pod spec, else the SA in this file, else Kubernetes' default: mounted),
 *   labels, images; edge `runs-as` to the SA (`default` when serviceAccountName is absent). A label or
 *   annotation `warden.io/agent` / `agent` (config `links.tagKeys`) on the workload or its pod
 *   template -> link {source: 'workload', confidence 0.9} from that agent to the SA.
 * - Other kinds -> one note per kind; a YAML syntax error -> the file fails with line and column.
 *
 * Cluster: Kubernetes objects do not name their cluster. The `warden.io/cluster` annotation on any
 * object of the file sets `account` for the whole file; without it `account` stays undefined (two
 * clusters' same-named SAs then share one identity: annotate, or import them separately).
 *
 * @example
 * // kubectl get sa,secrets,roles,clusterroles,rolebindings,clusterrolebindings,deploy,sts,ds,cronjobs -A -o json > cluster.json
 * await importPaths({ store, config, connectors: CONNECTORS, paths: ['cluster.json'] });
 */
export const connectors: Connector[] = [kubernetesConnector];
export { CLUSTER_ANNOTATION } from './k8s-connector.js';
export { ruleLevel, ruleResources, selectorMatches } from './k8s-rbac.js';
