/**
 * Connectors: each turns one real export format into model records, and says what it skipped.
 *
 * @example
 * const report = await importPaths({ store, config, connectors: CONNECTORS, paths: ['exports/'] });
 */
export { CONNECTORS } from './registry.js';
export { importPaths, type ImportReport, type FileReport, type ImportOptions } from './import-service.js';
export { SourceFile, parseJsonText } from './core/source-file.js';
export type { Connector, ConnectorContext } from './core/types.js';
export { tagsOf, DERIVED_SOURCE } from './core/linkers.js';
