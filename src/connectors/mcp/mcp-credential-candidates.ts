import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { ImportItem } from '../../store/index.js';
import type { SourceFile } from '../core/source-file.js';
import { describeUrlAccount, SECRET_NAME } from './classify-credential.js';
import { escapePointer, type ServerConfig } from './mcp-client-formats.js';

/** A value that may be a credential: where it sits (JSON pointer), under which name. */
export interface Candidate {
  where: string;
  name: string;
  value: string;
}

/**
 * Every value of a server entry that may hold a credential, in the order `env`, `envFile`,
 * `headers`, `args`; and the notes on what could not be read (a missing env file).
 */
export function credentialCandidates(
  server: ServerConfig,
  ptr: string,
  file: SourceFile,
): { candidates: Candidate[]; notes: ImportItem[] } {
  const notes: ImportItem[] = [];
  const candidates = [
    ...envCandidates(server, ptr),
    ...envFileCandidates(server, ptr, file, notes),
    ...headerCandidates(server, ptr),
    ...argCandidates(server, ptr),
  ];
  return { candidates, notes };
}

function envCandidates(server: ServerConfig, ptr: string): Candidate[] {
  const out: Candidate[] = [];
  if (server.env && typeof server.env === 'object') {
    for (const [k, v] of Object.entries(server.env as Record<string, unknown>)) {
      if (typeof v === 'string') out.push({ where: `${ptr}/env/${escapePointer(k)}`, name: k, value: v });
    }
  }
  return out;
}

/** VS Code's `envFile`, relative to the config's folder; `${workspaceFolder}` is the folder above `.vscode`. */
function envFileCandidates(
  server: ServerConfig,
  ptr: string,
  file: SourceFile,
  notes: ImportItem[],
): Candidate[] {
  if (typeof server.envFile !== 'string') return [];
  const envPath = path.resolve(
    path.dirname(file.path),
    server.envFile.replace(/\$\{workspaceFolder\}/g, path.dirname(path.dirname(file.path))),
  );
  const vars = readEnvFile(envPath);
  if (!vars) {
    notes.push({
      type: 'note',
      value: {
        pointer: `${ptr}/envFile`,
        reason: `env file ${server.envFile} not found; its credentials are not inventoried`,
      },
    });
    return [];
  }
  return Object.entries(vars).map(([k, v]) => ({ where: `${ptr}/envFile (${k})`, name: k, value: v }));
}

/** `KEY=value` lines (optionally `export`ed, optionally quoted), as dotenv files write them. */
function readEnvFile(file: string): Record<string, string> | undefined {
  if (!existsSync(file)) return undefined;
  const out: Record<string, string> = {};
  for (const line of readFileSync(file, 'utf8').split(/\r?\n/)) {
    const m = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_.-]*)\s*=\s*(.*?)\s*$/.exec(line);
    if (m) out[m[1]!] = m[2]!.replace(/^(['"])(.*)\1$/, '$2');
  }
  return out;
}

/** Authentication headers of remote servers; the scheme (`Bearer`, `Basic`, `Token`) is not the secret. */
function headerCandidates(server: ServerConfig, ptr: string): Candidate[] {
  const out: Candidate[] = [];
  if (!server.headers || typeof server.headers !== 'object') return out;
  for (const [k, v] of Object.entries(server.headers as Record<string, unknown>)) {
    if (typeof v !== 'string') continue;
    const bearer = /^(Bearer|Basic|Token)\s+(.+)$/i.exec(v.trim());
    const isAuth =
      /^(authorization|x-api-key|api-key|x-auth-token|x-access-token)$/i.test(k) ||
      SECRET_NAME.test(k.replace(/-/g, '_'));
    if (isAuth)
      out.push({
        where: `${ptr}/headers/${escapePointer(k)}`,
        name: `header ${k}`,
        value: bearer ? bearer[2]! : v,
      });
  }
  return out;
}

/** Secrets on the command line: `--api-key=VALUE`, `--api-key VALUE`, and connection URLs with a password. */
function argCandidates(server: ServerConfig, ptr: string): Candidate[] {
  const out: Candidate[] = [];
  if (!Array.isArray(server.args)) return out;
  const args = server.args.filter((a): a is string => typeof a === 'string');
  args.forEach((a, i) => {
    const flag = /^--?([\w-]*(?:key|token|secret|password|pass|auth)[\w-]*)=(.+)$/i.exec(a);
    if (flag)
      out.push({
        where: `${ptr}/args/${i}`,
        name: flag[1]!.replace(/-/g, '_').toUpperCase(),
        value: flag[2]!,
      });
    else if (/^--?[\w-]*(key|token|secret|password|pass|auth)[\w-]*$/i.test(a) && args[i + 1] !== undefined) {
      out.push({
        where: `${ptr}/args/${i + 1}`,
        name: a.replace(/^-+/, '').replace(/-/g, '_').toUpperCase(),
        value: args[i + 1]!,
      });
    } else if (describeUrlAccount(a))
      out.push({ where: `${ptr}/args/${i}`, name: 'connection URL', value: a });
  });
  return out;
}
