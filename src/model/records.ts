import { z } from 'zod';
import {
  AccessLevel,
  AgentKind,
  AgentStatus,
  Confidence,
  EdgeKind,
  Environment,
  FailureMode,
  IdentityKind,
  IdentityStatus,
  LinkSource,
  OwaspNhiId,
  PersonStatus,
  Sensitivity,
  Severity,
  Timestamp,
} from './vocabulary.js';

const Attributes = z.record(z.string(), z.unknown());

/** A person or team that owns agents and identities; `ref` is the email or login sources use. */
export const Owner = z.object({
  id: z.string(),
  ref: z.string().min(1),
  name: z.string().optional(),
  email: z.string().optional(),
  status: PersonStatus,
  departedAt: Timestamp.optional(),
  attributes: Attributes.optional(),
});
export type Owner = z.infer<typeof Owner>;

/**
 * An owner record that only names another person by a second handle (a GitHub login beside the
 * email, `attributes.aliasOf`): kept so sources that use the handle resolve, counted once.
 */
export function isOwnerAlias(o: { attributes?: Record<string, unknown> | undefined }): boolean {
  return o.attributes?.aliasOf !== undefined;
}

/** Who may make an agent act: a person, a group of people, or another agent. */
export const Invoker = z.object({
  kind: z.enum(['person', 'group', 'agent', 'public']),
  ref: z.string().min(1),
});
export type Invoker = z.infer<typeof Invoker>;

export const Agent = z.object({
  id: z.string(),
  name: z.string().min(1),
  /** Absent for an agent discovered by a tag or a name before anyone declared it. */
  kind: AgentKind.optional(),
  ownerRef: z.string().optional(),
  purpose: z.string().optional(),
  environment: Environment,
  status: AgentStatus,
  expectedEnd: Timestamp.optional(),
  decommissionTrigger: z.string().optional(),
  invokers: z.array(Invoker),
  /** Sensitive actions of this agent wait for a human's approval. */
  approvalRequired: z.boolean(),
  declared: z.boolean(),
  attributes: Attributes.optional(),
});
export type Agent = z.infer<typeof Agent>;

/** A reference to an identity by its natural key, before ids are resolved. */
export const IdentityRef = z.object({ provider: z.string().min(1), nativeId: z.string().min(1) });
export type IdentityRef = z.infer<typeof IdentityRef>;

export const Identity = z.object({
  id: z.string(),
  kind: IdentityKind,
  provider: z.string().min(1),
  nativeId: z.string().min(1),
  name: z.string().optional(),
  /** Account, project, tenant, cluster or organisation the identity lives in. */
  account: z.string().optional(),
  ownerRef: z.string().optional(),
  createdAt: Timestamp.optional(),
  lastRotatedAt: Timestamp.optional(),
  expiresAt: Timestamp.optional(),
  lastUsedAt: Timestamp.optional(),
  status: IdentityStatus,
  /** Salted fingerprint of the secret value where Warden saw it; never the value. */
  fingerprint: z.string().optional(),
  thirdParty: z.boolean().optional(),
  environment: Environment.optional(),
  attributes: Attributes.optional(),
});
export type Identity = z.infer<typeof Identity>;

export const Link = z.object({
  id: z.string(),
  agentId: z.string(),
  identityId: z.string(),
  source: LinkSource,
  evidence: z.string(),
  confidence: Confidence,
});
export type Link = z.infer<typeof Link>;

export const Grant = z.object({
  id: z.string(),
  identityId: z.string(),
  effect: z.enum(['allow', 'deny']),
  actions: z.array(z.string()),
  resources: z.array(z.string()),
  conditions: Attributes.optional(),
  level: AccessLevel,
  sensitivity: Sensitivity.optional(),
  /** Policy, role or binding this grant comes from. */
  via: z.string().optional(),
});
export type Grant = z.infer<typeof Grant>;

export const Resource = z.object({
  id: z.string(),
  provider: z.string().min(1),
  nativeId: z.string().min(1),
  type: z.string().min(1),
  name: z.string().optional(),
  account: z.string().optional(),
  sensitivity: Sensitivity,
  attributes: Attributes.optional(),
});
export type Resource = z.infer<typeof Resource>;

/** A directed relation between two nodes (agent, identity, owner, resource) of the access graph. */
export const Edge = z.object({
  id: z.string(),
  kind: EdgeKind,
  fromId: z.string(),
  toId: z.string(),
  level: AccessLevel.optional(),
  technique: z.string().optional(),
  confidence: Confidence,
  attributes: Attributes.optional(),
});
export type Edge = z.infer<typeof Edge>;

/** One use of an identity, as an audit log records it. */
export const Event = z.object({
  id: z.string(),
  identityId: z.string().optional(),
  principal: z.string(),
  provider: z.string(),
  time: Timestamp,
  action: z.string(),
  resource: z.string().optional(),
  sourceAddress: z.string().optional(),
  userAgent: z.string().optional(),
  outcome: z.enum(['success', 'failure']),
  attributes: Attributes.optional(),
});
export type Event = z.infer<typeof Event>;

export const Finding = z.object({
  id: z.string(),
  ruleId: z.string(),
  title: z.string(),
  severity: Severity,
  subjectType: z.enum(['agent', 'identity', 'owner', 'organisation', 'file']),
  subjectId: z.string(),
  agentIds: z.array(z.string()),
  owaspNhi: z.array(OwaspNhiId),
  failureMode: FailureMode,
  message: z.string(),
  evidence: Attributes,
  remediation: z.string(),
  score: z.number().min(0).max(100),
  status: z.enum(['open', 'accepted', 'fixed']),
  location: z.object({ file: z.string(), line: z.number().int().positive().optional() }).optional(),
});
export type Finding = z.infer<typeof Finding>;

/** A provisioning request: owner, purpose, scope and expiry are mandatory. */
export const Request = z
  .object({
    id: z.string(),
    requester: z.string().min(1),
    agentId: z.string(),
    owner: z.string().min(1),
    purpose: z.string().min(1),
    scope: z.array(z.string()).min(1),
    expiresAt: Timestamp,
    justification: z.string().optional(),
    approver: z.string().optional(),
    status: z.enum(['pending', 'approved', 'denied', 'expired', 'cancelled']),
    createdAt: Timestamp,
  })
  .refine((r) => r.approver === undefined || r.approver !== r.requester, {
    message: 'the approver must not be the requester',
    path: ['approver'],
  });
export type Request = z.infer<typeof Request>;

export const Lease = z.object({
  id: z.string(),
  identityId: z.string(),
  agentId: z.string(),
  /** human -> agent -> sub-agent, outermost first. */
  delegationChain: z.array(z.string()),
  scope: z.array(z.string()),
  issuedAt: Timestamp,
  expiresAt: Timestamp,
  revokedAt: Timestamp.optional(),
});
export type Lease = z.infer<typeof Lease>;

export const Decision = z.object({
  id: z.string(),
  agentId: z.string(),
  action: z.string(),
  resource: z.string().optional(),
  effect: z.enum(['allow', 'deny', 'hold']),
  reasons: z.array(z.string()),
  policyIds: z.array(z.string()),
  time: Timestamp,
});
export type Decision = z.infer<typeof Decision>;

export const Alert = z.object({
  id: z.string(),
  detector: z.string(),
  severity: Severity,
  identityId: z.string().optional(),
  agentId: z.string().optional(),
  message: z.string(),
  evidence: Attributes,
  time: Timestamp,
  status: z.enum(['open', 'acknowledged', 'resolved']),
});
export type Alert = z.infer<typeof Alert>;

/** One change to Warden's own state, who made it and when. */
export const AuditEntry = z.object({
  id: z.string(),
  actor: z.string(),
  action: z.string(),
  target: z.string(),
  details: Attributes,
  time: Timestamp,
});
export type AuditEntry = z.infer<typeof AuditEntry>;
