import { BUILTIN_RULES, translateGoRegex, type RuleAllowlist, type RuleSpec } from '../rules/index.js';
import { globToRegExp } from '../files/glob.js';
import { createKeywordMatcher, type KeywordMatcher } from './keyword-matcher.js';

export interface CompiledAllow {
  target: 'secret' | 'match' | 'line';
  regexes: RegExp[];
  paths: RegExp[];
  stopwords: string[];
  and: boolean;
  rules?: Set<string>;
}

export interface CompiledRule {
  index: number;
  spec: RuleSpec;
  re: RegExp;
  examples: Set<string>;
  pathRe?: RegExp;
  allow: CompiledAllow[];
}

/** Everything a worker needs to rebuild the same ruleset: plain data only. */
export interface RulesetInput {
  /** Rules besides the built-in ones (warden.yaml, gitleaks). */
  extraRules?: RuleSpec[];
  /** false when a gitleaks file replaces the defaults. */
  useBuiltins?: boolean;
  allowlists?: (RuleAllowlist & { targetRules?: string[] })[];
  /** Values never reported: exact strings, `/regex/`, or salted fingerprints `fp1:…`. */
  allowValues?: string[];
  /** Path globs never reported (gitignore syntax). */
  allowPaths?: string[];
  /** Only these rule ids (tests, `--rule`). */
  only?: string[];
}

export interface Ruleset {
  input: RulesetInput;
  rules: CompiledRule[];
  /** The byte-level prefilter over every keyword. */
  matcher: KeywordMatcher;
  /** keyword -> indices of rules to run when it is seen (including rules of keywords it contains). */
  byKeyword: Map<string, number[]>;
  /** Rules without keywords: run on every line of every file. */
  always: number[];
  globalAllow: CompiledAllow[];
  allowValues: Set<string>;
  allowValueRes: RegExp[];
  allowPathRes: RegExp[];
}

function compileAllow(a: RuleAllowlist & { targetRules?: string[] }): CompiledAllow {
  const rx = (s: string, flags = '') => {
    const t = translateGoRegex(s);
    return new RegExp(t.source, t.flags + flags);
  };
  return {
    target: a.regexTarget ?? 'secret',
    regexes: (a.regexes ?? []).map((r) => rx(r)),
    paths: (a.paths ?? []).map((r) => rx(r)),
    stopwords: (a.stopwords ?? []).map((s) => s.toLowerCase()),
    and: a.condition === 'AND',
    ...(a.targetRules?.length ? { rules: new Set(a.targetRules) } : {}),
  };
}

/** Compiles rules once per process (or worker); every scan then reuses the same objects. */
export function compileRuleset(input: RulesetInput = {}): Ruleset {
  let specs: RuleSpec[] = [
    ...(input.useBuiltins === false ? [] : BUILTIN_RULES),
    ...(input.extraRules ?? []),
  ];
  if (input.only?.length) {
    const only = new Set(input.only);
    specs = specs.filter((s) => only.has(s.id));
  }
  // A user rule with a built-in's id replaces it.
  const byId = new Map<string, RuleSpec>();
  for (const s of specs) byId.set(s.id, s);
  const rules: CompiledRule[] = [...byId.values()].map((spec, index) => ({
    index,
    spec,
    re: new RegExp(spec.regex, `g${spec.flags ?? ''}`),
    examples: new Set(spec.examples ?? []),
    ...(spec.path ? { pathRe: new RegExp(spec.path) } : {}),
    allow: (spec.allow ?? []).map(compileAllow),
  }));
  const direct = new Map<string, number[]>();
  const always: number[] = [];
  for (const r of rules) {
    if (r.spec.keywords.length === 0) always.push(r.index);
    for (const k of r.spec.keywords) {
      const list = direct.get(k) ?? [];
      list.push(r.index);
      direct.set(k, list);
    }
  }
  const matcher = createKeywordMatcher([...direct.keys()]);
  // A rule with a keyword the prefilter cannot index runs on every file.
  const short = new Set(matcher.tooShort);
  for (const r of rules)
    if (r.spec.keywords.some((k) => short.has(k)) && !always.includes(r.index)) always.push(r.index);
  const keywords = [...direct.keys()].sort((a, b) => b.length - a.length || a.localeCompare(b));
  const byKeyword = new Map<string, number[]>();
  for (const k of keywords) {
    // A longer keyword also stands for every keyword inside it ("secret_" contains "secret").
    const set = new Set<number>();
    for (const other of keywords) if (k.includes(other)) for (const i of direct.get(other)!) set.add(i);
    byKeyword.set(
      k,
      [...set].sort((a, b) => a - b),
    );
  }
  const values = input.allowValues ?? [];
  return {
    input,
    rules,
    matcher,
    byKeyword,
    always,
    globalAllow: (input.allowlists ?? []).map(compileAllow),
    allowValues: new Set(values.filter((v) => !(v.startsWith('/') && v.endsWith('/') && v.length > 2))),
    allowValueRes: values
      .filter((v) => v.startsWith('/') && v.endsWith('/') && v.length > 2)
      .map((v) => new RegExp(v.slice(1, -1))),
    allowPathRes: (input.allowPaths ?? []).map(globToRegExp),
  };
}
