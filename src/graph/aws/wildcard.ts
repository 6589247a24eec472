/**
 * IAM wildcard matching: `*` matches any run of characters (including none, and including `:` and
 * `/`), `?` matches exactly one character. Action names compare case-insensitively, resource ARNs
 * case-sensitively.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html
 *
 * Patterns are compiled once and interned: a 100,000-principal export repeats the same few
 * thousand patterns, so each is turned into an exact compare, a prefix test or (rarely) a RegExp.
 */

export interface Matcher {
  /** The pattern as written (lower-cased when the matcher ignores case). */
  readonly source: string;
  /** True when the pattern has no wildcard character. */
  readonly literal: boolean;
  /** True when the pattern is a bare `*`. */
  readonly all: boolean;
  test(value: string): boolean;
}

const cacheCs = new Map<string, Matcher>();
const cacheCi = new Map<string, Matcher>();

/** Compiles (and interns) a wildcard pattern. `ignoreCase` lower-cases pattern and value. */
export function compileWildcard(pattern: string, ignoreCase: boolean): Matcher {
  const cache = ignoreCase ? cacheCi : cacheCs;
  const hit = cache.get(pattern);
  if (hit) return hit;
  const m = build(ignoreCase ? pattern.toLowerCase() : pattern, ignoreCase);
  if (cache.size > 200_000) cache.clear(); // bounded: adversarial exports cannot grow it forever
  cache.set(pattern, m);
  return m;
}

function build(p: string, ignoreCase: boolean): Matcher {
  const star = p.indexOf('*');
  const q = p.indexOf('?');
  if (star < 0 && q < 0) {
    return ignoreCase
      ? { source: p, literal: true, all: false, test: (v) => v.length === p.length && v.toLowerCase() === p }
      : { source: p, literal: true, all: false, test: (v) => v === p };
  }
  if (p === '*') return { source: p, literal: false, all: true, test: () => true };
  if (q < 0 && star === p.length - 1) {
    const prefix = p.slice(0, -1);
    return ignoreCase
      ? {
          source: p,
          literal: false,
          all: false,
          test: (v) => v.length >= prefix.length && v.slice(0, prefix.length).toLowerCase() === prefix,
        }
      : { source: p, literal: false, all: false, test: (v) => v.startsWith(prefix) };
  }
  // General case: the iterative matcher below (O(pattern x value) worst case). A RegExp would be
  // faster on simple patterns but backtracks exponentially on patterns like `a*a*a*...b`, and
  // policy documents are untrusted input.
  return ignoreCase
    ? { source: p, literal: false, all: false, test: (v) => wildcardMatch(p, v.toLowerCase(), false) }
    : { source: p, literal: false, all: false, test: (v) => wildcardMatch(p, v, false) };
}

/**
 * Reference matcher (iterative, linear-time backtracking on the last `*`): the specification the
 * compiled matchers are property-tested against, and used where a pattern is matched only once.
 */
export function wildcardMatch(pattern: string, value: string, ignoreCase = false): boolean {
  const p = ignoreCase ? pattern.toLowerCase() : pattern;
  const v = ignoreCase ? value.toLowerCase() : value;
  let pi = 0;
  let vi = 0;
  let starP = -1;
  let starV = 0;
  while (vi < v.length) {
    const c = p.charCodeAt(pi);
    if (pi < p.length && (c === 63 /* ? */ || c === v.charCodeAt(vi)) && c !== 42) {
      pi++;
      vi++;
    } else if (pi < p.length && c === 42 /* * */) {
      starP = pi++;
      starV = vi;
    } else if (starP >= 0) {
      pi = starP + 1;
      vi = ++starV;
    } else return false;
  }
  while (pi < p.length && p.charCodeAt(pi) === 42) pi++;
  return pi === p.length;
}

/**
 * Whether a resource pattern covers every resource of the account (`*`, `arn:*`, `arn:aws:*`,
 * `arn:aws:*:*:*:*` ...): used by the administrator-equivalence test, which needs `*` on `*`.
 */
export function isUniversalResource(pattern: string): boolean {
  if (pattern === '*') return true;
  return /^arn(:(\*|aws[a-z-]*))?(:\*)*$/.test(pattern) && pattern.endsWith('*');
}
