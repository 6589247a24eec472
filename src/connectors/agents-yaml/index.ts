import type { Connector } from '../core/types.js';
import { agentsYamlConnector } from './agents-yaml-connector.js';

export { DeclaredAgent, DeclaredIdentity } from './agents-yaml-schema.js';
/** The agents.yaml connector (see docs/agents-yaml.md for the format). */
export const connectors: Connector[] = [agentsYamlConnector];
