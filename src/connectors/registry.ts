import { connectors as agentsYaml } from './agents-yaml/index.js';
import { connectors as aiProviders } from './ai-providers/index.js';
import { connectors as aws } from './aws/index.js';
import type { Connector } from './core/types.js';
import { connectors as entra } from './entra/index.js';
import { connectors as gcp } from './gcp/index.js';
import { connectors as github } from './github/index.js';
import { connectors as kubernetes } from './kubernetes/index.js';
import { connectors as mcp } from './mcp/index.js';
import { connectors as oauth } from './oauth/index.js';
import { connectors as people } from './people/index.js';
import { connectors as vault } from './vault/index.js';
import { connectors as ndjson } from './warden-ndjson/index.js';

/** Every connector Warden ships; `warden import` offers each file to all of them. */
export const CONNECTORS: readonly Connector[] = [
  ...agentsYaml,
  ...mcp,
  ...people,
  ...aws,
  ...gcp,
  ...entra,
  ...kubernetes,
  ...github,
  ...aiProviders,
  ...oauth,
  ...vault,
  ...ndjson,
];
