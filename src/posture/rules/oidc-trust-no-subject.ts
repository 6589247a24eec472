import { asArray, openTrustFindings, trustStatements } from '../aws-trust.js';
import { fw } from '../frameworks.js';
import { defineRule } from './define-rule.js';

const GITHUB_ISSUER = 'token.actions.githubusercontent.com';
const SUB_KEY = `${GITHUB_ISSUER}:sub`;

/**
 * Why a statement that trusts GitHub's OIDC issuer lets any repository in, or undefined when it
 * restricts the subject. A `sub` of `*` or `repo:*` matches every repository on GitHub.
 * https://docs.github.com/en/actions/security-for-github-actions/security-hardening-your-deployments/configuring-openid-connect-in-amazon-web-services
 */
export function unrestrictedGithubTrust(doc: unknown): string | undefined {
  for (const st of trustStatements(doc)) {
    if (st.Effect !== 'Allow') continue;
    const principal = st.Principal as { Federated?: unknown } | undefined;
    const fed = asArray(principal?.Federated).map(String);
    if (!fed.some((f) => f.endsWith(GITHUB_ISSUER))) continue;
    const actions = asArray(st.Action).map((a) => String(a).toLowerCase());
    if (
      actions.length &&
      !actions.some((a) => a === 'sts:assumerolewithwebidentity' || a === 'sts:*' || a === '*')
    )
      continue;
    const values: string[] = [];
    for (const [op, block] of Object.entries(st.Condition ?? {})) {
      if (/IfExists$/i.test(op)) continue; // a missing claim would pass an IfExists test
      for (const [k, v] of Object.entries(block ?? {}))
        if (k.toLowerCase() === SUB_KEY) values.push(...asArray(v).map(String));
    }
    if (values.length === 0) return 'no condition on the token subject (sub)';
    const open = values.filter((v) => v === '*' || /^repo:\*/.test(v) || v === 'repo:*');
    // IAM ORs the values listed for one key: a single open value admits every repository.
    if (open.length > 0) return `the subject condition matches any repository (${open.join(', ')})`;
  }
  return undefined;
}

/** Cloud roles trusting GitHub Actions' OIDC tokens without restricting which repository may assume them. */
export const oidcTrustNoSubject = defineRule(
  {
    id: 'oidc-trust-no-subject',
    title: 'GitHub OIDC trust without a subject restriction',
    severity: 'critical',
    owaspNhi: ['NHI6', 'NHI5'],
    failureMode: 'over-permissioned',
    references: [
      'https://docs.github.com/en/actions/security-for-github-actions/security-hardening-your-deployments/about-security-hardening-with-openid-connect#configuring-the-oidc-trust-with-the-cloud',
      'https://owasp.org/www-project-non-human-identities-top-10/2025/NHI6_2025-Insecure_Cloud_Deployment_Configurations',
    ],
    remediation:
      'Add a StringEquals (or StringLike) condition on token.actions.githubusercontent.com:sub naming the repository and branch or environment, and on :aud = sts.amazonaws.com.',
    fix: 'aws iam update-assume-role-policy --role-name {name} --policy-document file://trust.json',
    frameworks: fw(['ASI03'], ['PR.AA-05', 'PR.PS-01'], ['6.8'], ['MEASURE 2.7']),
  },
  (input) =>
    openTrustFindings(input, unrestrictedGithubTrust, (name, reason) => ({
      message: `${name} trusts GitHub Actions OIDC with ${reason}: any workflow on GitHub can assume it.`,
      evidence: { issuer: GITHUB_ISSUER, reason },
    })),
);
