import { saUser } from './rbac-model.js';
import { allows, allowsAny, allowsScoped, namesAllowed } from './rbac-rules.js';
import { because, sa, type K8sStep, type K8sTechnique } from './rbac-technique-types.js';
import { WORKLOAD_TECHNIQUES } from './rbac-workload-techniques.js';

export type { K8sStep, K8sTarget, K8sTechnique, K8sTechniqueContext } from './rbac-technique-types.js';

const RBAC = 'rbac.authorization.k8s.io';

/**
 * Every Kubernetes escalation technique, as declarative entries (name, category, required
 * permissions, targets): the workload ones, then credentials, impersonation, RBAC, certificates and
 * admission. Adding a technique is adding an entry.
 */
export const K8S_TECHNIQUES: readonly K8sTechnique[] = [
  ...WORKLOAD_TECHNIQUES,
  {
    name: 'serviceaccount-token',
    category: 'credentials',
    summary:
      'request a token for a service account through the TokenRequest API (serviceaccounts/token create)',
    requires: ['create core/serviceaccounts/token on the account'],
    reference:
      'https://kubernetes.io/docs/reference/kubernetes-api/authentication-resources/token-request-v1/',
    targets: ({ model, rules }) => {
      const out: K8sStep[] = [];
      for (const s of model.serviceAccounts.values()) {
        const r = allows(rules, 'create', '', 'serviceaccounts/token', s.namespace, s.name);
        if (r)
          out.push({
            target: sa(s.namespace, s.name),
            reason: because(r, `create serviceaccounts/token ${s.namespace}/${s.name}`),
          });
      }
      return out;
    },
  },
  {
    name: 'read-token-secret',
    category: 'credentials',
    summary: 'read a service-account-token Secret (get it by name, or list/watch secrets in its namespace)',
    requires: ['get on the secret, or list/watch core/secrets in the namespace'],
    reference: 'https://kubernetes.io/docs/concepts/security/rbac-good-practices/#listing-secrets',
    targets: ({ model, rules }) => {
      const out: K8sStep[] = [];
      for (const s of model.tokenSecrets) {
        const r =
          allowsAny(rules, ['list', 'watch'], '', 'secrets', s.namespace) ??
          allows(rules, 'get', '', 'secrets', s.namespace, s.name);
        if (r)
          out.push({
            target: sa(s.namespace, s.serviceAccount),
            reason: because(r, `read Secret ${s.namespace}/${s.name}`),
          });
      }
      return out;
    },
  },
  {
    name: 'impersonate-serviceaccount',
    category: 'impersonation',
    summary: 'impersonate a service account (Impersonate-User: system:serviceaccount:NS:NAME)',
    requires: ['impersonate core/serviceaccounts on the account, or impersonate core/users on its user name'],
    reference: 'https://kubernetes.io/docs/reference/access-authn-authz/authentication/#user-impersonation',
    targets: ({ model, rules }) => {
      const out: K8sStep[] = [];
      for (const s of model.serviceAccounts.values()) {
        const r =
          allows(rules, 'impersonate', '', 'serviceaccounts', s.namespace, s.name) ??
          allows(rules, 'impersonate', '', 'users', undefined, saUser(s.namespace, s.name));
        if (r)
          out.push({
            target: sa(s.namespace, s.name),
            reason: because(r, `impersonate ${saUser(s.namespace, s.name)}`),
          });
      }
      return out;
    },
  },
  {
    name: 'impersonate-user',
    category: 'impersonation',
    summary: 'impersonate a user named in the bindings (Impersonate-User header)',
    requires: ['impersonate core/users on the user name'],
    reference: 'https://kubernetes.io/docs/reference/access-authn-authz/authentication/#user-impersonation',
    targets: ({ model, rules }) => {
      const out: K8sStep[] = [];
      for (const u of model.users()) {
        const r = allows(rules, 'impersonate', '', 'users', undefined, u);
        if (r)
          out.push({
            target: {
              type: 'principal',
              principal: { kind: 'User', name: u, groups: ['system:authenticated'] },
            },
            reason: because(r, `impersonate user ${u}`),
          });
      }
      return out;
    },
  },
  {
    name: 'impersonate-group',
    category: 'impersonation',
    summary:
      'impersonate a group (Impersonate-Group, which also needs impersonating some user); system:masters is cluster admin',
    requires: ['impersonate core/groups on the group name', 'impersonate core/users on at least one user'],
    reference: 'https://kubernetes.io/docs/reference/access-authn-authz/authentication/#user-impersonation',
    targets: ({ model, rules }) => {
      const users = namesAllowed(rules, 'impersonate', '', 'users', undefined);
      if (users !== '*' && users.size === 0) return [];
      const out: K8sStep[] = [];
      for (const g of ['system:masters', ...model.groups()]) {
        const r = allows(rules, 'impersonate', '', 'groups', undefined, g);
        if (!r) continue;
        if (g === 'system:masters')
          out.push({
            target: { type: 'admin', label: 'group:system:masters' },
            reason: because(r, 'impersonate group system:masters'),
          });
        else
          out.push({
            target: { type: 'principal', principal: { kind: 'Group', name: g } },
            reason: because(r, `impersonate group ${g}`),
          });
      }
      return out;
    },
  },
  {
    name: 'rbac-bind',
    category: 'rbac',
    summary:
      'create a (cluster) role binding to a role one does not hold, allowed by the bind verb on that role',
    requires: [
      `bind ${RBAC}/clusterroles or roles on the role`,
      `create ${RBAC}/clusterrolebindings or rolebindings`,
    ],
    reference:
      'https://kubernetes.io/docs/reference/access-authn-authz/rbac/#restrictions-on-role-binding-creation-or-update',
    targets: ({ model, rules }) => {
      const out: K8sStep[] = [];
      const crbCreate = allows(rules, 'create', RBAC, 'clusterrolebindings', undefined);
      for (const role of model.clusterRoles.values()) {
        const bind = allows(rules, 'bind', RBAC, 'clusterroles', undefined, role.name);
        if (bind && crbCreate)
          out.push({
            target: {
              type: 'grant',
              label: `clusterrole:${role.name}`,
              rules: model.rulesOfRole(role, '*', `new ClusterRoleBinding -> ClusterRole ${role.name}`),
            },
            reason: because(bind, `bind ClusterRole ${role.name} cluster-wide`),
          });
        for (const ns of model.namespaces) {
          const rb = allows(rules, 'create', RBAC, 'rolebindings', ns);
          const b = rb && allowsScoped(rules, 'bind', RBAC, 'clusterroles', ns, role.name);
          if (rb && b)
            out.push({
              target: {
                type: 'grant',
                label: `clusterrole:${role.name}@${ns}`,
                rules: model.rulesOfRole(role, ns, `new RoleBinding ${ns} -> ClusterRole ${role.name}`),
              },
              reason: because(b, `bind ClusterRole ${role.name} in ${ns}`),
            });
        }
      }
      for (const role of model.roles.values()) {
        const ns = role.namespace!;
        const b = allows(rules, 'bind', RBAC, 'roles', ns, role.name);
        if (b && allows(rules, 'create', RBAC, 'rolebindings', ns))
          out.push({
            target: {
              type: 'grant',
              label: `role:${ns}/${role.name}`,
              rules: model.rulesOfRole(role, ns, `new RoleBinding ${ns} -> Role ${role.name}`),
            },
            reason: because(b, `bind Role ${ns}/${role.name}`),
          });
      }
      return out;
    },
  },
  {
    name: 'patch-rolebinding',
    category: 'rbac',
    summary:
      "add oneself to an existing (cluster) role binding's subjects; the API server checks bind on its role for updates too",
    requires: [
      `update or patch ${RBAC}/rolebindings or clusterrolebindings on the binding`,
      'bind on the role it refers to',
    ],
    reference:
      'https://kubernetes.io/docs/reference/access-authn-authz/rbac/#restrictions-on-role-binding-creation-or-update',
    targets: ({ model, rules }) => {
      const out: K8sStep[] = [];
      for (const b of model.bindings) {
        const cluster = b.kind === 'ClusterRoleBinding';
        const upd = allowsAny(
          rules,
          ['update', 'patch'],
          RBAC,
          cluster ? 'clusterrolebindings' : 'rolebindings',
          b.namespace,
          b.name,
        );
        if (!upd) continue;
        const role = model.roleOf(b);
        if (!role) continue;
        const bind = allowsScoped(
          rules,
          'bind',
          RBAC,
          b.roleRef.kind === 'ClusterRole' ? 'clusterroles' : 'roles',
          cluster ? undefined : b.namespace,
          role.name,
        );
        if (!bind) continue;
        const scope = cluster ? '*' : b.namespace!;
        const label = cluster ? `clusterrolebinding:${b.name}` : `rolebinding:${b.namespace}/${b.name}`;
        out.push({
          target: {
            type: 'grant',
            label,
            rules: model.rulesOfRole(role, scope, `${b.kind} ${label} (subjects patched)`),
          },
          reason: because(upd, `patch ${label} and bind ${role.name}`),
        });
      }
      return out;
    },
  },
  {
    name: 'rbac-escalate',
    category: 'rbac',
    summary: 'edit a role already bound to oneself to grant anything, allowed by the escalate verb',
    requires: [`escalate and update/patch ${RBAC}/clusterroles or roles on a role bound to oneself`],
    reference:
      'https://kubernetes.io/docs/reference/access-authn-authz/rbac/#restrictions-on-role-creation-or-update',
    targets: ({ model, rules, self }) => {
      if (!self) return [];
      const out: K8sStep[] = [];
      for (const b of model.bindingsOf(self)) {
        const role = model.roleOf(b);
        if (!role || role.builtin) continue;
        const res = role.kind === 'ClusterRole' ? 'clusterroles' : 'roles';
        const ns = role.kind === 'Role' ? role.namespace : undefined;
        const esc = allowsScoped(rules, 'escalate', RBAC, res, ns, role.name);
        const upd =
          esc &&
          (allowsScoped(rules, 'update', RBAC, res, ns, role.name) ??
            allowsScoped(rules, 'patch', RBAC, res, ns, role.name));
        if (!esc || !upd) continue;
        const scope = b.kind === 'ClusterRoleBinding' ? '*' : b.namespace!;
        const all = {
          apiGroups: ['*'],
          resources: ['*'],
          verbs: ['*'],
          resourceNames: [],
          nonResourceURLs: [],
        };
        out.push({
          target: {
            type: 'grant',
            label: `${role.kind.toLowerCase()}:${role.namespace ? role.namespace + '/' : ''}${role.name}*`,
            rules: [{ rule: all, namespace: scope, via: `${role.kind} ${role.name} rewritten` }],
          },
          reason: because(esc, `escalate and update ${role.kind} ${role.name}`),
        });
      }
      return out;
    },
  },
  {
    name: 'csr-approve',
    category: 'certificates',
    summary:
      'create a client-certificate signing request for group system:masters and approve it for the kube-apiserver-client signer',
    requires: [
      'create certificates.k8s.io/certificatesigningrequests',
      'update certificates.k8s.io/certificatesigningrequests/approval',
      'approve certificates.k8s.io/signers kubernetes.io/kube-apiserver-client',
    ],
    reference:
      'https://kubernetes.io/docs/reference/access-authn-authz/certificate-signing-requests/#authorization',
    targets: ({ rules }) => {
      const G = 'certificates.k8s.io';
      const create = allows(rules, 'create', G, 'certificatesigningrequests', undefined);
      const approval = allowsAny(
        rules,
        ['update', 'patch'],
        G,
        'certificatesigningrequests/approval',
        undefined,
      );
      const signer =
        allows(rules, 'approve', G, 'signers', undefined, 'kubernetes.io/kube-apiserver-client') ??
        allows(rules, 'approve', G, 'signers', undefined, 'kubernetes.io/*');
      if (!create || !approval || !signer) return [];
      return [
        {
          target: { type: 'admin', label: 'group:system:masters' },
          reason: because(signer, 'create and approve a CSR for system:masters'),
        },
      ];
    },
  },
  ...(['mutating', 'validating'] as const).map((k): K8sTechnique => ({
    name: `${k}-webhook`,
    category: 'admission',
    summary:
      k === 'mutating'
        ? 'register a mutating admission webhook that rewrites every object created in the cluster (pods, bindings)'
        : 'register a validating admission webhook that receives every object written, Secrets and tokens included',
    requires: [`create, update or patch admissionregistration.k8s.io/${k}webhookconfigurations`],
    reference: 'https://kubernetes.io/docs/concepts/security/rbac-good-practices/#control-admission-webhooks',
    targets: ({ rules }) => {
      const r = allowsAny(
        rules,
        ['create', 'update', 'patch'],
        'admissionregistration.k8s.io',
        `${k}webhookconfigurations`,
        undefined,
      );
      return r
        ? [
            {
              target: { type: 'admin', label: `${k}webhookconfiguration` },
              reason: because(r, `register a ${k} webhook`),
            },
          ]
        : [];
    },
  })),
];
