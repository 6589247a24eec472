import { spawn, spawnSync } from 'node:child_process';
import { WardenError } from '../../errors/index.js';

/** Runs git to completion and returns stdout; a failure becomes a WardenError naming the command. */
export function git(cwd: string, args: string[], maxBuffer = 1024 * 1024 * 1024): string {
  const r = spawnSync('git', args, { cwd, encoding: 'utf8', maxBuffer, stdio: ['ignore', 'pipe', 'pipe'] });
  if (r.error)
    throw new WardenError('WARDEN_INPUT_UNREADABLE', `git ${args[0]} failed in ${cwd}: ${r.error.message}`, {
      cause: r.error,
    });
  if (r.status !== 0)
    throw new WardenError(
      'WARDEN_INPUT_UNREADABLE',
      `git ${args.join(' ')} failed in ${cwd}: ${r.stderr.trim().split('\n')[0] ?? ''}`,
    );
  return r.stdout;
}

/**
 * Streams blobs through one `git cat-file --batch` process
 * (https://git-scm.com/docs/git-cat-file#_batch_output): for each requested id git answers
 * `<oid> <type> <size>\n<content>\n`, or `<oid> missing\n`. Missing or unreadable objects are
 * reported to `onMissing` and the rest continue.
 */
export async function catBlobs(
  cwd: string,
  ids: readonly string[],
  onBlob: (id: string, content: Buffer) => void,
  onMissing: (id: string, reason: string) => void,
): Promise<void> {
  if (ids.length === 0) return;
  const child = spawn('git', ['cat-file', '--batch'], { cwd, stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const done = new Promise<void>((resolve) => {
    let pending: Buffer = Buffer.alloc(0);
    let want: { id: string; size: number } | undefined;
    child.stdout.on('data', (chunk: Buffer) => {
      pending = pending.length ? Buffer.concat([pending, chunk]) : chunk;
      for (;;) {
        if (!want) {
          const nl = pending.indexOf(10);
          if (nl < 0) break;
          const header = pending.subarray(0, nl).toString('utf8');
          pending = pending.subarray(nl + 1);
          const parts = header.split(' ');
          if (parts[1] === 'missing' || parts[1] === 'ambiguous') {
            onMissing(parts[0] ?? header, parts[1]);
            continue;
          }
          want = { id: parts[0]!, size: Number(parts[2]) };
        }
        if (pending.length < want.size + 1) break;
        const content = Buffer.from(pending.subarray(0, want.size));
        pending = pending.subarray(want.size + 1);
        const id = want.id;
        want = undefined;
        try {
          onBlob(id, content);
        } catch (e) {
          onMissing(id, (e as Error).message);
        }
      }
    });
    child.on('close', () => resolve());
    child.on('error', () => resolve());
  });
  child.stdin.on('error', () => undefined);
  // Write in chunks so a huge id list never sits in one string.
  for (let i = 0; i < ids.length; i += 1000) {
    const ok = child.stdin.write(ids.slice(i, i + 1000).join('\n') + '\n');
    if (!ok) await new Promise((r) => child.stdin.once('drain', r));
  }
  child.stdin.end();
  await done;
  if (child.exitCode && child.exitCode !== 0)
    onMissing('(cat-file)', `git cat-file exited ${child.exitCode}: ${stderr.trim().split('\n')[0] ?? ''}`);
}
