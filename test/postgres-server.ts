import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

/**
 * A throwaway PostgreSQL cluster for the tests: initdb in a temporary directory, as an unprivileged
 * user when we are root (initdb refuses root), on a free loopback port, removed on stop.
 */
export interface PgServer {
  url: string;
  stop(): Promise<void>;
}

export function findPgBin(): string | undefined {
  const candidates: string[] = [];
  if (process.env.PG_BIN) candidates.push(process.env.PG_BIN);
  const base = '/usr/lib/postgresql';
  if (existsSync(base)) {
    for (const v of readdirSync(base).sort((a, b) => Number(b) - Number(a)))
      candidates.push(path.join(base, v, 'bin'));
  }
  return candidates.find((d) => existsSync(path.join(d, 'initdb')) && existsSync(path.join(d, 'postgres')));
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

function asUser(): { uid: number; gid: number } | undefined {
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) return undefined;
  const r = spawnSync('id', ['-u', 'nobody'], { encoding: 'utf8' });
  const g = spawnSync('id', ['-g', 'nobody'], { encoding: 'utf8' });
  return { uid: Number(r.stdout.trim()), gid: Number(g.stdout.trim()) };
}

export async function startPostgres(): Promise<PgServer> {
  const bin = findPgBin();
  if (!bin) throw new Error('PostgreSQL server binaries not found (install the Debian package postgresql)');
  const dir = mkdtempSync(path.join(tmpdir(), 'warden-pg-'));
  chmodSync(dir, 0o755);
  const user = asUser();
  if (user) chownSync(dir, user.uid, user.gid);
  const data = path.join(dir, 'data');
  const opts = { encoding: 'utf8' as const, ...(user ? { uid: user.uid, gid: user.gid } : {}), cwd: dir };
  const init = spawnSync(
    path.join(bin, 'initdb'),
    ['-D', data, '-U', 'warden', '--auth=trust', '-E', 'UTF8', '--no-sync'],
    opts,
  );
  if (init.status !== 0) throw new Error(`initdb failed: ${init.stderr || init.stdout}`);
  const port = await freePort();
  const child: ChildProcess = spawn(
    path.join(bin, 'postgres'),
    [
      '-D',
      data,
      '-p',
      String(port),
      '-h',
      '127.0.0.1',
      '-k',
      dir,
      '-c',
      'fsync=off',
      '-c',
      'full_page_writes=off',
      '-c',
      'max_connections=200',
    ],
    { ...(user ? { uid: user.uid, gid: user.gid } : {}), stdio: ['ignore', 'ignore', 'pipe'], cwd: dir },
  );
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  const url = `postgres://warden@127.0.0.1:${port}/postgres`;
  const pg = (await import('pg')).default;
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`postgres exited: ${stderr}`);
    const client = new pg.Client({ connectionString: url });
    try {
      await client.connect();
      await client.end();
      break;
    } catch {
      await client.end().catch(() => undefined);
      if (Date.now() > deadline) throw new Error(`postgres did not start: ${stderr}`);
      await new Promise((r) => setTimeout(r, 150));
    }
  }
  return {
    url,
    stop: async () => {
      child.kill('SIGINT');
      await new Promise<void>((r) => {
        if (child.exitCode !== null) return r();
        const t = setTimeout(() => {
          child.kill('SIGKILL');
          r();
        }, 10_000);
        child.once('exit', () => {
          clearTimeout(t);
          r();
        });
      });
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
