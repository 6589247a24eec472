import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * The salt for fingerprints when neither the config nor a store gives one: a random value kept in
 * the repository's git directory (never in the worktree, so never committed), or in the user's
 * home when the target is not in a git repository. Created once, then reused so baselines match.
 */
export function resolveScanSalt(target: string, home = os.homedir()): { salt: string; source: string } {
  let dir: string | undefined;
  try {
    const cwd =
      existsSync(target) && statSync(target).isDirectory() ? target : path.dirname(path.resolve(target));
    const r = spawnSync('git', ['rev-parse', '--absolute-git-dir'], {
      cwd,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    if (r.status === 0 && r.stdout.trim()) dir = path.join(r.stdout.trim(), 'warden');
  } catch {
    dir = undefined;
  }
  dir ??= path.join(home, '.warden');
  const file = path.join(dir, 'scan-salt');
  try {
    const existing = readFileSync(file, 'utf8').trim();
    if (existing.length >= 16) return { salt: existing, source: file };
  } catch {
    // first use
  }
  const salt = randomBytes(32).toString('base64url');
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    writeFileSync(file, salt + '\n', { mode: 0o600, flag: 'wx' });
  } catch {
    // Another run created it first, or the place is read-only: use what is there, else this run's.
    try {
      const again = readFileSync(file, 'utf8').trim();
      if (again.length >= 16) return { salt: again, source: file };
    } catch {
      return { salt, source: 'ephemeral' };
    }
  }
  return { salt, source: file };
}
