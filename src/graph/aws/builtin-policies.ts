/**
 * The few AWS managed policies whose content decides escalations and that an export filtered to
 * local policies may omit. Statements follow the documented policies:
 * https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AdministratorAccess.html
 * https://docs.aws.amazon.com/aws-managed-policy/latest/reference/IAMFullAccess.html
 * Only used when the export does not carry the policy itself.
 */
export const BUILTIN_AWS_POLICIES: Readonly<Record<string, unknown>> = {
  'arn:aws:iam::aws:policy/AdministratorAccess': {
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }],
  },
  'arn:aws:iam::aws:policy/IAMFullAccess': {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Action: [
          'iam:*',
          'organizations:DescribeAccount',
          'organizations:DescribeOrganization',
          'organizations:DescribeOrganizationalUnit',
          'organizations:DescribePolicy',
          'organizations:ListChildren',
          'organizations:ListParents',
          'organizations:ListPoliciesForTarget',
          'organizations:ListRoots',
          'organizations:ListPolicies',
          'organizations:ListTargetsForPolicy',
        ],
        Resource: '*',
      },
    ],
  },
};

/** The policy an attacker attaches when a technique lets it attach any managed policy. */
export const ADMIN_POLICY_ARN = 'arn:aws:iam::aws:policy/AdministratorAccess';
