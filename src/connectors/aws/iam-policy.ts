import type { AccessLevel, Sensitivity } from '../../model/index.js';
import { isObject, strings, type Json } from './aws-common.js';

/**
 * IAM policy documents as `get-account-authorization-details` returns them: objects from the AWS
 * CLI, RFC 3986 URL-encoded JSON strings from the raw Query API
 * (https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetAccountAuthorizationDetails.html,
 * "The policy document returned in this structure is URL-encoded compliant with RFC 3986").
 * Grammar: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html
 */
export interface Statement {
  sid?: string;
  effect: 'allow' | 'deny';
  actions: string[];
  notActions?: string[];
  resources: string[];
  notResources?: string[];
  principal?: unknown;
  notPrincipal?: unknown;
  condition?: Json;
}

export interface ParsedPolicy {
  version?: string;
  statements: Statement[];
  /** Statements that could not be read, by index, with the reason. */
  problems: { index: number; reason: string }[];
}

/** Policy language versions AWS documents; any other is reported as a note (read anyway). */
export const KNOWN_POLICY_VERSIONS = new Set(['2012-10-17', '2008-10-17']);

/** An object, a JSON string, or an RFC 3986 URL-encoded JSON string -> the document object. */
export function decodePolicyDocument(doc: unknown): Json | undefined {
  if (isObject(doc)) return doc;
  if (typeof doc !== 'string') return undefined;
  let s = doc.trim();
  if (s.startsWith('%7B') || s.startsWith('%7b') || /%[0-9A-Fa-f]{2}/.test(s.slice(0, 8))) {
    try {
      // Some encoders (x-www-form-urlencoded) write spaces as '+': the Query API does not, but the
      // JSON text of a policy contains no literal '+', so undoing it is safe.
      s = decodeURIComponent(s.replace(/\+/g, '%20'));
    } catch {
      return undefined;
    }
  }
  try {
    const v: unknown = JSON.parse(s);
    return isObject(v) ? v : undefined;
  } catch {
    return undefined;
  }
}

export function parsePolicy(doc: Json): ParsedPolicy {
  const out: ParsedPolicy = { statements: [], problems: [] };
  if (typeof doc.Version === 'string') out.version = doc.Version;
  const raw = doc.Statement;
  const list = Array.isArray(raw) ? raw : raw === undefined ? [] : [raw];
  list.forEach((s, index) => {
    if (!isObject(s)) {
      out.problems.push({ index, reason: 'statement is not an object' });
      return;
    }
    const effect = typeof s.Effect === 'string' ? s.Effect.toLowerCase() : '';
    if (effect !== 'allow' && effect !== 'deny') {
      out.problems.push({ index, reason: `Effect must be Allow or Deny, got ${JSON.stringify(s.Effect)}` });
      return;
    }
    const st: Statement = { effect, actions: strings(s.Action), resources: strings(s.Resource) };
    if (typeof s.Sid === 'string' && s.Sid) st.sid = s.Sid;
    if (s.NotAction !== undefined) st.notActions = strings(s.NotAction);
    if (s.NotResource !== undefined) st.notResources = strings(s.NotResource);
    if (s.Principal !== undefined) st.principal = s.Principal;
    if (s.NotPrincipal !== undefined) st.notPrincipal = s.NotPrincipal;
    if (isObject(s.Condition)) st.condition = s.Condition;
    if (st.actions.length === 0 && !st.notActions) {
      out.problems.push({ index, reason: 'statement has neither Action nor NotAction' });
      return;
    }
    out.statements.push(st);
  });
  return out;
}

const RANK: Record<AccessLevel, number> = { none: 0, list: 1, read: 2, write: 3, admin: 4 };

/**
 * Actions that change who may do what: AWS's "Permissions management" access level
 * (https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_understand-policy-summary-access-level-summaries.html),
 * plus the IAM actions known to allow privilege escalation (credentials for another principal,
 * passing a role). These make a grant `admin`.
 */
const PERMISSION_MANAGEMENT =
  /^(iam:(attach|detach|put|delete)(user|group|role)policy|iam:createpolicy(version)?|iam:setdefaultpolicyversion|iam:updateassumerolepolicy|iam:passrole|iam:createaccesskey|iam:(create|update)loginprofile|iam:addusertogroup|iam:(put|delete)(user|role)permissionsboundary|iam:updaterole|iam:createservicelinkedrole|s3:putbucketpolicy|s3:putbucketacl|s3:putobjectacl|kms:putkeypolicy|kms:creategrant|lambda:addpermission|secretsmanager:putresourcepolicy|organizations:.*|sso:.*|ecr:setrepositorypolicy|sns:addpermission|sqs:addpermission)$/;

/** Access level of one action name (case-insensitive, wildcards allowed). */
export function actionLevel(action: string): AccessLevel {
  const a = action.toLowerCase();
  if (a === '*' || a === '*:*' || a.startsWith('iam:*') || a === 'iam:*') return 'admin';
  if (PERMISSION_MANAGEMENT.test(a)) return 'admin';
  const colon = a.indexOf(':');
  const verb = colon < 0 ? a : a.slice(colon + 1);
  const service = colon < 0 ? '' : a.slice(0, colon);
  if (verb === '*') return service === 'sts' || service === 'organizations' ? 'admin' : 'write';
  // A wildcard verb such as `Put*` or `*Policy` may cover permission management: judge by prefix.
  if (verb.includes('*') && service === 'iam' && !/^(get|list|generate|simulate)/.test(verb)) return 'admin';
  if (/^(list|describe)/.test(verb)) return 'list';
  if (
    /^(get|batchget|read|query|scan|select|search|lookup|view|download|retrieve|check|head|preview|test|filter|export|detect)/.test(
      verb,
    )
  )
    return 'read';
  return 'write';
}

export function maxLevel(levels: Iterable<AccessLevel>): AccessLevel {
  let best: AccessLevel = 'none';
  for (const l of levels) if (RANK[l] > RANK[best]) best = l;
  return best;
}

/** Level of a statement: an Allow with NotAction allows nearly everything, so it is admin. */
export function statementLevel(st: Statement): AccessLevel {
  if (st.notActions) {
    const onlyExcludesIam = st.notActions.some((a) => /^iam:\*$|^\*$/.test(a.toLowerCase()));
    return onlyExcludesIam && st.effect === 'allow' ? 'write' : 'admin';
  }
  return maxLevel(st.actions.map(actionLevel));
}

/** Reading these yields secret material (another identity's credential or decryption). */
const SECRET_READ =
  /^(secretsmanager:getsecretvalue|secretsmanager:\*|ssm:getparameters?|ssm:getparametersbypath|ssm:\*|kms:decrypt|kms:\*|iam:createaccesskey|sts:assumerole)$/;

/** Sensitivity of what a statement reaches: critical = everything, high = secrets or admin. */
export function statementSensitivity(st: Statement, level: AccessLevel): Sensitivity {
  const allResources = st.resources.includes('*') || st.notResources !== undefined;
  if (level === 'admin' && allResources) return 'critical';
  if (level === 'admin') return 'high';
  if (st.actions.some((a) => SECRET_READ.test(a.toLowerCase()))) return 'high';
  if (level === 'list') return 'low';
  return allResources && level === 'write' ? 'high' : 'medium';
}

/** The trust policy's principals, sorted by kind (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html). */
export interface TrustPrincipals {
  aws: string[];
  services: string[];
  federated: string[];
  canonicalUsers: string[];
  anyone: boolean;
  /** Statements that trust with a Condition (e.g. GitHub OIDC `sub`), kept for the graph. */
  conditions: Json[];
}

const ASSUME =
  /^sts:(assumerole|assumerolewithwebidentity|assumerolewithsaml|tagsession|setsourceidentity|\*)$|^\*$/;

export function trustPrincipals(policy: ParsedPolicy): TrustPrincipals {
  const out: TrustPrincipals = {
    aws: [],
    services: [],
    federated: [],
    canonicalUsers: [],
    anyone: false,
    conditions: [],
  };
  for (const st of policy.statements) {
    if (st.effect !== 'allow' || !st.actions.some((a) => ASSUME.test(a.toLowerCase()))) continue;
    const p = st.principal;
    if (p === '*') out.anyone = true;
    else if (isObject(p)) {
      for (const v of strings(p.AWS)) {
        if (v === '*') out.anyone = true;
        else out.aws.push(v);
      }
      out.services.push(...strings(p.Service));
      out.federated.push(...strings(p.Federated));
      out.canonicalUsers.push(...strings(p.CanonicalUser));
    }
    if (st.condition) out.conditions.push(st.condition);
  }
  return out;
}
