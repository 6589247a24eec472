import type { Config } from '../config/index.js';
import type {
  Agent,
  Edge,
  FailureMode,
  Grant,
  Identity,
  Link,
  Owner,
  OwaspNhiId,
  Severity,
} from '../model/index.js';
import type { FindingFrameworks, ReportFinding } from '../report/index.js';

/** Per-identity usage over the window, aggregated from the store's `usage` table (CloudTrail etc.). */
export interface UsageSummary {
  /** Distinct actions used, as recorded (e.g. `s3:GetObject`). */
  actions: string[];
  /** Distinct resources per action; `*` where the event named none. */
  resourcesByAction: Record<string, string[]>;
  count: number;
  failures: number;
  firstTime: string;
  lastTime: string;
  /** Signs of a person behind the keyboard: console sign-ins, browser user agents. */
  interactive?: { consoleLogins: number; browserAgents: number; sample?: string };
}

/**
 * A privilege-escalation path found by the access graph: the principal alone reaches
 * administrator-equivalent access of its account or cluster.
 */
export interface EscalationFact {
  identityId: string;
  principal: string;
  technique: string;
  hops: number;
  path: string[];
}

/** A leaked secret found by the scanner; never the value, only where and its mask. */
export interface LeakFact {
  file: string;
  line: number;
  column?: number;
  rule: string;
  type: string;
  fingerprint: string;
  masked: string;
  commit?: string;
  /** The inventoried identity the secret belongs to, when the scanner could tell. */
  identityId?: string;
  presentAtHead?: boolean;
}

/** What a node (identity or agent) can reach, as the access graph measures it. */
export interface BlastRadius {
  /** Distinct resources reachable. */
  resources: number;
  write: number;
  admin: number;
  /** Reachable resources of high or critical sensitivity. */
  sensitive: number;
  /** Systems (providers) reached. */
  systems: string[];
  /** Other identities reachable by assuming, reading secrets or escalating. */
  pivots: number;
  /** Normalised 0..1: how much an attacker holding this node gains. */
  score: number;
}

/** An invoker who reaches, through an agent, resources it cannot reach alone. */
export interface DeputyFact {
  kind: string;
  ref: string;
  /** Resources gained (at a higher level than the invoker holds alone). */
  gains: number;
  /** Administrator-equivalent targets gained. */
  admin: number;
}

/** Posture thresholds, from `config.posture`. */
export type PostureThresholds = Config['posture'];

/**
 * The read model every rule evaluates: plain data, no I/O, so rules are pure functions that tests
 * build in code. The audit service fills it from the store, the graph and the scanner.
 */
export interface PostureInput {
  now: string;
  agents: Agent[];
  identities: Identity[];
  links: Link[];
  owners: Owner[];
  grants: Grant[];
  /** Per identity id. */
  usage: Map<string, UsageSummary>;
  edges: Edge[];
  escalations: EscalationFact[];
  leaks: LeakFact[];
  /** Per identity id and agent id. */
  blastRadius: Map<string, BlastRadius>;
  /**
   * Invokers who gain access through each agent (agent id -> invokers), as the access graph finds
   * them; when absent the confused-deputy rule compares blast radii itself.
   */
  deputies?: Map<string, DeputyFact[]>;
  thresholds: PostureThresholds;
  /** Whether usage events were imported at all (least privilege needs them). */
  usageObserved: boolean;
}

/** One rule's declarative metadata. */
export interface RuleMeta {
  id: string;
  title: string;
  severity: Severity;
  owaspNhi: OwaspNhiId[];
  failureMode: FailureMode;
  /** Public references (OWASP NHI pages, vendor docs). */
  references: string[];
  remediation: string;
  /** A command that fixes a typical case; `{nativeId}`, `{name}`, `{account}` are filled in. */
  fix?: string;
  frameworks: FindingFrameworks;
}

/** What a rule reports, before scoring, acceptance and diffing. */
export interface RawFinding {
  subjectType: 'agent' | 'identity' | 'owner' | 'organisation' | 'file';
  subjectId: string;
  /** Human-readable subject: native id, agent name, file path; used by `ruleId:subject` patterns. */
  subject: string;
  agentIds: string[];
  message: string;
  evidence: Record<string, unknown>;
  /** Overrides the rule's default severity (e.g. 90 days unused is worse than 30). */
  severity?: Severity;
  location?: { file: string; line?: number };
  /** The fix command with values filled in. */
  fix?: string;
  /** Exposure signals for the risk score. */
  exposure?: { leaked?: boolean; public?: boolean; thirdParty?: boolean };
}

export interface Rule {
  meta: RuleMeta;
  evaluate(input: PostureInput): RawFinding[];
}

export type PostureFinding = ReportFinding;
