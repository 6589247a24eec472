import type { Connector } from '../core/types.js';
import { oktaUsersConnector, scimUsersConnector } from './idp-users-connectors.js';
import { peopleCsvConnector } from './people-csv-connector.js';

/**
 * People lists that say who owns what and who has left: `people.csv`, SCIM 2.0 Users JSON and
 * Okta `/api/v1/users` JSON. Each person becomes an `owner` record (ref = email, lower-cased) with
 * status active | departed | unknown, `departedAt`, and attributes `manager` (email when known),
 * `department`, `title`, `github`, IdP ids. A person's other handles (GitHub login, an IdP login
 * that is not the email) get alias owner records (`attributes.aliasOf`) with the same status, so
 * an identity owned by `octocat` resolves to the same person as `alice@acme.example`.
 *
 * @example
 * warden import people.csv okta-users.json
 */
export const connectors: Connector[] = [peopleCsvConnector, scimUsersConnector, oktaUsersConnector];
