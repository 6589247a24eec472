/**
 * Glob to RegExp with gitignore semantics (https://git-scm.com/docs/gitignore#_pattern_format):
 * `*` and `?` never cross `/`, `**` spans directories, `[...]` classes, a pattern with a slash
 * (other than a trailing one) is anchored to its base directory, otherwise it matches at any depth.
 */
export function globToRegExp(pattern: string): RegExp {
  let p = pattern;
  let anchored = false;
  if (p.startsWith('/')) {
    anchored = true;
    p = p.slice(1);
  } else if (p.includes('/') && !p.endsWith('/')) anchored = true;
  else if (p.endsWith('/') && p.slice(0, -1).includes('/')) anchored = true;
  if (p.endsWith('/')) p = p.slice(0, -1);
  let re = '';
  for (let i = 0; i < p.length; i++) {
    const c = p[i]!;
    if (c === '*') {
      if (p[i + 1] === '*') {
        const before = i === 0 || p[i - 1] === '/';
        const after = p[i + 2] === '/' || i + 2 === p.length;
        if (before && after) {
          if (p[i + 2] === '/') {
            re += '(?:.*/)?';
            i += 2;
          } else {
            re += '.*';
            i += 1;
          }
          continue;
        }
      }
      re += '[^/]*';
    } else if (c === '?') re += '[^/]';
    else if (c === '[') {
      const end = p.indexOf(']', i + 2);
      if (end < 0) re += '\\[';
      else {
        let body = p.slice(i + 1, end).replace(/\\/g, '\\\\');
        if (body.startsWith('!')) body = '^' + body.slice(1);
        re += `[${body}]`;
        i = end;
      }
    } else if (c === '\\' && i + 1 < p.length) {
      re += escapeChar(p[i + 1]!);
      i++;
    } else re += escapeChar(c);
  }
  // A match on a directory covers everything below it.
  return new RegExp(`${anchored ? '^' : '^(?:.*/)?'}${re}(?:/.*)?$`);
}

function escapeChar(c: string): string {
  return /[.+^${}()|[\]\\]/.test(c) ? `\\${c}` : c;
}
