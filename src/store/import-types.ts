import type {
  AccessLevel,
  AgentKind,
  AgentStatus,
  EdgeKind,
  Environment,
  IdentityKind,
  IdentityRef,
  IdentityStatus,
  Invoker,
  LinkSource,
  NodeRef,
  PersonStatus,
  Sensitivity,
} from '../model/index.js';
import type { Row } from './bulk-writer.js';
import type { RecordType } from './schema.js';

type Attrs = Record<string, unknown>;

/**
 * What a source reports, keyed by natural keys (agent name, provider + native id). Optional fields
 * a source does not know are left out and never erase what another source said.
 */
export interface OwnerInput {
  ref: string;
  name?: string;
  email?: string;
  status?: PersonStatus;
  departedAt?: string;
  attributes?: Attrs;
}

export interface AgentInput {
  name: string;
  kind?: AgentKind;
  ownerRef?: string;
  purpose?: string;
  environment?: Environment;
  status?: AgentStatus;
  expectedEnd?: string;
  decommissionTrigger?: string;
  invokers?: Invoker[];
  approvalRequired?: boolean;
  /** True only when a team declared the agent (agents.yaml). */
  declared?: boolean;
  attributes?: Attrs;
}

export interface IdentityInput {
  provider: string;
  nativeId: string;
  kind?: IdentityKind;
  name?: string;
  account?: string;
  ownerRef?: string;
  createdAt?: string;
  lastRotatedAt?: string;
  expiresAt?: string;
  lastUsedAt?: string;
  status?: IdentityStatus;
  fingerprint?: string;
  thirdParty?: boolean;
  environment?: Environment;
  attributes?: Attrs;
}

export interface LinkInput {
  agent: string;
  identity: IdentityRef;
  source: LinkSource;
  evidence: string;
  confidence: number;
}

export interface GrantInput {
  identity: IdentityRef;
  /** Unique among this identity's grants from the same origin, e.g. `policy-arn#statement-index`. */
  key: string;
  effect: 'allow' | 'deny';
  actions: string[];
  resources: string[];
  conditions?: Attrs;
  level: AccessLevel;
  sensitivity?: Sensitivity;
  via?: string;
}

export interface ResourceInput {
  provider: string;
  nativeId: string;
  type: string;
  name?: string;
  account?: string;
  sensitivity?: Sensitivity;
  attributes?: Attrs;
}

export interface EdgeInput {
  kind: EdgeKind;
  from: NodeRef;
  to: NodeRef;
  key?: string;
  level?: AccessLevel;
  technique?: string;
  confidence?: number;
  attributes?: Attrs;
}

export interface EventInput {
  provider: string;
  /** The source's own event id, so re-importing a log does not count an event twice. */
  key: string;
  principal: string;
  identity?: IdentityRef;
  time: string;
  action: string;
  resource?: string;
  sourceAddress?: string;
  userAgent?: string;
  outcome: 'success' | 'failure';
  attributes?: Attrs;
}

/** A record a source could not read: where (JSON pointer, `line N`, or `file`) and why. */
export interface SkipInput {
  pointer: string;
  reason: string;
}

export type ImportItem =
  | { type: 'owner'; value: OwnerInput }
  | { type: 'agent'; value: AgentInput }
  | { type: 'identity'; value: IdentityInput }
  | { type: 'link'; value: LinkInput }
  | { type: 'grant'; value: GrantInput }
  | { type: 'resource'; value: ResourceInput }
  | { type: 'edge'; value: EdgeInput }
  | { type: 'event'; value: EventInput }
  | { type: 'skip'; value: SkipInput }
  /** Not a skip: something read but worth telling, e.g. a credential given as a `${VAR}` reference. */
  | { type: 'note'; value: SkipInput }
  /**
   * Events of this source summed into usage outside the session (see `ImportBatch.writeUsage`):
   * they count as read events, and `counted` says whether they were added to usage (false: the
   * file's content was counted by an earlier import).
   */
  | { type: 'counted'; value: { events: number; counted: boolean } }
  /** A record whose table row is already built (`prepareItem`, in a reader's worker thread). */
  | { type: 'row'; value: { record: Exclude<RecordType, 'link'>; row: Row } }
  /** An event whose `events` row is already built (`prepareItem`): counted as an event. */
  | { type: 'event-row'; value: Row };

export type ImportCounts = Record<
  Exclude<ImportItem['type'], 'skip' | 'note' | 'counted' | 'row' | 'event-row'>,
  number
> & {
  skipped: number;
  notes: number;
};

export function emptyCounts(): ImportCounts {
  return {
    owner: 0,
    agent: 0,
    identity: 0,
    link: 0,
    grant: 0,
    resource: 0,
    edge: 0,
    event: 0,
    skipped: 0,
    notes: 0,
  };
}
