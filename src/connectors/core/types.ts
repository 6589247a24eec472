import type { Config } from '../../config/index.js';
import type { ImportItem } from '../../store/index.js';
import type { SourceFile } from './source-file.js';

/** What every connector may use while reading: config, the fingerprint salt, the clock. */
export interface ConnectorContext {
  config: Readonly<Config>;
  /** Salt for fingerprintSecret(); secrets are never emitted in clear. */
  salt: string;
  /** The import's time, ISO-8601 UTC (a fake clock in tests). */
  now: string;
  /**
   * Config files (absolute paths) that agents.yaml assigns to an agent, filled before other files
   * are read; connectors of agent-side configs (MCP) use it to know whose config they read.
   */
  configOwners: ReadonlyMap<string, string>;
}

/**
 * One source format. `detect` must be cheap (name and head); `read` yields model records and a
 * `skip` for every record it could not read, and throws a WardenError only when the whole file is
 * unusable (then nothing of it is stored).
 */
export interface Connector {
  /** Stable format id, e.g. `aws-authorization-details`. */
  readonly id: string;
  readonly title: string;
  /** Lower runs first (agents.yaml before the configs it assigns). Default 10. */
  readonly order?: number;
  /** 0 = not this format; otherwise confidence in (0, 1]; the highest wins. */
  detect(file: SourceFile): number;
  /**
   * True when the file's name alone settles that it is this connector's format: a name the vendor
   * documents for its own deliveries. Asked before any detector, without reading the file; a file
   * so named that holds something else fails in {@link read} with the connector's own message.
   */
  claims?(file: SourceFile): boolean;
  read(file: SourceFile, ctx: ConnectorContext): AsyncIterable<ImportItem>;
  /** Key under which re-imports replace each other; defaults to `${id}:${file.display}`. */
  sourceKey?(file: SourceFile): string;
  /**
   * What reads leave for later files of the same import (e.g. AWS role names -> ARNs, see the AWS
   * RunFacts), for a file read in a worker thread (`readAhead`): `shared` gives it as a value that
   * can be copied to another thread, `adopt` takes such a value in, adding to what `ctx` holds.
   */
  shared?(ctx: ConnectorContext): unknown;
  adopt?(ctx: ConnectorContext, state: unknown): void;
  /** Called once with the agents.yaml-style files before others (only for order < 10). */
  prepare?(file: SourceFile, owners: Map<string, string>): Promise<void>;
}
