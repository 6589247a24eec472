import type { Connector } from '../core/types.js';

/** Connectors of this source family (filled in by the connectors issue). */
export const connectors: Connector[] = [];
