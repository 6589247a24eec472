import type { Ruleset } from '../engine/compile-rules.js';
import { scanBuffer } from '../engine/scan-buffer.js';
import type { Leak, ScanNote } from '../leak-types.js';
import { globToRegExp } from '../files/glob.js';
import { catBlobs, git } from './git-run.js';

const VENDORED =
  /(?:^|\/)(?:node_modules|vendor|bower_components|\.venv|venv|site-packages)\/|\.min\.(?:js|css)$|\.map$/;

export interface HistoryOptions {
  salt: string;
  exclude?: readonly string[];
  includeVendored?: boolean;
}

/**
 * Scans every blob reachable from any ref exactly once (`git rev-list --all --objects`, then one
 * `git cat-file --batch`), then attributes each secret to the first commit that introduced a blob
 * holding it by walking `git log --all --reverse --raw` (oldest first; each raw line names the
 * new blob id of a changed path), and marks whether HEAD's tree still holds such a blob.
 * References: https://git-scm.com/docs/git-rev-list, https://git-scm.com/docs/git-log#_raw_output_format
 */
export async function scanHistory(
  repo: string,
  rs: Ruleset,
  opts: HistoryOptions,
): Promise<{ leaks: Leak[]; notes: ScanNote[]; blobs: number; bytes: number }> {
  const notes: ScanNote[] = [];
  const exclude = (opts.exclude ?? []).map(globToRegExp);
  const skipPath = (p: string) =>
    (!opts.includeVendored && VENDORED.test(p)) || exclude.some((re) => re.test(p));

  // Blobs with the first path rev-list saw them at. Trees carry paths too: keep only blobs.
  const listing = git(repo, [
    'rev-list',
    '--all',
    '--objects',
    '--filter=object:type=blob',
    '--filter-provided-objects',
  ]);
  const pathOf = new Map<string, string>();
  for (const line of listing.split('\n')) {
    if (line.length < 41) continue;
    const id = line.slice(0, 40);
    const p = line.slice(41);
    if (!p || skipPath(p)) continue;
    if (!pathOf.has(id)) pathOf.set(id, p);
  }

  const byBlob = new Map<string, Leak[]>();
  let bytes = 0;
  await catBlobs(
    repo,
    [...pathOf.keys()],
    (id, content) => {
      bytes += content.length;
      const r = scanBuffer(content, pathOf.get(id)!, rs, { salt: opts.salt });
      if (r.leaks.length) byBlob.set(id, r.leaks);
    },
    (id, reason) =>
      notes.push({
        file: id === '(cat-file)' ? id : `blob ${id} (${pathOf.get(id) ?? '?'})`,
        reason: `git object unreadable: ${reason}`,
      }),
  );

  // HEAD's blobs, to tell whether a secret is still there.
  const atHead = new Set<string>();
  try {
    for (const line of git(repo, ['ls-tree', '-r', '--full-tree', 'HEAD']).split('\n')) {
      const m = /^\d+ blob ([0-9a-f]{40,64})\t/.exec(line);
      if (m) atHead.add(m[1]!);
    }
  } catch {
    notes.push({ file: 'HEAD', reason: 'no HEAD commit; nothing is present at HEAD' });
  }

  // First introduction of each secret, oldest commit first.
  const first = new Map<string, Leak>();
  const keyOf = (l: Leak) => `${l.ruleId}\u0000${l.fingerprint}`;
  if (byBlob.size) {
    let log = '';
    try {
      log = git(repo, [
        'log',
        '--all',
        '--reverse',
        '--date-order',
        '--no-renames',
        '--raw',
        '--no-abbrev',
        '--format=%x01%H%x00%an <%ae>%x00%aI',
      ]);
    } catch (e) {
      notes.push({ file: 'git log', reason: (e as Error).message });
    }
    let commit = '';
    let author = '';
    let date = '';
    for (const line of log.split('\n')) {
      if (line.startsWith('\u0001')) {
        [commit = '', author = '', date = ''] = line.slice(1).split('\u0000');
        continue;
      }
      if (!line.startsWith(':')) continue;
      const tab = line.indexOf('\t');
      const fields = line.slice(1, tab).split(' ');
      const blob = fields[3];
      const leaks = blob ? byBlob.get(blob) : undefined;
      if (!leaks) continue;
      const path = line.slice(tab + 1);
      for (const l of leaks) {
        const k = keyOf(l);
        if (first.has(k)) continue;
        first.set(k, { ...l, file: path, commit, author, date });
      }
    }
  }
  const present = new Set<string>();
  for (const [blob, leaks] of byBlob) if (atHead.has(blob)) for (const l of leaks) present.add(keyOf(l));
  // Secrets only in blobs no commit introduces (dangling, stash) are still reported, without a commit.
  for (const leaks of byBlob.values())
    for (const l of leaks) if (!first.has(keyOf(l))) first.set(keyOf(l), { ...l });
  const out = [...first.values()].map((l) => ({ ...l, presentAtHead: present.has(keyOf(l)) }));
  return { leaks: out, notes, blobs: pathOf.size, bytes };
}

/**
 * The staged version of each added, copied, modified or renamed file (`git diff --cached`), and
 * only the lines the commit adds (from the zero-context diff), for pre-commit hooks.
 */
export async function scanStaged(
  repo: string,
  rs: Ruleset,
  opts: HistoryOptions,
): Promise<{ leaks: Leak[]; notes: ScanNote[]; bytes: number }> {
  const notes: ScanNote[] = [];
  const names = git(repo, ['diff', '--cached', '--name-only', '-z', '--diff-filter=ACMR'])
    .split('\0')
    .filter(Boolean);
  if (names.length === 0) return { leaks: [], notes, bytes: 0 };
  const added = new Map<string, [number, number][]>();
  let cur: [number, number][] | undefined;
  for (const line of git(repo, [
    'diff',
    '--cached',
    '-U0',
    '--no-color',
    '--no-ext-diff',
    '--no-renames',
    '--diff-filter=ACMR',
  ]).split('\n')) {
    if (line.startsWith('+++ ')) {
      const p = line.slice(4).replace(/^b\//, '');
      cur = [];
      added.set(p, cur);
    } else if (line.startsWith('@@') && cur) {
      const m = /\+(\d+)(?:,(\d+))?/.exec(line);
      if (m) {
        const start = Number(m[1]);
        const count = m[2] === undefined ? 1 : Number(m[2]);
        if (count > 0) cur.push([start, start + count - 1]);
      }
    }
  }
  const staged = new Map<string, string>();
  for (const entry of git(repo, ['ls-files', '-s', '-z', '--', ...names]).split('\0')) {
    const m = /^\d+ ([0-9a-f]{40,64}) \d\t(.*)$/s.exec(entry);
    if (m && !opts.exclude?.some((g) => globToRegExp(g).test(m[2]!))) staged.set(m[1]!, m[2]!);
  }
  const leaks: Leak[] = [];
  let bytes = 0;
  await catBlobs(
    repo,
    [...staged.keys()],
    (id, content) => {
      bytes += content.length;
      const p = staged.get(id)!;
      const ranges = added.get(p) ?? [];
      for (const l of scanBuffer(content, p, rs, { salt: opts.salt }).leaks) {
        if (ranges.some(([a, b]) => l.line >= a && l.line <= b)) leaks.push(l);
      }
    },
    (id, reason) => notes.push({ file: staged.get(id) ?? id, reason: `git object unreadable: ${reason}` }),
  );
  return { leaks, notes, bytes };
}
