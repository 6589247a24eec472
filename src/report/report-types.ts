import type { AccessLevel, FailureMode, OwaspNhiId, Severity } from '../model/index.js';

/**
 * The audit report document: what every renderer reads and what `--format json` writes verbatim.
 * Documented field by field in docs/report-schema.md; bump REPORT_SCHEMA on a breaking change.
 */
export const REPORT_SCHEMA = 'warden.audit/v1';

/** Framework ids a finding or control maps to, besides the OWASP NHI Top 10. */
export interface FindingFrameworks {
  /** OWASP Top 10 for Agentic Applications (2026): ASI01..ASI10. */
  owaspAgentic: string[];
  /** NIST Cybersecurity Framework 2.0 subcategories, e.g. PR.AA-05. */
  nistCsf: string[];
  /** CIS Critical Security Controls v8 safeguards of controls 5 and 6, e.g. 5.3. */
  cis: string[];
  /** NIST AI RMF 1.0 functions and subcategories, e.g. MANAGE 2.4. */
  aiRmf: string[];
}

export type FindingStatus = 'open' | 'accepted' | 'fixed';
/** Compared with the previous audit stored in the same database. */
export type FindingChange = 'new' | 'still-open' | 'fixed' | 'reopened';

export interface ReportFinding {
  /** Stable across audits: derived from the rule and the subject. */
  id: string;
  ruleId: string;
  title: string;
  severity: Severity;
  subjectType: 'agent' | 'identity' | 'owner' | 'organisation' | 'file';
  subjectId: string;
  subject: string;
  agentIds: string[];
  agents: string[];
  owaspNhi: OwaspNhiId[];
  failureMode: FailureMode;
  frameworks: FindingFrameworks;
  message: string;
  evidence: Record<string, unknown>;
  remediation: string;
  fix?: string;
  references: string[];
  /** 0..100, from severity, blast radius, exposure and activity. */
  score: number;
  /** Owners to ask (refs), from the subject and its agents. */
  owners: string[];
  status: FindingStatus;
  change: FindingChange;
  /** First audit that reported it. */
  firstSeen: string;
  acceptance?: { reason: string; by: string; until: string; pattern: string; expired: boolean };
  location?: { file: string; line?: number; column?: number };
}

export interface ReportBlastRadius {
  resources: number;
  write: number;
  admin: number;
  sensitive: number;
  systems: string[];
  pivots: number;
  score: number;
}

export interface GraphNode {
  id: string;
  label: string;
  type: 'invoker' | 'agent' | 'identity' | 'pivot' | 'resource' | 'system';
  /** Worst severity of the findings on this node, for colour. */
  severity?: Severity;
  detail?: string;
}

export interface GraphEdge {
  from: string;
  to: string;
  kind: string;
  level?: AccessLevel;
  label?: string;
}

export interface ReportAgent {
  id: string;
  name: string;
  kind: string | null;
  environment: string;
  status: string;
  owner: string | null;
  ownerStatus: string;
  declared: boolean;
  approvalRequired: boolean;
  invokers: { kind: string; ref: string }[];
  identityIds: string[];
  blastRadius: ReportBlastRadius;
  findings: { total: number; bySeverity: Record<Severity, number> };
  /** Highest finding score touching the agent. */
  risk: number;
  graph: { nodes: GraphNode[]; edges: GraphEdge[]; truncated: number };
}

export interface ReportIdentity {
  id: string;
  provider: string;
  kind: string;
  nativeId: string;
  name?: string;
  account?: string;
  owner: string | null;
  ownerStatus: string;
  status: string;
  environment?: string;
  createdAt?: string;
  lastRotatedAt?: string;
  expiresAt?: string;
  lastUsedAt?: string;
  thirdParty: boolean;
  agents: string[];
  blastRadius?: ReportBlastRadius;
  findings: number;
}

export interface ReportEscalation {
  identityId: string;
  principal: string;
  technique: string;
  hops: number;
  path: string[];
}

export interface ReportLeak {
  file: string;
  line: number;
  column?: number;
  rule: string;
  type: string;
  masked: string;
  commit?: string;
  identityId?: string;
}

export interface ReportLeastPrivilege {
  identityId: string;
  principal: string;
  provider: string;
  windowDays: number;
  granted: string[];
  used: string[];
  unused: string[];
  /** Generated minimal AWS policy document, or Kubernetes Role manifest. */
  policy: Record<string, unknown>;
  policyFormat: 'aws-iam-policy' | 'kubernetes-role';
  /** Grant patterns that can go, and the generated statements that replace them. */
  diff: { remove: string[]; add: string[]; keep: string[] };
}

export interface ReportControl {
  id: string;
  title: string;
  status: 'pass' | 'partial' | 'fail' | 'unknown';
  /** 0..3 on the seeds' maturity scale. */
  level: number;
  /** Share of subjects that comply, 0..1. */
  score: number;
  evidence: string[];
  missingForNext: string;
  owaspNhi: OwaspNhiId[];
  frameworks: FindingFrameworks;
}

export interface ReportMaturity {
  level: number;
  name: string;
  description: string;
  missingForNext: string[];
}

export interface ReportRoadmapItem {
  horizon: 'this-week' | 'this-month' | 'this-quarter';
  title: string;
  action: string;
  ruleIds: string[];
  findings: number;
  identities: { id: string; name: string }[];
  owners: string[];
  /** Reachable resources that drop out of the agents' blast radius once done (estimate). */
  expectedBlastRadiusDrop: { resources: number; percent: number };
}

export interface ReportInputFile {
  file: string;
  format?: string;
  status: 'imported' | 'failed' | 'unrecognised';
  records: number;
  skipped: number;
  error?: string;
}

export interface ReportSkip {
  file: string;
  pointer: string;
  reason: string;
}

export interface ReportDocument {
  schema: typeof REPORT_SCHEMA;
  auditId: string;
  generatedAt: string;
  tool: { name: 'warden'; version: string };
  input: {
    paths: string[];
    files: ReportInputFile[];
    /** Every record or file that could not be read, and why (first page of the HTML report). */
    skipped: ReportSkip[];
    skippedTotal: number;
  };
  summary: {
    agents: number;
    identities: number;
    owners: number;
    findings: { total: number; open: number; accepted: number; bySeverity: Record<Severity, number> };
    diff: { previousAuditId: string | null; new: number; stillOpen: number; fixed: number; reopened: number };
    maturity: { level: number; name: string };
  };
  agents: ReportAgent[];
  /** Identities linked to an agent or with a finding; the rest are counted in summary.identities. */
  identities: ReportIdentity[];
  findings: ReportFinding[];
  /** Findings of the previous audit that are gone now. */
  fixed: ReportFinding[];
  escalations: ReportEscalation[];
  leaks: ReportLeak[];
  leastPrivilege: ReportLeastPrivilege[];
  controls: ReportControl[];
  maturity: ReportMaturity;
  roadmap: ReportRoadmapItem[];
}
