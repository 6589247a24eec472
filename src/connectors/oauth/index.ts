import type { Connector } from '../core/types.js';
import { googleTokensConnector } from './google-tokens-connector.js';
import { slackAppsConnector } from './slack-apps-connector.js';

/**
 * Third-party OAuth connectors: apps that people granted access to company data.
 *
 * - Google Workspace `tokens.list`: identity `oauth-grant`, provider `google-workspace`, nativeId =
 *   OAuth client id, `thirdParty: true`; attributes `scopes` (union in the file), `broadScopes`
 *   (whole mailbox, Drive, admin.directory, cloud-platform…), `level`, `users`, `nativeApp`,
 *   `anonymous`; a grant per scope; an edge `delegates-to` owner(user) -> app per user.
 * - Slack `admin.apps.approved.list` / `admin.apps.restricted.list`: identity `oauth-app`,
 *   provider `slack`, nativeId = app id; `thirdParty` = !is_internal; attributes `scopes`,
 *   `sensitiveScopes`, `botScopes`, `userScopes`, `level`, `approval` (restricted => disabled).
 *
 * @example
 * warden import exports/workspace/tokens-alice@acme.example.json exports/slack/approved.json
 */
export const connectors: Connector[] = [googleTokensConnector, slackAppsConnector];
