import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseDocument } from 'yaml';
import { WardenError } from '../../errors/index.js';
import { fingerprintSecret, type IdentityKind } from '../../model/index.js';
import type { ImportItem } from '../../store/index.js';
import type { SourceFile } from '../core/source-file.js';
import type { Connector, ConnectorContext } from '../core/types.js';
import {
  classifyCredential,
  describeUrlAccount,
  hintOf,
  isAwsAccessKeyId,
  providerFromName,
  SECRET_NAME,
} from './classify-credential.js';

/**
 * MCP client configurations as real clients write them:
 * - Claude Desktop `claude_desktop_config.json`, Cursor `.cursor/mcp.json`, Windsurf, Cline, Claude Code
 *   `.mcp.json`: `{"mcpServers": {NAME: {command, args, env} | {url, headers}}}`
 *   (https://modelcontextprotocol.io/quickstart/user, https://docs.cursor.com/context/model-context-protocol)
 * - VS Code `.vscode/mcp.json`: `{"inputs": [...], "servers": {NAME: {type, command, args, env, envFile,
 *   url, headers}}}`, and `"mcp": {"servers": ...}` inside settings.json
 *   (https://code.visualstudio.com/docs/copilot/chat/mcp-servers).
 * Values may be `${input:id}` / `${env:VAR}` / `${VAR}` references: the secret is supplied at run time.
 */
interface ServerConfig {
  type?: unknown;
  command?: unknown;
  args?: unknown;
  env?: unknown;
  envFile?: unknown;
  url?: unknown;
  serverUrl?: unknown;
  headers?: unknown;
  disabled?: unknown;
}

const KNOWN_CLIENT_FILES: Record<string, string> = {
  'claude_desktop_config.json': 'claude-desktop',
  'mcp.json': 'mcp-client',
  '.mcp.json': 'claude-code',
  'mcp_config.json': 'windsurf',
  'cline_mcp_settings.json': 'cline',
};

/** Folder names that say where a config sits, not whose it is. */
const GENERIC_DIRS = new Set([
  'config',
  'configs',
  'mcp',
  'settings',
  'claude',
  'cursor',
  'vscode',
  'user',
  'home',
  'src',
  'app',
  'agent',
  'agents',
  'examples',
  'mcp-configs',
]);

const REFERENCE = /^\$\{(input|env):([^}]+)\}$|^\$\{([A-Za-z_][A-Za-z0-9_]*)\}$|^\$([A-Z_][A-Z0-9_]*)$/;

type Found = {
  servers: Record<string, ServerConfig>;
  pointer: string;
  inputs: Record<string, { password?: boolean; description?: string }>;
};

/**
 * Normalises the client dialects to name -> server: a map (`mcpServers`, `servers`, `mcp.servers`,
 * Zed's `context_servers` whose `command` may be an object `{path, args, env}`), or a list of
 * servers with a `name` (Continue's config.yaml).
 */
function serversOf(json: unknown): Found | undefined {
  if (!json || typeof json !== 'object' || Array.isArray(json)) return undefined;
  const o = json as Record<string, unknown>;
  const inputs: Found['inputs'] = {};
  const rawInputs = o.inputs ?? (o.mcp as Record<string, unknown> | undefined)?.inputs;
  if (Array.isArray(rawInputs))
    for (const i of rawInputs) if (i && typeof i.id === 'string') inputs[i.id] = i;
  const mcp = o.mcp as Record<string, unknown> | undefined;
  const candidates: [unknown, string][] = [
    [o.mcpServers, '/mcpServers'],
    [o.servers, '/servers'],
    [mcp?.servers, '/mcp/servers'],
    [o.context_servers, '/context_servers'],
  ];
  for (const [value, pointer] of candidates) {
    if (!value || typeof value !== 'object') continue;
    const servers: Record<string, ServerConfig> = {};
    if (Array.isArray(value)) {
      value.forEach((v: unknown, i) => {
        const name =
          v && typeof v === 'object' && typeof (v as { name?: unknown }).name === 'string'
            ? (v as { name: string }).name
            : `#${i}`;
        servers[name] = v as ServerConfig;
      });
    } else {
      for (const [name, v] of Object.entries(value as Record<string, unknown>))
        servers[name] = flattenCommand(v);
    }
    return { servers, pointer, inputs };
  }
  return undefined;
}

/** Zed writes `command: {path, args, env}`; the others put them beside `command`. */
function flattenCommand(v: unknown): ServerConfig {
  if (!v || typeof v !== 'object' || Array.isArray(v)) return v as ServerConfig;
  const s = v as ServerConfig & { command?: unknown };
  if (s.command && typeof s.command === 'object' && !Array.isArray(s.command)) {
    const c = s.command as { path?: unknown; args?: unknown; env?: unknown };
    return { ...s, command: c.path, args: c.args ?? s.args, env: c.env ?? s.env };
  }
  return s;
}

/** Whose config is this: declared in agents.yaml, else the nearest meaningful folder name. */
export function agentOfConfig(
  file: SourceFile,
  ctx: ConnectorContext,
): { name: string; confidence: number; evidence: string } {
  const declared = ctx.configOwners.get(file.path);
  if (declared) return { name: declared, confidence: 1, evidence: `agents.yaml lists ${file.display}` };
  const parts = path
    .dirname(file.display)
    .split(/[\\/]/)
    .filter((p) => p && p !== '.');
  for (let i = parts.length - 1; i >= 0; i--) {
    const p = parts[i]!;
    if (p.startsWith('.') || GENERIC_DIRS.has(p.toLowerCase())) continue;
    return { name: p, confidence: 0.7, evidence: `found in ${file.display} (agent named by its folder)` };
  }
  const client =
    KNOWN_CLIENT_FILES[file.name.toLowerCase()] ?? path.basename(file.name, path.extname(file.name));
  return {
    name: client,
    confidence: 0.5,
    evidence: `found in ${file.display} (agent named by the client file)`,
  };
}

function transportOf(s: ServerConfig): string {
  if (typeof s.type === 'string') return s.type;
  if (typeof s.url === 'string' || typeof s.serverUrl === 'string') return 'http';
  return 'stdio';
}

/** The package a stdio server runs (`npx -y @scope/server-x`), for the record. */
function packageOf(s: ServerConfig): string | undefined {
  const args = Array.isArray(s.args) ? s.args.filter((a): a is string => typeof a === 'string') : [];
  return args.find(
    (a) =>
      !a.startsWith('-') &&
      (/^@[\w.-]+\/[\w.-]+/.test(a) || /^[\w.-]+(-mcp|mcp-[\w.-]+|server-[\w.-]+)/.test(a)),
  );
}

function readEnvFile(file: string): Record<string, string> | undefined {
  if (!existsSync(file)) return undefined;
  const out: Record<string, string> = {};
  for (const line of readFileSync(file, 'utf8').split(/\r?\n/)) {
    const m = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_.-]*)\s*=\s*(.*?)\s*$/.exec(line);
    if (m) out[m[1]!] = m[2]!.replace(/^(['"])(.*)\1$/, '$2');
  }
  return out;
}

async function* read(file: SourceFile, ctx: ConnectorContext): AsyncGenerator<ImportItem> {
  const json = /\.ya?ml$/i.test(file.name) ? yamlConfig(file, await file.text()) : await file.json();
  const found = serversOf(json);
  if (!found)
    throw new WardenError('WARDEN_INPUT_INVALID', `${file.display}: no \`mcpServers\` or \`servers\` object`);
  const agent = agentOfConfig(file, ctx);
  yield { type: 'agent', value: { name: agent.name } };
  for (const [name, server] of Object.entries(found.servers)) {
    const ptr = `${found.pointer}/${escapePointer(name)}`;
    if (!server || typeof server !== 'object' || Array.isArray(server)) {
      yield { type: 'skip', value: { pointer: ptr, reason: 'a server entry must be an object' } };
      continue;
    }
    const url =
      typeof server.url === 'string'
        ? server.url
        : typeof server.serverUrl === 'string'
          ? server.serverUrl
          : undefined;
    if (typeof server.command !== 'string' && !url) {
      yield {
        type: 'skip',
        value: { pointer: ptr, reason: 'a server needs `command` (stdio) or `url` (http/sse)' },
      };
      continue;
    }
    const serverId = `${agent.name}/${name}`;
    const pkg = packageOf(server);
    let host: string | undefined;
    if (url) {
      try {
        host = new URL(url.replace(/\$\{[^}]*\}/g, 'x')).host;
      } catch {
        yield { type: 'note', value: { pointer: `${ptr}/url`, reason: 'url is not a valid URL' } };
      }
    }
    yield {
      type: 'resource',
      value: {
        provider: 'mcp',
        nativeId: serverId,
        type: 'mcp-server',
        name,
        sensitivity: 'medium',
        attributes: {
          transport: transportOf(server),
          ...(typeof server.command === 'string' ? { command: server.command } : {}),
          ...(pkg ? { package: pkg } : {}),
          ...(host ? { host } : {}),
          disabled: server.disabled === true,
          config: file.display,
        },
      },
    };
    yield {
      type: 'edge',
      value: {
        kind: 'uses',
        from: { type: 'agent', name: agent.name },
        to: { type: 'resource', provider: 'mcp', nativeId: serverId },
      },
    };

    const candidates: { where: string; name: string; value: string }[] = [];
    if (server.env && typeof server.env === 'object') {
      for (const [k, v] of Object.entries(server.env as Record<string, unknown>)) {
        if (typeof v === 'string')
          candidates.push({ where: `${ptr}/env/${escapePointer(k)}`, name: k, value: v });
      }
    }
    if (typeof server.envFile === 'string') {
      const envPath = path.resolve(
        path.dirname(file.path),
        server.envFile.replace(/\$\{workspaceFolder\}/g, path.dirname(path.dirname(file.path))),
      );
      const vars = readEnvFile(envPath);
      if (vars)
        for (const [k, v] of Object.entries(vars))
          candidates.push({ where: `${ptr}/envFile (${k})`, name: k, value: v });
      else
        yield {
          type: 'note',
          value: {
            pointer: `${ptr}/envFile`,
            reason: `env file ${server.envFile} not found; its credentials are not inventoried`,
          },
        };
    }
    if (server.headers && typeof server.headers === 'object') {
      for (const [k, v] of Object.entries(server.headers as Record<string, unknown>)) {
        if (typeof v !== 'string') continue;
        const bearer = /^(Bearer|Basic|Token)\s+(.+)$/i.exec(v.trim());
        const isAuth =
          /^(authorization|x-api-key|api-key|x-auth-token|x-access-token)$/i.test(k) ||
          SECRET_NAME.test(k.replace(/-/g, '_'));
        if (isAuth)
          candidates.push({
            where: `${ptr}/headers/${escapePointer(k)}`,
            name: `header ${k}`,
            value: bearer ? bearer[2]! : v,
          });
      }
    }
    if (Array.isArray(server.args)) {
      const args = server.args.filter((a): a is string => typeof a === 'string');
      args.forEach((a, i) => {
        const flag = /^--?([\w-]*(?:key|token|secret|password|pass|auth)[\w-]*)=(.+)$/i.exec(a);
        if (flag)
          candidates.push({
            where: `${ptr}/args/${i}`,
            name: flag[1]!.replace(/-/g, '_').toUpperCase(),
            value: flag[2]!,
          });
        else if (
          /^--?[\w-]*(key|token|secret|password|pass|auth)[\w-]*$/i.test(a) &&
          args[i + 1] !== undefined
        ) {
          candidates.push({
            where: `${ptr}/args/${i + 1}`,
            name: a.replace(/^-+/, '').replace(/-/g, '_').toUpperCase(),
            value: args[i + 1]!,
          });
        } else if (describeUrlAccount(a))
          candidates.push({ where: `${ptr}/args/${i}`, name: 'connection URL', value: a });
      });
    }
    yield* credentials(candidates, { file, ctx, agent, serverId, server: name, host, inputs: found.inputs });
  }
}

interface CredContext {
  file: SourceFile;
  ctx: ConnectorContext;
  agent: { name: string; confidence: number; evidence: string };
  serverId: string;
  server: string;
  host: string | undefined;
  inputs: Record<string, { password?: boolean; description?: string }>;
}

function* credentials(
  candidates: { where: string; name: string; value: string }[],
  c: CredContext,
): Generator<ImportItem> {
  // An AWS key id and its secret in the same block are one credential: the id names it, the secret is fingerprinted.
  const awsId = candidates.find((x) => isAwsAccessKeyId(x.value.trim()))?.value.trim();
  for (const cand of candidates) {
    const ref = REFERENCE.exec(cand.value.trim());
    if (ref) {
      if (!SECRET_NAME.test(cand.name) && !cand.name.startsWith('header')) continue;
      const source =
        ref[1] === 'input'
          ? `VS Code input '${ref[2]}'${c.inputs[ref[2]!]?.password ? ' (password prompt)' : ''}`
          : `environment variable ${ref[2] ?? ref[3] ?? ref[4]}`;
      const cls = classifyCredential(cand.name, 'reference-value-0000');
      const provider = providerFromName(cand.name) ?? (c.host ? hostProvider(c.host) : 'unknown');
      const nativeId = `mcp-ref:${c.serverId}/${cand.name}`;
      yield identity(c, {
        provider,
        nativeId,
        kind: kindFor(cand.name, cls?.kind, c),
        name: cand.name,
        attributes: { variable: cand.name, suppliedBy: source, location: cand.where, storedIn: 'reference' },
      });
      yield link(c, provider, nativeId, cand.where);
      yield {
        type: 'note',
        value: {
          pointer: cand.where,
          reason: `${cand.name} is a reference to ${source}, not a value: the credential is inventoried without a fingerprint`,
        },
      };
      continue;
    }
    const cls = classifyCredential(cand.name, cand.value);
    if (!cls) continue;
    if (
      cls.nativeId &&
      awsId &&
      cls.nativeId === awsId &&
      candidates.some((x) => /SECRET_ACCESS_KEY/i.test(x.name))
    )
      continue;
    const fp = fingerprintSecret(cand.value.trim(), c.ctx.salt);
    let provider = cls.provider === 'unknown' && c.host ? hostProvider(c.host) : cls.provider;
    let nativeId =
      cls.nativeId ?? (cls.kind === 'database-account' ? (describeUrlAccount(cand.value) ?? fp) : fp);
    if (/SECRET_ACCESS_KEY/i.test(cand.name) && awsId) {
      provider = 'aws';
      nativeId = awsId;
    }
    const kind = /SECRET_ACCESS_KEY/i.test(cand.name) ? 'access-key' : kindFor(cand.name, cls.kind, c);
    yield identity(c, {
      provider,
      nativeId,
      kind,
      name: cand.name,
      fingerprint: fp,
      attributes: {
        variable: cand.name,
        location: cand.where,
        storedIn: 'plain-config',
        hint: hintOf(cand.value.trim()),
      },
    });
    yield link(c, provider, nativeId, cand.where);
  }
}

function kindFor(name: string, kind: IdentityKind | undefined, c: CredContext): IdentityKind {
  if (
    name.startsWith('header') &&
    c.host &&
    (kind === undefined || kind === 'api-key' || kind === 'oauth-token')
  )
    return 'mcp-token';
  return kind ?? 'api-key';
}

function hostProvider(host: string): string {
  const parts = host.replace(/:\d+$/, '').split('.');
  return parts.length >= 2 ? parts[parts.length - 2]! : host;
}

function identity(
  c: CredContext,
  v: {
    provider: string;
    nativeId: string;
    kind: IdentityKind;
    name: string;
    fingerprint?: string;
    attributes: Record<string, unknown>;
  },
): ImportItem {
  return {
    type: 'identity',
    value: {
      provider: v.provider,
      nativeId: v.nativeId,
      kind: v.kind,
      name: v.name,
      status: 'active',
      ...(v.fingerprint ? { fingerprint: v.fingerprint } : {}),
      attributes: { ...v.attributes, mcpServer: c.server, config: c.file.display },
    },
  };
}

function link(c: CredContext, provider: string, nativeId: string, where: string): ImportItem {
  return {
    type: 'link',
    value: {
      agent: c.agent.name,
      identity: { provider, nativeId },
      source: 'config',
      evidence: `${c.file.display}#${where}; ${c.agent.evidence}`,
      confidence: c.agent.confidence,
    },
  };
}

function yamlConfig(file: SourceFile, text: string): unknown {
  const doc = parseDocument(text, { prettyErrors: false });
  const err = doc.errors[0];
  if (err)
    throw new WardenError(
      'WARDEN_INPUT_INVALID',
      `${file.display}:${err.linePos?.[0]?.line ?? 1}: ${err.message.split('\n')[0]}`,
    );
  return doc.toJS();
}

function escapePointer(s: string): string {
  return s.replace(/~/g, '~0').replace(/\//g, '~1');
}

export const mcpConnector: Connector = {
  id: 'mcp-config',
  title: 'MCP client configuration',
  detect(file) {
    const head = file.head();
    // Continue's config.yaml and similar YAML configs list their servers under `mcpServers:`.
    if (/\.ya?ml$/i.test(file.name)) return /^mcpServers:\s*$/m.test(head) ? 0.9 : 0;
    if (!/\.json$/i.test(file.name)) return 0;
    if (/"context_servers"\s*:/.test(head)) return 0.8;
    if (/"mcpServers"\s*:/.test(head)) return 0.95;
    const vscode =
      /(^|[\\/])\.vscode[\\/]mcp\.json$/i.test(file.display) || file.name.toLowerCase() === 'mcp.json';
    if (vscode && /"servers"\s*:/.test(head)) return 0.9;
    if (/"mcp"\s*:\s*\{[\s\S]*"servers"\s*:/.test(head)) return 0.6;
    return 0;
  },
  read,
};
