import { ALNUM } from './seeded-random.js';

/**
 * Generates a string that a rule's pattern matches, from the pattern itself, so every rule gets a
 * positive fixture made at test time with a seed (no token-shaped literal is ever committed).
 * Supports the subset the rules use: groups, alternation, classes, escapes, quantifiers and
 * lookarounds (which emit nothing).
 */
export function samplePattern(source: string, rnd: () => number): string {
  let i = 0;
  const lastGroup: string[] = [];
  const parseAlt = (): string => {
    const branches: (() => string)[] = [];
    let seqStart = i;
    const seqs: [number, number][] = [];
    let depth = 0;
    // Find the branches of this level without consuming; then sample one.
    for (; i < source.length; i++) {
      const c = source[i];
      if (c === '\\') {
        i++;
        continue;
      }
      if (c === '[') {
        i = classEnd(source, i);
        continue;
      }
      if (c === '(') depth++;
      else if (c === ')') {
        if (depth === 0) break;
        depth--;
      } else if (c === '|' && depth === 0) {
        seqs.push([seqStart, i]);
        seqStart = i + 1;
      }
    }
    seqs.push([seqStart, i]);
    for (const [a, b] of seqs) branches.push(() => sampleSeq(source.slice(a, b), rnd, lastGroup));
    return branches[Math.floor(rnd() * branches.length)]!();
  };
  return parseAlt();
}

function classEnd(s: string, start: number): number {
  let j = start + 1;
  if (s[j] === '^') j++;
  if (s[j] === ']') j++;
  while (j < s.length && s[j] !== ']') j += s[j] === '\\' ? 2 : 1;
  return j;
}

function classChars(body: string): { chars: string; negated: boolean } {
  let negated = false;
  let b = body;
  if (b.startsWith('^')) {
    negated = true;
    b = b.slice(1);
  }
  let out = '';
  for (let j = 0; j < b.length; j++) {
    const ch = b[j]!;
    if (ch === '\\') {
      const e = b[j + 1]!;
      j++;
      if (e === 'w') out += ALNUM + '_';
      else if (e === 'd') out += '0123456789';
      else if (e === 's') out += ' ';
      else if (e === 'S' || e === 'W' || e === 'D') out += 'abcdefghij';
      else if (e === 'n') out += '\n';
      else if (e === 'r') out += '';
      else if (e === 't') out += '\t';
      else out += e;
    } else if (b[j + 1] === '-' && j + 2 < b.length) {
      const to = b[j + 2] === '\\' ? b[j + 3]! : b[j + 2]!;
      for (let k = ch.charCodeAt(0); k <= to.charCodeAt(0); k++) out += String.fromCharCode(k);
      j += b[j + 2] === '\\' ? 3 : 2;
    } else out += ch;
  }
  return { chars: out, negated };
}

function pickFrom(chars: string, negated: boolean, rnd: () => number): string {
  if (negated) {
    const ok = [...ALNUM].filter((c) => !chars.includes(c));
    return ok[Math.floor(rnd() * ok.length)] ?? 'a';
  }
  // Prefer letters and digits: realistic tokens, and no accidental quotes or templating.
  const alnum = [...chars].filter((c) => /[A-Za-z0-9]/.test(c));
  const pool = alnum.length && rnd() < 0.92 ? alnum : [...chars].filter((c) => c !== '\n');
  return pool[Math.floor(rnd() * pool.length)] ?? '';
}

function sampleSeq(seq: string, rnd: () => number, groups: string[]): string {
  let out = '';
  let i = 0;
  while (i < seq.length) {
    let atom: () => string;
    const c = seq[i]!;
    if (c === '(') {
      // Find the matching paren.
      let depth = 0;
      let j = i;
      for (; j < seq.length; j++) {
        if (seq[j] === '\\') {
          j++;
          continue;
        }
        if (seq[j] === '[') {
          j = classEnd(seq, j);
          continue;
        }
        if (seq[j] === '(') depth++;
        else if (seq[j] === ')' && --depth === 0) break;
      }
      let inner = seq.slice(i + 1, j);
      const look = /^\?(?:=|!|<=|<!)/.test(inner);
      if (inner.startsWith('?:')) inner = inner.slice(2);
      else if (/^\?<[A-Za-z_]\w*>/.test(inner)) inner = inner.replace(/^\?<[A-Za-z_]\w*>/, '');
      i = j + 1;
      if (look) {
        atom = () => '';
      } else {
        const body = inner;
        atom = () => {
          const s = samplePattern(body, rnd);
          groups.push(s);
          return s;
        };
      }
    } else if (c === '[') {
      const end = classEnd(seq, i);
      const { chars, negated } = classChars(seq.slice(i + 1, end));
      i = end + 1;
      atom = () => pickFrom(chars, negated, rnd);
    } else if (c === '\\') {
      const e = seq[i + 1]!;
      i += 2;
      if (e === 'b' || e === 'B') atom = () => '';
      else if (e === 'w' || e === 'd' || e === 's' || e === 'S' || e === 'W' || e === 'D') {
        const { chars } = classChars(`\\${e}`);
        atom = () => pickFrom(chars, false, rnd);
      } else if (e === 'n') atom = () => '\n';
      else if (e === 'r') atom = () => '';
      else if (e === 't') atom = () => '\t';
      else atom = () => e;
    } else if (c === '^' || c === '$') {
      i++;
      atom = () => '';
    } else if (c === '.') {
      i++;
      atom = () => 'a';
    } else {
      i++;
      atom = () => c;
    }
    // Quantifier.
    let min = 1;
    let max = 1;
    const q = seq[i];
    if (q === '?') {
      min = 0;
      max = 1;
      i++;
    } else if (q === '*') {
      min = 0;
      max = 3;
      i++;
    } else if (q === '+') {
      min = 1;
      max = 3;
      i++;
    } else if (q === '{') {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(seq.slice(i));
      if (m) {
        min = Number(m[1]);
        max = m[2] === undefined ? min : m[3] ? Number(m[3]) : min + 8;
        i += m[0].length;
      }
    }
    if (seq[i] === '?') i++; // lazy
    // Long enough to look real, short enough to stay readable.
    const span = Math.min(max, min + 48) - min;
    const count = min + Math.floor(span * (0.5 + 0.5 * rnd()));
    for (let k = 0; k < count; k++) out += atom();
  }
  return out;
}
