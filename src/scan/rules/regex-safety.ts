/**
 * Vets a user-supplied pattern before it is compiled: JavaScript regexes backtrack, so a pattern
 * with a quantified group that itself contains an unbounded quantifier (`(a+)+`), or a quantified
 * alternation whose branches can match the same text (`(a|a)*`, `(\w|\d)+`), can take exponential
 * time on a crafted line. Such patterns are rejected with the reason. The check is conservative:
 * it may refuse a pattern that would in fact be safe, never the other way round on these shapes.
 */
export function unsafeRegexReason(source: string): string | undefined {
  interface Group {
    start: number;
    hasUnbounded: boolean;
    alternatives: string[];
    current: string;
  }
  const stack: Group[] = [{ start: -1, hasUnbounded: false, alternatives: [], current: '' }];
  let i = 0;
  const unboundedAt = (j: number): { unbounded: boolean; length: number } => {
    const c = source[j];
    if (c === '*' || c === '+') return { unbounded: true, length: 1 };
    if (c === '?') return { unbounded: false, length: 1 };
    if (c === '{') {
      const m = /^\{(\d*)(,?)(\d*)\}/.exec(source.slice(j));
      if (m) return { unbounded: m[2] === ',' && m[3] === '', length: m[0].length };
    }
    return { unbounded: false, length: 0 };
  };
  while (i < source.length) {
    const c = source[i]!;
    const top = stack[stack.length - 1]!;
    if (c === '\\') {
      top.current += source.slice(i, i + 2);
      i += 2;
      const q = unboundedAt(i);
      if (q.unbounded) top.hasUnbounded = true;
      i += q.length;
      continue;
    }
    if (c === '[') {
      const end = findClassEnd(source, i);
      top.current += source.slice(i, end + 1);
      i = end + 1;
      const q = unboundedAt(i);
      if (q.unbounded) top.hasUnbounded = true;
      i += q.length;
      continue;
    }
    if (c === '(') {
      stack.push({ start: i, hasUnbounded: false, alternatives: [], current: '' });
      i++;
      if (source[i] === '?') {
        // (?: (?= (?! (?<= (?<! (?<name>
        const m = /^\?(?::|=|!|<=|<!|<[A-Za-z_][A-Za-z0-9_]*>)/.exec(source.slice(i));
        if (m) i += m[0].length;
      }
      continue;
    }
    if (c === '|') {
      top.alternatives.push(top.current);
      top.current = '';
      i++;
      continue;
    }
    if (c === ')') {
      const g = stack.pop();
      if (!g || stack.length === 0) return 'unbalanced parentheses';
      g.alternatives.push(g.current);
      i++;
      const q = unboundedAt(i);
      const quantified = q.length > 0 && source[i] !== '?';
      const parent = stack[stack.length - 1]!;
      if (q.unbounded || (quantified && /^\{\d*,\d{3,}\}/.test(source.slice(i)))) {
        if (g.hasUnbounded)
          return `nested quantifier: the group at ${g.start} repeats a part that already repeats (like (a+)+)`;
        if (g.alternatives.length > 1 && alternativesOverlap(g.alternatives)) {
          return `quantified alternation whose branches can match the same text at ${g.start} (like (a|a)*)`;
        }
      }
      if (g.hasUnbounded || q.unbounded) parent.hasUnbounded = true;
      parent.current += source.slice(g.start, i + q.length);
      i += q.length;
      continue;
    }
    top.current += c;
    i++;
    const q = unboundedAt(i);
    if (q.unbounded) top.hasUnbounded = true;
    i += q.length;
  }
  if (stack.length !== 1) return 'unbalanced parentheses';
  return undefined;
}

function findClassEnd(s: string, start: number): number {
  let j = start + 1;
  if (s[j] === '^') j++;
  if (s[j] === ']') j++;
  while (j < s.length && s[j] !== ']') j += s[j] === '\\' ? 2 : 1;
  return j;
}

/** Could two branches start with the same character? (first-character sets intersect) */
function alternativesOverlap(alts: string[]): boolean {
  const firsts = alts.map(firstChars);
  for (let a = 0; a < firsts.length; a++) {
    for (let b = a + 1; b < firsts.length; b++) {
      const x = firsts[a]!;
      const y = firsts[b]!;
      if (x === 'any' || y === 'any') return true;
      for (const ch of x) if (y.has(ch)) return true;
    }
  }
  return false;
}

const CLASS_SETS: Record<string, string> = {
  d: '0123456789',
  w: 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_',
  s: ' \t\n\r',
};

function firstChars(alt: string): Set<string> | 'any' {
  if (alt === '') return 'any';
  const c = alt[0]!;
  if (c === '.' || c === '(') return 'any';
  if (c === '\\') {
    const e = alt[1] ?? '';
    const set = CLASS_SETS[e];
    if (set) return new Set(set);
    if (/[DWS]/.test(e)) return 'any';
    return new Set([e]);
  }
  if (c === '[') {
    const end = findClassEnd(alt, 0);
    const body = alt.slice(1, end);
    if (body.startsWith('^')) return 'any';
    const out = new Set<string>();
    for (let j = 0; j < body.length; j++) {
      const ch = body[j]!;
      if (ch === '\\') {
        const set = CLASS_SETS[body[j + 1] ?? ''];
        if (set) for (const x of set) out.add(x);
        else out.add(body[j + 1] ?? '');
        j++;
      } else if (body[j + 1] === '-' && body[j + 2] !== undefined && body[j + 2] !== ']') {
        for (let k = ch.charCodeAt(0); k <= body.charCodeAt(j + 2); k++) out.add(String.fromCharCode(k));
        j += 2;
      } else out.add(ch);
    }
    return out;
  }
  // An optional first atom means the branch may start with what follows it.
  if (alt[1] === '?' || alt[1] === '*') return 'any';
  return new Set([c]);
}
