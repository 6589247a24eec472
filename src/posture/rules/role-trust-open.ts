import { asArray, openTrustFindings, trustStatements, type TrustStatement } from '../aws-trust.js';
import { fw } from '../frameworks.js';
import { defineRule } from './define-rule.js';

/** Whether an IAM action pattern (`*` and `?` wildcards, any case) covers sts:AssumeRole. */
function coversAssumeRole(pattern: unknown): boolean {
  const re = String(pattern)
    .toLowerCase()
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${re}$`).test('sts:assumerole');
}

/** Principal `*` or `{"AWS": "*"}`: every AWS principal of every account. */
function everyone(principal: unknown): boolean {
  if (principal === '*') return true;
  if (!principal || typeof principal !== 'object') return false;
  return asArray((principal as { AWS?: unknown }).AWS).some((p) => p === '*');
}

function assumes(st: TrustStatement): boolean {
  if (st.NotAction !== undefined) {
    // NotAction allows everything it does not name.
    return !asArray(st.NotAction).some(coversAssumeRole);
  }
  return asArray(st.Action).some(coversAssumeRole);
}

/** Conditions that still hold when a key is missing (`...IfExists`) restrict nobody who omits it. */
function restricts(st: TrustStatement): boolean {
  return Object.keys(st.Condition ?? {}).some((op) => !/IfExists$/i.test(op));
}

/**
 * Why a role's trust policy lets any AWS principal of any account assume it, or undefined. An Allow
 * for Principal `*` (or `AWS: *`, or `NotPrincipal`) on sts:AssumeRole with no restricting
 * condition (aws:PrincipalOrgID, aws:PrincipalAccount, sts:ExternalId, ...) is open to the world;
 * a Deny for everyone on the same actions takes it back.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html#principal-anonymous
 */
export function openTrust(doc: unknown): string | undefined {
  const statements = trustStatements(doc);
  const denied = statements.some(
    (st) => st.Effect === 'Deny' && (everyone(st.Principal) || st.NotPrincipal !== undefined) && assumes(st),
  );
  if (denied) return undefined;
  for (const st of statements) {
    if (st.Effect !== 'Allow' || !assumes(st) || restricts(st)) continue;
    if (everyone(st.Principal)) return 'Principal "*" with no condition';
    if (st.NotPrincipal !== undefined)
      return 'NotPrincipal (every principal but those named) with no condition';
  }
  return undefined;
}

/** Roles any AWS account in the world can assume. */
export const roleTrustOpen = defineRule(
  {
    id: 'role-trust-open',
    title: 'Role trust policy open to every AWS account',
    severity: 'critical',
    owaspNhi: ['NHI6', 'NHI5'],
    failureMode: 'over-permissioned',
    references: [
      'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html#principal-anonymous',
      'https://owasp.org/www-project-non-human-identities-top-10/2025/NHI6_2025-Insecure_Cloud_Deployment_Configurations',
    ],
    remediation:
      'Name the trusted accounts or roles in the trust policy, or restrict Principal "*" with a condition on aws:PrincipalOrgID, aws:PrincipalAccount or sts:ExternalId.',
    fix: 'aws iam update-assume-role-policy --role-name {name} --policy-document file://trust.json',
    frameworks: fw(['ASI03'], ['PR.AA-05', 'PR.PS-01'], ['6.8'], ['MEASURE 2.7']),
  },
  (input) =>
    openTrustFindings(input, openTrust, (name, reason) => ({
      message: `${name} trusts ${reason}: any principal of any AWS account can assume it.`,
      evidence: { reason },
    })),
);
