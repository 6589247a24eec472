import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

/**
 * The built script of a worker that sits beside the calling module (`name`, e.g.
 * `read-ahead-worker.js`), or the build's copy under `dist/` when the caller runs from the
 * TypeScript sources (tests): worker threads cannot load `.ts` files. Undefined when neither exists
 * (sources without a build); callers then do the work on their own thread.
 */
export function workerScript(callerUrl: string, name: string): URL | undefined {
  const here = new URL(`./${name}`, callerUrl);
  if (existsSync(fileURLToPath(here))) return here;
  const caller = fileURLToPath(callerUrl);
  const m = /^(.*)[\\/]src[\\/]((?:[^\\/]+[\\/])*)[^\\/]+\.ts$/.exec(caller);
  if (!m) return undefined;
  const built = `${m[1]}/dist/${m[2]!.replace(/\\/g, '/')}${name}`;
  return existsSync(built) ? pathToFileURL(built) : undefined;
}
