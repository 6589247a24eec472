import { KNOWN_EXAMPLES } from '../rules/index.js';
import type { CompiledAllow, CompiledRule, Ruleset } from './compile-rules.js';
import {
  entropyThreshold,
  genericRejection,
  isMetadataName,
  isPasswordPlaceholder,
  isPlaceholder,
  LOCKFILE_RE,
  shannonEntropy,
} from './filters.js';

/** A pattern match that passed every filter; offsets are in the scanned text. */
export interface Hit {
  rule: CompiledRule;
  secret: string;
  /** Offset of the secret. */
  start: number;
  matchStart: number;
  matchEnd: number;
  match: string;
}

const DEFAULT_BEFORE = 512;
const DEFAULT_AFTER = 4096;
/** Markers that silence one line (ours, and gitleaks' for teams that already use it). */
const INLINE_IGNORE = /warden:ignore|gitleaks:allow/;
const KNOWN = new Set(KNOWN_EXAMPLES);

/**
 * Finds secrets in one text. Work is bounded and linear: one pass of the keyword alternation over
 * the text, then each rule's pattern only over merged windows around its keywords' hits, clipped
 * to the hit's line (a minified one-line file costs at most one pass per triggered rule).
 *
 * @example scanText('token = "ghp_…"', compileRuleset(), 'src/a.ts')
 */
export function scanText(text: string, rs: Ruleset, path: string, buf?: Uint8Array): Hit[] {
  const n = rs.rules.length;
  const disabled = new Uint8Array(n);
  const lock = LOCKFILE_RE.test(path);
  for (const r of rs.rules) {
    if ((r.pathRe && !r.pathRe.test(path)) || (lock && r.spec.generic)) disabled[r.index] = 1;
  }
  const winStart = new Float64Array(n).fill(-1);
  const winEnd = new Float64Array(n);
  const whole = new Uint8Array(n);
  const hits: Hit[] = [];
  const seen = new Set<string>();
  const run = (r: CompiledRule, s: number, e: number) => runRule(text, r, s, e, path, rs, hits, seen);

  const bytes = buf ?? Buffer.from(text, 'latin1');
  let lineStart = 0;
  let lineEnd = -1;
  rs.matcher.find(bytes, (p, keyword) => {
    const rules = rs.byKeyword.get(keyword);
    if (!rules) return;
    if (p > lineEnd) {
      // Both searches only cover text not yet seen, so the total stays linear.
      const nl = text.lastIndexOf('\n', p - 1);
      lineStart = nl + 1;
      const end = text.indexOf('\n', p);
      lineEnd = end < 0 ? text.length : end;
    }
    for (const ri of rules) {
      if (disabled[ri]) continue;
      const r = rs.rules[ri]!;
      if (r.spec.origin === 'config' || r.spec.origin === 'gitleaks') {
        // gitleaks semantics: a keyword anywhere in the file makes the rule run on all of it
        // (user patterns were vetted for catastrophic backtracking, so this stays linear).
        whole[ri] = 1;
        continue;
      }
      const aw = r.spec.assignWithin;
      if (aw !== undefined && !assignmentFollows(bytes, p + keyword.length, aw)) continue;
      const w = r.spec.window;
      let s: number;
      let e: number;
      if (w?.multiline) {
        s = Math.max(0, p - w.before);
        e = Math.min(text.length, p + keyword.length + w.after);
      } else {
        s = Math.max(lineStart, p - (w?.before ?? DEFAULT_BEFORE));
        e = Math.min(lineEnd, p + keyword.length + (w?.after ?? DEFAULT_AFTER));
      }
      const ws = winStart[ri]!;
      if (ws >= 0 && s <= winEnd[ri]!) {
        if (e > winEnd[ri]!) winEnd[ri] = e;
      } else {
        if (ws >= 0) run(r, ws, winEnd[ri]!);
        winStart[ri] = s;
        winEnd[ri] = e;
      }
    }
  });
  for (let ri = 0; ri < n; ri++) {
    if (winStart[ri]! >= 0) run(rs.rules[ri]!, winStart[ri]!, winEnd[ri]!);
    if (whole[ri]) run(rs.rules[ri]!, 0, text.length);
  }
  for (const ri of rs.always) if (!disabled[ri]) run(rs.rules[ri]!, 0, text.length);
  return resolveOverlaps(hits);
}

function runRule(
  text: string,
  r: CompiledRule,
  s: number,
  e: number,
  path: string,
  rs: Ruleset,
  hits: Hit[],
  seen: Set<string>,
): void {
  const sub = s === 0 && e === text.length ? text : text.slice(s, e);
  const re = r.re;
  re.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(sub))) {
    if (m[0].length === 0) {
      re.lastIndex++;
      continue;
    }
    const secret = m[r.spec.secretGroup] ?? '';
    if (!secret) continue;
    const rel = r.spec.secretGroup === 0 ? 0 : m[0].indexOf(secret);
    const start = s + m.index + Math.max(0, rel);
    const key = `${r.index}:${start}`;
    if (seen.has(key)) continue;
    seen.add(key);
    if (!accept(text, r, secret, m[0], s + m.index, path, rs)) continue;
    hits.push({
      rule: r,
      secret,
      start,
      matchStart: s + m.index,
      matchEnd: s + m.index + m[0].length,
      match: m[0],
    });
  }
}

/** The filters; cheap checks first, the line (bounded) only when the value survived them. */
function accept(
  text: string,
  r: CompiledRule,
  secret: string,
  match: string,
  matchStart: number,
  path: string,
  rs: Ruleset,
): boolean {
  const spec = r.spec;
  if (r.examples.has(secret) || KNOWN.has(secret) || rs.allowValues.has(secret)) return false;
  if (spec.entropy !== undefined && shannonEntropy(secret) < entropyThreshold(spec.entropy, secret.length))
    return false;
  if (spec.origin !== 'gitleaks' && spec.origin !== 'config') {
    if (isPlaceholder(secret, spec.allowRuns || spec.window?.multiline === true)) return false;
    if (spec.generic) {
      if (genericRejection(secret)) return false;
      if (
        spec.id === 'generic-secret-assignment' &&
        isMetadataName(match.slice(0, match.lastIndexOf(secret)))
      )
        return false;
      if (
        (spec.id === 'database-uri-password' || spec.id === 'connection-string-password') &&
        isPasswordPlaceholder(secret)
      )
        return false;
    }
  }
  for (const re of rs.allowValueRes) if (re.test(secret)) return false;
  for (const re of rs.allowPathRes) if (re.test(path)) return false;
  const line = lineAround(text, matchStart, matchStart + match.length);
  if (INLINE_IGNORE.test(line)) return false;
  for (const a of r.allow) if (allowed(a, secret, match, line, path)) return false;
  for (const a of rs.globalAllow)
    if ((!a.rules || a.rules.has(spec.id)) && allowed(a, secret, match, line, path)) return false;
  return true;
}

function lineAround(text: string, s: number, e: number): string {
  const from = Math.max(0, s - 4096);
  const to = Math.min(text.length, e + 4096);
  const ls = text.lastIndexOf('\n', s - 1);
  const le = text.indexOf('\n', e);
  return text.slice(Math.max(from, ls + 1), Math.min(to, le < 0 ? text.length : le));
}

function allowed(a: CompiledAllow, secret: string, match: string, line: string, path: string): boolean {
  const target = a.target === 'line' ? line : a.target === 'match' ? match : secret;
  const checks: boolean[] = [];
  if (a.regexes.length) checks.push(a.regexes.some((re) => re.test(target)));
  if (a.paths.length) checks.push(a.paths.some((re) => re.test(path)));
  if (a.stopwords.length) {
    const low = secret.toLowerCase();
    checks.push(a.stopwords.some((w) => low.includes(w)));
  }
  if (checks.length === 0) return false;
  return a.and ? checks.every(Boolean) : checks.some(Boolean);
}

/** Where two rules report overlapping secrets, keep the more specific one (priority, then length). */
function resolveOverlaps(hits: Hit[]): Hit[] {
  if (hits.length < 2) return hits;
  hits.sort((a, b) => a.start - b.start || b.rule.spec.priority - a.rule.spec.priority);
  const out: Hit[] = [];
  for (const h of hits) {
    const prev = out[out.length - 1];
    if (prev && h.start < prev.start + prev.secret.length) {
      const better =
        h.rule.spec.priority > prev.rule.spec.priority ||
        (h.rule.spec.priority === prev.rule.spec.priority && h.secret.length > prev.secret.length);
      if (better) out[out.length - 1] = h;
      continue;
    }
    out.push(h);
  }
  return out;
}

/** Is there a `=`, `:` or `,` on the same line within `limit` bytes after `from`? */
function assignmentFollows(b: Uint8Array, from: number, limit: number): boolean {
  const end = Math.min(b.length, from + limit);
  for (let i = from; i < end; i++) {
    const c = b[i]!;
    if (c === 61 || c === 58 || c === 44) return true; // = : ,
    if (c === 10) return false;
  }
  return false;
}
