import type { GrantInput, ImportItem } from '../../store/index.js';
import { isObject, note, PROVIDER, skip, str, type Json } from './aws-common.js';
import {
  decodePolicyDocument,
  KNOWN_POLICY_VERSIONS,
  parsePolicy,
  statementLevel,
  statementSensitivity,
  type ParsedPolicy,
} from './iam-policy.js';

/** Grants and edges of IAM policies, shared by every principal a policy applies to. */
export interface PolicyGrants {
  arn: string;
  parsed: ParsedPolicy;
  level: GrantInput['level'];
}

type GrantTemplate = Omit<GrantInput, 'identity' | 'key' | 'via'>;

/** Statements -> grant fields, computed once per policy document and shared by every principal. */
const templates = new WeakMap<ParsedPolicy, GrantTemplate[]>();

function templatesOf(parsed: ParsedPolicy): GrantTemplate[] {
  let t = templates.get(parsed);
  if (t) return t;
  t = parsed.statements.map((st) => {
    const level = statementLevel(st);
    const conditions: Json = {};
    if (st.condition) conditions.Condition = st.condition;
    if (st.notActions) conditions.NotAction = st.notActions;
    if (st.notResources) conditions.NotResource = st.notResources;
    if (st.sid) conditions.Sid = st.sid;
    // Frozen copies: every principal the policy applies to shares them, and the store serialises
    // a frozen value once instead of once per principal.
    const g: GrantTemplate = {
      effect: st.effect,
      actions: Object.freeze(st.notActions ? ['*'] : [...st.actions]) as string[],
      resources: Object.freeze(st.notResources ? ['*'] : [...st.resources]) as string[],
      level,
      sensitivity: statementSensitivity(st, level),
    };
    if (Object.keys(conditions).length > 0) g.conditions = deepFreeze(structuredClone(conditions));
    return g;
  });
  templates.set(parsed, t);
  return t;
}

function deepFreeze<T>(v: T): T {
  if (v !== null && typeof v === 'object' && !Object.isFrozen(v)) {
    for (const x of Object.values(v)) deepFreeze(x);
    Object.freeze(v);
  }
  return v;
}

/** One grant per statement: key `${origin}#${index}`, so re-imports replace, not add. */
export function* grantsOf(
  identity: { provider: string; nativeId: string },
  origin: string,
  via: string,
  parsed: ParsedPolicy,
): Generator<ImportItem> {
  const t = templatesOf(parsed);
  for (let i = 0; i < t.length; i++) {
    yield { type: 'grant', value: { identity, key: `${origin}#${i}`, via, ...t[i]! } };
  }
}

export function* policyProblems(parsed: ParsedPolicy, at: string): Generator<ImportItem> {
  for (const p of parsed.problems) yield skip(`${at}/Statement/${p.index}`, p.reason);
  if (parsed.version !== undefined && !KNOWN_POLICY_VERSIONS.has(parsed.version)) {
    yield note(`${at}/Version`, `unknown policy language version ${parsed.version}; read as 2012-10-17`);
  }
}

export function listAt(doc: Json, key: string): unknown[] | undefined {
  const v = doc[key];
  return Array.isArray(v) ? v : undefined;
}

export function attachedArns(v: unknown): string[] {
  if (!Array.isArray(v)) return [];
  return v
    .map((a) => (isObject(a) ? str(a.PolicyArn) : undefined))
    .filter((a): a is string => a !== undefined);
}

export function inlinePolicy(
  ip: unknown,
  at: string,
): { name: string; parsed: ParsedPolicy } | { at: string; problem: string } {
  if (!isObject(ip) || !str(ip.PolicyName)) return { at, problem: 'inline policy without PolicyName' };
  const document = decodePolicyDocument(ip.PolicyDocument);
  if (!document)
    return { at: `${at}/PolicyDocument`, problem: 'policy document is neither JSON nor URL-encoded JSON' };
  return { name: str(ip.PolicyName)!, parsed: parsePolicy(document) };
}

export function maxOf(parsed: ParsedPolicy): GrantInput['level'] {
  const order = ['none', 'list', 'read', 'write', 'admin'] as const;
  let best = 0;
  for (const st of parsed.statements)
    if (st.effect === 'allow') best = Math.max(best, order.indexOf(statementLevel(st)));
  return order[best]!;
}

export function permissionEdge(
  from: { type: 'identity' | 'resource'; provider: string; nativeId: string },
  policyArn: string,
  pg: PolicyGrants | undefined,
): ImportItem {
  return {
    type: 'edge',
    value: {
      kind: 'has-permission',
      from,
      to: { type: 'resource', provider: PROVIDER, nativeId: policyArn },
      ...(pg ? { level: pg.level } : {}),
      attributes: { attachment: 'managed-policy' },
    },
  };
}
