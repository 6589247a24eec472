import type { Identity } from '../../model/index.js';
import { fw, OWASP_NHI_URL } from '../frameworks.js';
import {
  agentsOf,
  attr,
  identitiesOf,
  indexOf,
  isLive,
  nameOf,
  type PostureIndex,
} from '../posture-index.js';
import type { RawFinding } from '../posture-types.js';
import { defineRule } from './define-rule.js';

/** Providers whose API keys are the static credentials agents use to reach their model. */
export const LLM_PROVIDERS = new Set([
  'openai',
  'anthropic',
  'google-ai',
  'cohere',
  'mistral',
  'groq',
  'huggingface',
  'replicate',
]);

/** CI secret names that hold cloud keys where the CI could federate through OIDC instead. */
const CLOUD_KEY_NAMES =
  /(AWS_(SECRET_)?ACCESS_KEY|AWS_SECRET|GCP_(SA_)?KEY|GOOGLE_(APPLICATION_)?CREDENTIALS|GCLOUD_KEY|AZURE_CLIENT_SECRET|AZURE_CREDENTIALS|ARM_CLIENT_SECRET)/i;

/** Kubernetes Secret type of a legacy long-lived service account token. */
const SA_TOKEN_TYPE = 'kubernetes.io/service-account-token';

function why(ix: PostureIndex, i: Identity): { reason: string; alternative: string } | undefined {
  const kindish = String(attr(i, 'type', 'secretType') ?? '');
  const looksLike = String(attr(i, 'looksLike') ?? '');
  if (
    i.kind === 'ci-secret' &&
    (CLOUD_KEY_NAMES.test(i.name ?? '') ||
      CLOUD_KEY_NAMES.test(i.nativeId) ||
      !!attr(i, 'cloud') ||
      /^(aws|gcp|azure)/.test(looksLike))
  ) {
    return {
      reason: 'a CI secret holding cloud keys',
      alternative: 'GitHub Actions OIDC (id-token: write) with a role that trusts the repository and branch',
    };
  }
  if (
    i.provider === 'kubernetes' &&
    (kindish === SA_TOKEN_TYPE || attr(i, 'longLived', 'longLivedToken') === true)
  ) {
    return {
      reason: 'a long-lived Kubernetes service account token Secret',
      alternative: 'projected, audience-bound tokens (TokenRequest API) mounted by the kubelet',
    };
  }
  const links = ix.linksOfIdentity.get(i.id) ?? [];
  if (LLM_PROVIDERS.has(i.provider) && i.kind === 'api-key' && links.some((l) => l.source === 'config')) {
    return {
      reason: 'a static model-provider key written in an agent configuration',
      alternative: 'a key injected at run time from a vault or a broker issuing short-lived scoped keys',
    };
  }
  if (i.provider === 'aws' && i.kind === 'access-key') {
    // A workload that already runs under a role or a Kubernetes service account can federate.
    for (const agentId of agentsOf(ix, i.id)) {
      const siblings = identitiesOf(ix, agentId);
      if (
        siblings.some(
          (s) =>
            s.kind === 'cloud-role' ||
            s.kind === 'workload-identity' ||
            (s.provider === 'kubernetes' && s.kind === 'service-account'),
        )
      ) {
        return {
          reason: 'a static AWS access key used by an agent that already runs with a workload identity',
          alternative: 'the workload role (IRSA / EKS Pod Identity / instance profile) instead of the key',
        };
      }
    }
  }
  return undefined;
}

/** Static long-lived keys where workload identity or OIDC federation is available. */
export const staticLongLivedKey = defineRule(
  {
    id: 'static-long-lived-key',
    title: 'Static long-lived key where federation is available',
    severity: 'high',
    owaspNhi: ['NHI7', 'NHI2'],
    failureMode: 'long-lived-secret',
    references: [
      OWASP_NHI_URL + 'NHI7_2025-Long-Lived_Secrets',
      'https://docs.github.com/en/actions/security-for-github-actions/security-hardening-your-deployments/about-security-hardening-with-openid-connect',
      'https://kubernetes.io/docs/concepts/security/service-accounts/#get-a-token',
    ],
    remediation: 'Replace the static key with workload identity or OIDC federation, then revoke the key.',
    frameworks: fw(['ASI03'], ['PR.AA-01', 'PR.AA-03'], ['5.2', '6.7'], ['MANAGE 2.4']),
  },
  (input) => {
    const ix = indexOf(input);
    const out: RawFinding[] = [];
    for (const i of input.identities) {
      if (!isLive(i)) continue;
      const w = why(ix, i);
      if (!w) continue;
      out.push({
        subjectType: 'identity',
        subjectId: i.id,
        subject: i.nativeId,
        agentIds: agentsOf(ix, i.id),
        message: `${nameOf(i)} is ${w.reason}; use ${w.alternative}.`,
        evidence: { reason: w.reason, alternative: w.alternative, kind: i.kind, provider: i.provider },
      });
    }
    return out;
  },
);
