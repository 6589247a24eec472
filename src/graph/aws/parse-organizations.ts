/**
 * Readers for AWS Organizations output: `aws organizations describe-policy` (a service control
 * policy) and `describe-organization` (its management account, which SCPs never restrict).
 * https://docs.aws.amazon.com/organizations/latest/APIReference/API_DescribePolicy.html
 * https://docs.aws.amazon.com/organizations/latest/APIReference/API_DescribeOrganization.html
 */
import { isObj, issue, str, type Obj, type ParseCtx } from './parse-helpers.js';

/** An SCP; other organization policy types (tag, backup ...) are reported and ignored. */
export function readServiceControlPolicy(o: Obj, c: ParseCtx): boolean {
  if (!isObj(o.Policy) || !isObj(o.Policy.PolicySummary)) return false;
  const s = o.Policy.PolicySummary;
  if (s.Type !== undefined && s.Type !== 'SERVICE_CONTROL_POLICY') {
    issue(c, '/Policy/PolicySummary/Type', `organization policy of type ${String(s.Type)} ignored`);
    return true;
  }
  c.env.scps.push({ id: str(s.Id) ?? '', name: str(s.Name) ?? '', document: o.Policy.Content });
  return true;
}

/** The management account (the API calls it `MasterAccountId`; `ManagementAccountId` is read too). */
export function readOrganization(o: Obj, c: ParseCtx): boolean {
  if (!isObj(o.Organization)) return false;
  const m = str(o.Organization.MasterAccountId) ?? str(o.Organization.ManagementAccountId);
  if (m) c.env.managementAccounts.push(m);
  return true;
}
