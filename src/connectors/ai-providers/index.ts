import type { Connector } from '../core/types.js';
import { anthropicConnector } from './anthropic-connector.js';
import { openaiConnector } from './openai-connector.js';

/**
 * Model-provider connectors: the keys agents use to reach their model.
 *
 * Identities:
 * - OpenAI (`openai`): `api-key` nativeId `key_…` (project keys: account = project id from the
 *   path; admin keys: `attributes.admin`, `level: admin`), `service-account` nativeId `svc_acct_…`;
 *   ownerRef = the owning user's email; `hint` {prefix, suffix} from `redacted_value`;
 *   `serviceAccount`/`parent` for service-account keys (plus a `member-of` edge key -> account).
 *   Projects become resources of type `project`.
 * - Anthropic (`anthropic`): `api-key` nativeId `apikey_…`, account = workspace id (`default`
 *   when absent), status active|inactive|revoked (archived)|expired, `hint` from
 *   `partial_key_hint`, ownerRef = creator's email when a users list is imported alongside, else
 *   the user id. Workspaces become resources of type `workspace`.
 * Users lists of both providers become owner records (email, no status).
 *
 * @example
 * warden import exports/openai/projects/proj_abc/api_keys.json exports/anthropic/api_keys.json
 */
export const connectors: Connector[] = [openaiConnector, anthropicConnector];

export { deriveHintLinks } from './hint-linker.js';
