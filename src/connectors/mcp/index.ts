import type { Connector } from '../core/types.js';
import { mcpConnector } from './mcp-connector.js';

export { classifyCredential, hintOf, describeUrlAccount } from './classify-credential.js';
/**
 * MCP client configs: each server becomes a `mcp-server` resource the agent uses; each credential in
 * `env`, `envFile`, `headers` or `args` becomes an identity (kind, variable name, salted fingerprint,
 * provider hint; never the value), linked to the agent whose config it is.
 */
export const connectors: Connector[] = [mcpConnector];
