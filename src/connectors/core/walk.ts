import { lstatSync, readdirSync } from 'node:fs';
import path from 'node:path';

/** Folders never worth reading for exports. Dot-folders such as .github, .cursor, .vscode are read. */
const SKIP_DIRS = new Set(['.git', 'node_modules', '.warden', 'dist', '.hg', '.svn', '__pycache__', '.venv']);

export interface WalkIssue {
  file: string;
  reason: string;
}

/**
 * Files below each path, sorted; symbolic links to folders are not followed (no loops), unreadable
 * folders are reported, not fatal.
 */
export function walkFiles(paths: readonly string[], issues: WalkIssue[]): { file: string; root: string }[] {
  const out: { file: string; root: string }[] = [];
  for (const p of paths) {
    const abs = path.resolve(p);
    let st;
    try {
      st = lstatSync(abs);
    } catch (e) {
      issues.push({
        file: p,
        reason: `cannot read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
      });
      continue;
    }
    if (st.isDirectory()) walkDir(abs, abs, out, issues);
    else if (st.isFile()) out.push({ file: abs, root: path.dirname(abs) });
    else issues.push({ file: p, reason: 'not a regular file or folder' });
  }
  const seen = new Set<string>();
  return out.filter((f) => !seen.has(f.file) && seen.add(f.file));
}

function walkDir(
  dir: string,
  root: string,
  out: { file: string; root: string }[],
  issues: WalkIssue[],
): void {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch (e) {
    issues.push({
      file: path.relative(root, dir) || dir,
      reason: `cannot list: ${(e as NodeJS.ErrnoException).code ?? ''}`,
    });
    return;
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of entries) {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) {
      if (!SKIP_DIRS.has(e.name)) walkDir(full, root, out, issues);
    } else if (e.isFile()) out.push({ file: full, root });
  }
}
