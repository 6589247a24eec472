import { WardenError } from '../../errors/index.js';
import type { ImportItem } from '../../store/index.js';
import type { SourceFile } from '../core/source-file.js';
import type { Connector, ConnectorContext } from '../core/types.js';
import {
  detectClientConfig,
  escapePointer,
  readClientConfig,
  serversOf,
  type ServerConfig,
} from './mcp-client-formats.js';
import { agentOfConfig, type ConfigAgent } from './mcp-config-agent.js';
import { credentialCandidates } from './mcp-credential-candidates.js';
import { credentialItems } from './mcp-credential-items.js';

// Client-config formats (with their documentation) are in mcp-client-formats.ts, the credential
// extraction in mcp-credential-candidates.ts and mcp-credential-items.ts.
export { agentOfConfig } from './mcp-config-agent.js';

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

/** A remote server's URL: `url` for most clients, `serverUrl` for Windsurf. */
function urlOf(s: ServerConfig): string | undefined {
  if (typeof s.url === 'string') return s.url;
  return typeof s.serverUrl === 'string' ? s.serverUrl : undefined;
}

/** Why a server entry cannot be read, or undefined when it can. */
function unusableReason(server: ServerConfig): string | undefined {
  if (!server || typeof server !== 'object' || Array.isArray(server))
    return 'a server entry must be an object';
  if (typeof server.command !== 'string' && !urlOf(server))
    return 'a server needs `command` (stdio) or `url` (http/sse)';
  return undefined;
}

/** The server's resource and the agent's `uses` edge to it. */
function serverItems(
  file: SourceFile,
  agent: ConfigAgent,
  server: { id: string; name: string; config: ServerConfig; host: string | undefined },
): ImportItem[] {
  const { id: serverId, name, config, host } = server;
  const pkg = packageOf(config);
  return [
    {
      type: 'resource',
      value: {
        provider: 'mcp',
        nativeId: serverId,
        type: 'mcp-server',
        name,
        sensitivity: 'medium',
        attributes: {
          transport: transportOf(config),
          ...(typeof config.command === 'string' ? { command: config.command } : {}),
          ...(pkg ? { package: pkg } : {}),
          ...(host ? { host } : {}),
          disabled: config.disabled === true,
          config: file.display,
        },
      },
    },
    {
      type: 'edge',
      value: {
        kind: 'uses',
        from: { type: 'agent', name: agent.name },
        to: { type: 'resource', provider: 'mcp', nativeId: serverId },
      },
    },
  ];
}

async function* read(file: SourceFile, ctx: ConnectorContext): AsyncGenerator<ImportItem> {
  const found = serversOf(await readClientConfig(file));
  if (!found)
    throw new WardenError('WARDEN_INPUT_INVALID', `${file.display}: no \`mcpServers\` or \`servers\` object`);
  const agent = agentOfConfig(file, ctx);
  yield { type: 'agent', value: { name: agent.name } };
  for (const [name, server] of Object.entries(found.servers)) {
    const ptr = `${found.pointer}/${escapePointer(name)}`;
    const unusable = unusableReason(server);
    if (unusable) {
      yield { type: 'skip', value: { pointer: ptr, reason: unusable } };
      continue;
    }
    const url = urlOf(server);
    let host: string | undefined;
    if (url) {
      try {
        // `${...}` placeholders are filled at run time; any stand-in keeps the host parseable.
        host = new URL(url.replace(/\$\{[^}]*\}/g, 'x')).host;
      } catch {
        yield { type: 'note', value: { pointer: `${ptr}/url`, reason: 'url is not a valid URL' } };
      }
    }
    const serverId = `${agent.name}/${name}`;
    yield* serverItems(file, agent, { id: serverId, name, config: server, host });
    const { candidates, notes } = credentialCandidates(server, ptr, file);
    yield* notes;
    yield* credentialItems(candidates, {
      file,
      ctx,
      agent,
      serverId,
      server: name,
      host,
      inputs: found.inputs,
    });
  }
}

export const mcpConnector: Connector = {
  id: 'mcp-config',
  title: 'MCP client configuration',
  detect: detectClientConfig,
  read,
};
