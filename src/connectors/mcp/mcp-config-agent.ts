import path from 'node:path';
import type { SourceFile } from '../core/source-file.js';
import type { ConnectorContext } from '../core/types.js';

/** The agent a config belongs to, how sure that is, and why (for the link's evidence). */
export interface ConfigAgent {
  name: string;
  confidence: number;
  evidence: string;
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

/** Whose config is this: declared in agents.yaml, else the nearest meaningful folder name. */
export function agentOfConfig(file: SourceFile, ctx: ConnectorContext): ConfigAgent {
  const declared = ctx.configOwners.get(file.path);
  if (declared) return { name: declared, confidence: 1, evidence: `agents.yaml lists ${file.display}` };
  const folder = meaningfulFolder(file);
  if (folder)
    return {
      name: folder,
      confidence: 0.7,
      evidence: `found in ${file.display} (agent named by its folder)`,
    };
  const client =
    KNOWN_CLIENT_FILES[file.name.toLowerCase()] ?? path.basename(file.name, path.extname(file.name));
  return {
    name: client,
    confidence: 0.5,
    evidence: `found in ${file.display} (agent named by the client file)`,
  };
}

/** The nearest folder of the file that is neither hidden nor a generic name. */
function meaningfulFolder(file: SourceFile): string | undefined {
  const parts = path
    .dirname(file.display)
    .split(/[\\/]/)
    .filter((p) => p && p !== '.');
  for (let i = parts.length - 1; i >= 0; i--) {
    const p = parts[i]!;
    if (p.startsWith('.') || GENERIC_DIRS.has(p.toLowerCase())) continue;
    return p;
  }
  return undefined;
}
