/**
 * IAM condition operators, evaluated three-valued: true, false, or unknown (the value depends on a
 * request-context key Warden cannot know, such as aws:SourceIp or aws:MultiFactorAuthPresent).
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html
 *
 * Semantics followed: several keys in one operator block and several operators are ANDed; several
 * values for one key are ORed (for negated operators: the value must match none of them); a key
 * missing from the request makes a positive operator false and a negated one true, `...IfExists`
 * makes a missing key true; `Null` tests presence; `ForAllValues:` is true when every request value
 * matches (vacuously true when the key is missing); `ForAnyValue:` needs at least one match.
 */
import { wildcardMatch } from './wildcard.js';

/**
 * Request context: lower-cased key -> value(s). A key set to `null` is known to be absent from the
 * request; a key that is not in the object at all is unknown (the evaluation becomes conditional).
 */
export type RequestContext = Readonly<Record<string, string | readonly string[] | null>>;

/** Lookup form used on the hot path: `undefined` = unknown, `null` = known absent. */
export type ContextLookup = (key: string) => string | readonly string[] | null | undefined;

/** Wraps a plain context object as a lookup. */
export function lookupOf(ctx: RequestContext): ContextLookup {
  return (k) => (Object.prototype.hasOwnProperty.call(ctx, k) ? ctx[k] : undefined);
}

export type Tri = 0 | 1 | 2; // 0 false, 1 true, 2 unknown

export interface CompiledCondition {
  readonly operator: string; // as written
  readonly base: string; // lower-cased, without prefix/suffix
  readonly key: string; // lower-cased
  readonly values: readonly string[];
  readonly ifExists: boolean;
  readonly set: 'all' | 'any' | null;
  /** Set when the operator is not one IAM defines: such a condition is never taken as satisfied. */
  readonly unknownOperator: boolean;
}

const KNOWN_BASES = new Set([
  'stringequals',
  'stringnotequals',
  'stringequalsignorecase',
  'stringnotequalsignorecase',
  'stringlike',
  'stringnotlike',
  'numericequals',
  'numericnotequals',
  'numericlessthan',
  'numericlessthanequals',
  'numericgreaterthan',
  'numericgreaterthanequals',
  'dateequals',
  'datenotequals',
  'datelessthan',
  'datelessthanequals',
  'dategreaterthan',
  'dategreaterthanequals',
  'bool',
  'binaryequals',
  'ipaddress',
  'notipaddress',
  'arnequals',
  'arnlike',
  'arnnotequals',
  'arnnotlike',
  'null',
]);

const NEGATED = new Set([
  'stringnotequals',
  'stringnotequalsignorecase',
  'stringnotlike',
  'numericnotequals',
  'datenotequals',
  'notipaddress',
  'arnnotequals',
  'arnnotlike',
]);

/** Compiles a statement's `Condition` block; problems are pushed to `issues`. */
export function compileConditions(block: unknown, issues: string[]): CompiledCondition[] | null {
  if (block === undefined || block === null) return null;
  if (typeof block !== 'object' || Array.isArray(block)) {
    issues.push('Condition is not an object');
    return [
      { operator: '?', base: '?', key: '?', values: [], ifExists: false, set: null, unknownOperator: true },
    ];
  }
  const out: CompiledCondition[] = [];
  for (const [operator, keys] of Object.entries(block as Record<string, unknown>)) {
    let base = operator.toLowerCase();
    let set: 'all' | 'any' | null = null;
    if (base.startsWith('forallvalues:')) {
      set = 'all';
      base = base.slice(13);
    } else if (base.startsWith('foranyvalue:')) {
      set = 'any';
      base = base.slice(12);
    }
    let ifExists = false;
    if (base.endsWith('ifexists') && base !== 'ifexists') {
      ifExists = true;
      base = base.slice(0, -8);
    }
    const unknownOperator = !KNOWN_BASES.has(base);
    if (unknownOperator) issues.push(`unknown condition operator ${operator}`);
    if (!keys || typeof keys !== 'object' || Array.isArray(keys)) {
      issues.push(`condition ${operator} has no key block`);
      out.push({ operator, base, key: '?', values: [], ifExists, set, unknownOperator: true });
      continue;
    }
    for (const [key, raw] of Object.entries(keys as Record<string, unknown>)) {
      const list = Array.isArray(raw) ? raw : [raw];
      const values = list.map((v) => (typeof v === 'string' ? v : JSON.stringify(v)));
      out.push({ operator, base, key: key.toLowerCase(), values, ifExists, set, unknownOperator });
    }
  }
  return out;
}

function ipv4ToInt(s: string): number | null {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(s);
  if (!m) return null;
  let n = 0;
  for (let i = 1; i <= 4; i++) {
    const o = Number(m[i]);
    if (o > 255) return null;
    n = n * 256 + o;
  }
  return n;
}

function ipInCidr(ip: string, cidr: string): boolean {
  const [net, bitsRaw] = cidr.split('/');
  const a = ipv4ToInt(ip);
  const b = ipv4ToInt(net ?? '');
  if (a === null || b === null) return ip === cidr || ip === net; // IPv6: exact text only
  const bits = bitsRaw === undefined ? 32 : Number(bitsRaw);
  if (!(bits >= 0 && bits <= 32)) return false;
  const size = 2 ** (32 - bits);
  return Math.floor(a / size) === Math.floor(b / size);
}

function dateValue(s: string): number {
  if (/^\d+$/.test(s)) return Number(s) * 1000; // epoch seconds are accepted by IAM
  return Date.parse(s);
}

/** Whether one request value matches one condition value under a (non-negated) base operator. */
function matchOne(base: string, actual: string, expected: string): boolean {
  switch (base) {
    case 'stringequals':
    case 'stringnotequals':
    case 'binaryequals':
      return actual === expected;
    case 'stringequalsignorecase':
    case 'stringnotequalsignorecase':
      return actual.toLowerCase() === expected.toLowerCase();
    case 'stringlike':
    case 'stringnotlike':
    case 'arnequals':
    case 'arnlike':
    case 'arnnotequals':
    case 'arnnotlike':
      // ArnEquals and ArnLike behave the same: each of the six colon-separated parts is matched
      // with wildcards, which for well-formed ARNs equals a whole-string wildcard match.
      return wildcardMatch(expected, actual, false);
    case 'bool':
      return actual.toLowerCase() === expected.toLowerCase();
    case 'ipaddress':
    case 'notipaddress':
      return ipInCidr(actual, expected);
    default: {
      if (base.startsWith('numeric')) {
        const x = Number(actual);
        const y = Number(expected);
        if (Number.isNaN(x) || Number.isNaN(y)) return false;
        return compare(base.slice(7), x, y);
      }
      if (base.startsWith('date')) {
        const x = dateValue(actual);
        const y = dateValue(expected);
        if (Number.isNaN(x) || Number.isNaN(y)) return false;
        return compare(base.slice(4), x, y);
      }
      return false;
    }
  }
}

function compare(rel: string, x: number, y: number): boolean {
  switch (rel) {
    case 'equals':
    case 'notequals':
      return x === y;
    case 'lessthan':
      return x < y;
    case 'lessthanequals':
      return x <= y;
    case 'greaterthan':
      return x > y;
    case 'greaterthanequals':
      return x >= y;
    default:
      return false;
  }
}

/** Evaluates one compiled condition. `why` receives the reason when the result is unknown. */
export function evalCondition(c: CompiledCondition, ctx: ContextLookup, why: string[]): Tri {
  if (c.unknownOperator) {
    why.push(`unknown condition operator ${c.operator}`);
    return 2;
  }
  const raw = ctx(c.key);
  if (raw === undefined) {
    why.push(`condition ${c.operator} on ${c.key} depends on the request context`);
    return 2;
  }
  const present = raw !== null && !(Array.isArray(raw) && raw.length === 0);
  if (c.base === 'null') {
    const wantAbsent = (c.values[0] ?? '').toLowerCase() === 'true';
    return (wantAbsent ? !present : present) ? 1 : 0;
  }
  const negated = NEGATED.has(c.base);
  if (!present) {
    if (c.set === 'all') return 1;
    if (c.set === 'any') return 0;
    if (c.ifExists) return 1;
    return negated ? 1 : 0;
  }
  const actuals: readonly string[] = typeof raw === 'string' ? [raw] : (raw as readonly string[]);
  const hit = (a: string): boolean => c.values.some((e) => matchOne(c.base, a, e));
  if (c.set === 'all') return actuals.every((a) => (negated ? !hit(a) : hit(a))) ? 1 : 0;
  if (c.set === 'any') return actuals.some((a) => (negated ? !hit(a) : hit(a))) ? 1 : 0;
  const any = actuals.some(hit);
  return (negated ? !any : any) ? 1 : 0;
}

/** ANDs every condition: false wins over unknown, unknown over true. */
export function evalConditions(
  conds: readonly CompiledCondition[] | null,
  ctx: ContextLookup,
  why: string[],
): Tri {
  if (!conds) return 1;
  let unknown = false;
  const local: string[] = [];
  for (const c of conds) {
    const r = evalCondition(c, ctx, local);
    if (r === 0) return 0;
    if (r === 2) unknown = true;
  }
  if (unknown) why.push(...local);
  return unknown ? 2 : 1;
}
