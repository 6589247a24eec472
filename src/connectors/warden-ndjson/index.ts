import type { Connector } from '../core/types.js';
import { ndjsonConnector } from './ndjson-connector.js';

export { NdjsonRecord } from './ndjson-schema.js';
/** Warden's own line-delimited format (`{"record": "identity", ...}` per line) for bulk loads. */
export const connectors: Connector[] = [ndjsonConnector];
