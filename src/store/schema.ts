import type { Generated } from 'kysely';

/**
 * Row types of the tables, as the query builder sees them. JSON columns hold text on SQLite and
 * jsonb on PostgreSQL; both accept a JSON string on write, and `parseJson` reads either back.
 * Booleans are 0/1 integers on both dialects, times ISO-8601 UTC text.
 */
type Json = string | null;
type Bool = number;

interface SoftHistory {
  first_seen: string;
  updated_at: string;
  /** Set when every source that reported the record stopped reporting it; never deleted. */
  gone_at: string | null;
}

export interface SettingsTable {
  key: string;
  value: string;
}

export interface ImportsTable {
  id: string;
  source: string;
  format: string;
  path: string;
  started_at: string;
  finished_at: string | null;
  status: string;
  counts: Json;
  skipped: Json;
}

/** Who reported a record (migration 0007): one row per record per source, keyed by (source, record_id). */
export interface ObservationsTable {
  /** `sources.id`. */
  source: number;
  /** The record's id; its prefix names its type (`idn_`, `grt_`, ...). */
  record_id: string;
  /** The source's import (`sources.seq`) that last reported the record. */
  seq: number;
  gone_at: string | null;
}

/** Each source that has reported records: its import counter and latest import. */
export interface SourcesTable {
  id: Generated<number>;
  /** Short stable key of the source's name. */
  key: string;
  name: string | null;
  seq: number;
  import_id: string | null;
  seen_at: string | null;
  /** Content digest of the file whose events this source last counted into usage. */
  events_digest: string | null;
}

export interface OwnersTable extends SoftHistory {
  id: string;
  ref: string;
  name: string | null;
  email: string | null;
  status: string | null;
  departed_at: string | null;
  attributes: Json;
}

export interface AgentsTable extends SoftHistory {
  id: string;
  name: string;
  kind: string | null;
  owner_ref: string | null;
  purpose: string | null;
  environment: string | null;
  status: string | null;
  expected_end: string | null;
  decommission_trigger: string | null;
  invokers: Json;
  approval_required: Bool | null;
  declared: Bool;
  attributes: Json;
}

export interface IdentitiesTable extends SoftHistory {
  id: string;
  kind: string | null;
  provider: string;
  native_id: string;
  name: string | null;
  account: string | null;
  owner_ref: string | null;
  created_at: string | null;
  last_rotated_at: string | null;
  expires_at: string | null;
  last_used_at: string | null;
  status: string | null;
  fingerprint: string | null;
  third_party: Bool | null;
  environment: string | null;
  attributes: Json;
}

export interface LinksTable extends SoftHistory {
  id: string;
  agent_id: string;
  identity_id: string;
  source: string;
  evidence: string;
  confidence: number;
}

export interface GrantsTable extends SoftHistory {
  id: string;
  identity_id: string;
  effect: string;
  actions: Json;
  resources: Json;
  conditions: Json;
  level: string;
  sensitivity: string | null;
  via: string | null;
}

export interface ResourcesTable extends SoftHistory {
  id: string;
  provider: string;
  native_id: string;
  type: string;
  name: string | null;
  account: string | null;
  sensitivity: string | null;
  attributes: Json;
}

export interface EdgesTable extends SoftHistory {
  id: string;
  kind: string;
  from_id: string;
  to_id: string;
  level: string | null;
  technique: string | null;
  confidence: number;
  attributes: Json;
}

export interface EventsTable {
  id: string;
  identity_id: string | null;
  principal: string;
  provider: string;
  time: string;
  action: string;
  resource: string | null;
  source_address: string | null;
  user_agent: string | null;
  outcome: string;
  attributes: Json;
}

/** Usage aggregated per principal, action and resource: what least privilege and last-use read. */
export interface UsageTable {
  identity_id: string;
  action: string;
  resource: string;
  count: number;
  failures: number;
  first_time: string;
  last_time: string;
}

/** Events per identity and user agent (first 512 characters), with the first and last time. */
export interface UsageAgentsTable {
  identity_id: string;
  user_agent: string;
  count: number;
  failures: number;
  first_time: string;
  last_time: string;
}

export interface FindingsTable {
  id: string;
  audit_id: string;
  rule_id: string;
  title: string;
  severity: string;
  subject_type: string;
  subject_id: string;
  agent_ids: Json;
  owasp_nhi: Json;
  failure_mode: string;
  message: string;
  evidence: Json;
  remediation: string;
  score: number;
  status: string;
  location: Json;
}

export interface AuditsTable {
  id: Generated<string>;
  started_at: string;
  finished_at: string | null;
  summary: Json;
}

export interface Database {
  settings: SettingsTable;
  imports: ImportsTable;
  observations: ObservationsTable;
  sources: SourcesTable;
  owners: OwnersTable;
  agents: AgentsTable;
  identities: IdentitiesTable;
  links: LinksTable;
  grants: GrantsTable;
  resources: ResourcesTable;
  edges: EdgesTable;
  events: EventsTable;
  usage: UsageTable;
  usage_agents: UsageAgentsTable;
  findings: FindingsTable;
  audits: AuditsTable;
}

/** Tables with soft history, keyed by the record type used in `observations`. */
export const HISTORY_TABLES = {
  owner: 'owners',
  agent: 'agents',
  identity: 'identities',
  link: 'links',
  grant: 'grants',
  resource: 'resources',
  edge: 'edges',
} as const;
export type RecordType = keyof typeof HISTORY_TABLES;
