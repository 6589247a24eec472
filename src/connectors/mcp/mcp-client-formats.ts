import { parseDocument } from 'yaml';
import { WardenError } from '../../errors/index.js';
import type { SourceFile } from '../core/source-file.js';

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
export interface ServerConfig {
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

/** VS Code `inputs` by id: a `password` input is a prompt for a secret. */
export type ClientInputs = Record<string, { password?: boolean; description?: string }>;

export type ClientServers = {
  servers: Record<string, ServerConfig>;
  pointer: string;
  inputs: ClientInputs;
};

/** How sure the file is an MCP client config, from its name and first bytes. */
export function detectClientConfig(file: SourceFile): number {
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
}

/** The config document: YAML for Continue-style configs, JSON for the others. */
export async function readClientConfig(file: SourceFile): Promise<unknown> {
  return /\.ya?ml$/i.test(file.name) ? yamlConfig(file, await file.text()) : await file.json();
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

/**
 * Normalises the client dialects to name -> server: a map (`mcpServers`, `servers`, `mcp.servers`,
 * Zed's `context_servers` whose `command` may be an object `{path, args, env}`), or a list of
 * servers with a `name` (Continue's config.yaml).
 */
export function serversOf(json: unknown): ClientServers | undefined {
  if (!json || typeof json !== 'object' || Array.isArray(json)) return undefined;
  const o = json as Record<string, unknown>;
  const inputs = inputsOf(o);
  const mcp = o.mcp as Record<string, unknown> | undefined;
  const candidates: [unknown, string][] = [
    [o.mcpServers, '/mcpServers'],
    [o.servers, '/servers'],
    [mcp?.servers, '/mcp/servers'],
    [o.context_servers, '/context_servers'],
  ];
  for (const [value, pointer] of candidates) {
    if (!value || typeof value !== 'object') continue;
    const servers = Array.isArray(value)
      ? serversOfList(value)
      : serversOfMap(value as Record<string, unknown>);
    return { servers, pointer, inputs };
  }
  return undefined;
}

function inputsOf(o: Record<string, unknown>): ClientInputs {
  const inputs: ClientInputs = {};
  const rawInputs = o.inputs ?? (o.mcp as Record<string, unknown> | undefined)?.inputs;
  if (Array.isArray(rawInputs))
    for (const i of rawInputs) if (i && typeof i.id === 'string') inputs[i.id] = i;
  return inputs;
}

/** A list of servers, each named by its `name`, else by its position. */
function serversOfList(value: unknown[]): Record<string, ServerConfig> {
  const servers: Record<string, ServerConfig> = {};
  value.forEach((v: unknown, i) => {
    const name =
      v && typeof v === 'object' && typeof (v as { name?: unknown }).name === 'string'
        ? (v as { name: string }).name
        : `#${i}`;
    servers[name] = v as ServerConfig;
  });
  return servers;
}

function serversOfMap(value: Record<string, unknown>): Record<string, ServerConfig> {
  const servers: Record<string, ServerConfig> = {};
  for (const [name, v] of Object.entries(value)) servers[name] = flattenCommand(v);
  return servers;
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

/** A server name as a JSON pointer token (RFC 6901: `~` -> `~0`, `/` -> `~1`). */
export function escapePointer(s: string): string {
  return s.replace(/~/g, '~0').replace(/\//g, '~1');
}
