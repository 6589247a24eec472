/**
 * Compiles IAM policy documents once into statements with interned matchers, indexed by action
 * service prefix so an evaluation only looks at statements that can name the action.
 * Grammar: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html
 * Documents arrive as objects (CLI), JSON text, or RFC 3986 URL-encoded JSON text (raw Query API):
 * https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetAccountAuthorizationDetails.html
 */
import { compileConditions, type CompiledCondition } from './conditions.js';
import { compileWildcard, type Matcher } from './wildcard.js';

export interface ResourcePattern {
  readonly raw: string;
  /** Null when the pattern holds policy variables (`${aws:username}`): resolved per request. */
  readonly matcher: Matcher | null;
}

export interface CompiledPrincipal {
  readonly any: boolean;
  readonly aws: readonly string[];
  readonly service: readonly string[];
  readonly federated: readonly string[];
  readonly other: readonly string[];
}

export interface CompiledStatement {
  readonly deny: boolean;
  readonly actions: readonly Matcher[];
  readonly notAction: boolean;
  /** Null when the statement has neither Resource nor NotResource (trust policies). */
  readonly resources: readonly ResourcePattern[] | null;
  readonly notResource: boolean;
  readonly conditions: readonly CompiledCondition[] | null;
  readonly principal: CompiledPrincipal | null;
  readonly notPrincipal: boolean;
  /** `policy-label#sid-or-index`, for reasons. */
  readonly label: string;
}

export interface CompiledPolicy {
  readonly label: string;
  readonly statements: readonly CompiledStatement[];
  readonly byService: ReadonlyMap<string, readonly CompiledStatement[]>;
  /** Statements that can match any service (NotAction, `*`, wildcards in the service prefix). */
  readonly wild: readonly CompiledStatement[];
  readonly issues: readonly string[];
  /** Services named by at least one Allow statement (for the cheap "may allow" pre-check). */
  readonly allowServices: ReadonlySet<string>;
  /** Some Allow statement can match any service (NotAction or a wildcard service prefix). */
  readonly allowWild: boolean;
}

const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : v === undefined || v === null ? [] : [v]);
const strings = (v: unknown): string[] => list(v).filter((x): x is string => typeof x === 'string');

/** Decodes a policy document given as an object, JSON text or URL-encoded JSON text. */
export function decodePolicyDocument(doc: unknown): { doc: Record<string, unknown> | null; error?: string } {
  let d = doc;
  if (typeof d === 'string') {
    let text = d.trim();
    if (text.startsWith('%')) {
      try {
        text = decodeURIComponent(text);
      } catch {
        return { doc: null, error: 'policy document is not valid URL-encoded text' };
      }
    }
    try {
      d = JSON.parse(text);
    } catch {
      return { doc: null, error: 'policy document is not valid JSON' };
    }
  }
  if (typeof d !== 'object' || d === null || Array.isArray(d))
    return { doc: null, error: 'policy document is not an object' };
  return { doc: d as Record<string, unknown> };
}

function compilePrincipal(p: unknown, issues: string[]): CompiledPrincipal | null {
  if (p === undefined) return null;
  if (p === '*') return { any: true, aws: [], service: [], federated: [], other: [] };
  if (typeof p !== 'object' || p === null || Array.isArray(p)) {
    issues.push('Principal is neither "*" nor an object');
    return { any: false, aws: [], service: [], federated: [], other: [] };
  }
  const o = p as Record<string, unknown>;
  const aws = strings(o.AWS);
  const other: string[] = [];
  for (const k of Object.keys(o))
    if (k !== 'AWS' && k !== 'Service' && k !== 'Federated')
      other.push(...strings(o[k]).map((v) => `${k}:${v}`));
  return {
    any: aws.includes('*'),
    aws: aws.filter((a) => a !== '*'),
    service: strings(o.Service).map((s) => s.toLowerCase()),
    federated: strings(o.Federated),
    other,
  };
}

/**
 * Compiles one document. `label` names it in reasons (e.g. `arn:aws:iam::1:policy/x` or
 * `user/alice inline ops`). Never throws: problems are in `issues`, bad statements are dropped.
 */
export function compilePolicy(document: unknown, label: string): CompiledPolicy {
  const issues: string[] = [];
  const statements: CompiledStatement[] = [];
  const { doc, error } = decodePolicyDocument(document);
  if (error) issues.push(`${label}: ${error}`);
  const stmts = doc ? list(doc.Statement) : [];
  if (doc && stmts.length === 0) issues.push(`${label}: no Statement`);
  stmts.forEach((raw, i) => {
    if (typeof raw !== 'object' || raw === null)
      return void issues.push(`${label}#${i}: statement is not an object`);
    const s = raw as Record<string, unknown>;
    const sl = `${label}#${typeof s.Sid === 'string' && s.Sid ? s.Sid : i}`;
    if (s.Effect !== 'Allow' && s.Effect !== 'Deny')
      return void issues.push(`${sl}: Effect must be Allow or Deny`);
    const notAction = s.NotAction !== undefined;
    const acts = strings(notAction ? s.NotAction : s.Action);
    if (acts.length === 0 && !notAction) return void issues.push(`${sl}: no Action`);
    const notResource = s.NotResource !== undefined;
    const hasRes = notResource || s.Resource !== undefined;
    const resources = hasRes
      ? strings(notResource ? s.NotResource : s.Resource).map((r) => ({
          raw: r,
          matcher: r.includes('${') ? null : compileWildcard(r, false),
        }))
      : null;
    const cIssues: string[] = [];
    const conditions = compileConditions(s.Condition, cIssues);
    for (const ci of cIssues) issues.push(`${sl}: ${ci}`);
    const principal = compilePrincipal(s.NotPrincipal ?? s.Principal, issues);
    statements.push({
      deny: s.Effect === 'Deny',
      actions: acts.map((a) => compileWildcard(a, true)),
      notAction,
      resources,
      notResource,
      conditions,
      principal,
      notPrincipal: s.NotPrincipal !== undefined,
      label: sl,
    });
  });
  const byService = new Map<string, CompiledStatement[]>();
  const wild: CompiledStatement[] = [];
  for (const st of statements) {
    if (st.notAction) {
      wild.push(st);
      continue;
    }
    let isWild = false;
    const svcs = new Set<string>();
    for (const a of st.actions) {
      const c = a.source.indexOf(':');
      const svc = c < 0 ? a.source : a.source.slice(0, c);
      if (c < 0 || svc.includes('*') || svc.includes('?')) isWild = true;
      else svcs.add(svc);
    }
    if (isWild) wild.push(st);
    else
      for (const svc of svcs) {
        const l = byService.get(svc);
        if (l) l.push(st);
        else byService.set(svc, [st]);
      }
  }
  const allowServices = new Set<string>();
  for (const [svc, sts] of byService) if (sts.some((x) => !x.deny)) allowServices.add(svc);
  return { label, statements, byService, wild, issues, allowServices, allowWild: wild.some((x) => !x.deny) };
}

/** Whether the statement names the (lower-cased) action. */
export function statementMatchesAction(st: CompiledStatement, action: string): boolean {
  let hit = false;
  for (const m of st.actions) {
    if (m.test(action)) {
      hit = true;
      break;
    }
  }
  return st.notAction ? !hit : hit;
}
