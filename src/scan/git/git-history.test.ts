import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { compileRuleset } from '../engine/compile-rules.js';
import { ALNUM, randomString, seededRandom } from '../test-utils/seeded-random.js';
import { scanHistory, scanStaged } from './git-history.js';

const root = mkdtempSync(path.join(os.tmpdir(), 'warden-git-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const rnd = seededRandom(42);
const token = () => ['gh', 'p_', randomString(rnd, ALNUM, 36)].join('');
const git = (cwd: string, ...args: string[]) =>
  execFileSync('git', args, {
    cwd,
    encoding: 'utf8',
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: 'Ada',
      GIT_AUTHOR_EMAIL: 'ada@example.org',
      GIT_COMMITTER_NAME: 'Ada',
      GIT_COMMITTER_EMAIL: 'ada@example.org',
      GIT_AUTHOR_DATE: '2024-03-01T10:00:00Z',
      GIT_COMMITTER_DATE: '2024-03-01T10:00:00Z',
    },
  });
const rs = compileRuleset();
const salt = 'history-test-salt-0123';

describe('git history', () => {
  it('reports the commit that introduced a secret, its author and date, and that it is gone at HEAD', async () => {
    const repo = path.join(root, 'a');
    git(root, 'init', '-q', '-b', 'main', repo);
    const removed = token();
    const kept = token();
    writeFileSync(path.join(repo, 'README.md'), '# app\n');
    git(repo, 'add', '.');
    git(repo, 'commit', '-q', '-m', 'init');
    writeFileSync(path.join(repo, 'config.ts'), `export const a = 1;\nconst token = "${removed}";\n`);
    git(repo, 'add', '.');
    git(repo, 'commit', '-q', '-m', 'add config');
    const introducing = git(repo, 'rev-parse', 'HEAD').trim();
    writeFileSync(path.join(repo, 'config.ts'), `export const a = 1;\nconst token = process.env.TOKEN;\n`);
    writeFileSync(path.join(repo, 'other.env'), `GITHUB_TOKEN=${kept}\n`);
    git(repo, 'add', '.');
    git(repo, 'commit', '-q', '-m', 'remove secret');
    // The same secret edited around later must still point at its first commit.
    writeFileSync(path.join(repo, 'other.env'), `# ci\nGITHUB_TOKEN=${kept}\n`);
    git(repo, 'commit', '-qam', 'comment');

    const r = await scanHistory(repo, rs, { salt });
    const gone = r.leaks.find((l) => l.secret === removed);
    const still = r.leaks.filter((l) => l.secret === kept);
    expect(gone).toMatchObject({
      ruleId: 'github-pat',
      file: 'config.ts',
      line: 2,
      commit: introducing,
      author: 'Ada <ada@example.org>',
      presentAtHead: false,
    });
    expect(gone?.date).toMatch(/^2024-03-01T10:00:00/);
    expect(still).toHaveLength(1);
    expect(still[0]).toMatchObject({ file: 'other.env', line: 1, presentAtHead: true });
    expect(r.notes).toEqual([]);
  });

  it('notes a broken object instead of failing', async () => {
    const repo = path.join(root, 'b');
    git(root, 'init', '-q', '-b', 'main', repo);
    writeFileSync(path.join(repo, 'a.txt'), `token = "${token()}"\n`);
    git(repo, 'add', '.');
    git(repo, 'commit', '-q', '-m', 'one');
    const blob = git(repo, 'rev-parse', 'HEAD:a.txt').trim();
    rmSync(path.join(repo, '.git', 'objects', blob.slice(0, 2), blob.slice(2)));
    const r = await scanHistory(repo, rs, { salt }).catch((e: Error) => ({ error: e.message }));
    // Either git refuses to list (reported as an error) or the blob is noted as unreadable; never a hang or crash.
    if ('error' in r) expect(r.error).toMatch(/git/);
    else expect(r.notes.length).toBeGreaterThan(0);
  });

  it('scans only the lines a staged change adds (--staged)', async () => {
    const repo = path.join(root, 'c');
    git(root, 'init', '-q', '-b', 'main', repo);
    const old = token();
    writeFileSync(path.join(repo, 'app.env'), `OLD_TOKEN=${old}\n`);
    git(repo, 'add', '.');
    git(repo, 'commit', '-q', '-m', 'one');
    const fresh = token();
    writeFileSync(path.join(repo, 'app.env'), `OLD_TOKEN=${old}\nNEW_TOKEN=${fresh}\n`);
    git(repo, 'add', '.');
    const r = await scanStaged(repo, rs, { salt });
    expect(r.leaks.map((l) => [l.file, l.line, l.secret === fresh])).toEqual([['app.env', 2, true]]);
  });
});
