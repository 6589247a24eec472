import { z } from 'zod';

/** Kinds of non-human identity Warden inventories. */
export const IDENTITY_KINDS = [
  'api-key',
  'access-key',
  'oauth-app',
  'oauth-grant',
  'oauth-token',
  'service-account',
  'cloud-role',
  'cloud-user',
  'workload-identity',
  'session-token',
  'webhook',
  'certificate',
  'ssh-key',
  'ci-secret',
  'personal-access-token',
  'bot-token',
  'mcp-token',
  'database-account',
  'password',
  'vault-role',
  'unknown',
] as const;
export const IdentityKind = z.enum(IDENTITY_KINDS);
export type IdentityKind = z.infer<typeof IdentityKind>;

/** The eleven agent kinds of the architecture page. */
export const AGENT_KINDS = [
  'chatbot',
  'rag-service',
  'cloud-model-endpoint',
  'llm-api-client',
  'enterprise-ai-platform',
  'browser-agent',
  'computer-agent',
  'coding-agent',
  'pipeline',
  'mcp-server',
  'orchestrator',
] as const;
export const AgentKind = z.enum(AGENT_KINDS);
export type AgentKind = z.infer<typeof AgentKind>;

export const AgentStatus = z.enum(['active', 'suspended', 'retired', 'unknown']);
export type AgentStatus = z.infer<typeof AgentStatus>;

/**
 * Lifecycle status of an identity as its source reports it. `declared` means a team named it in
 * agents.yaml but no discovery source has reported it yet.
 */
export const IdentityStatus = z.enum([
  'active',
  'inactive',
  'disabled',
  'expired',
  'revoked',
  'declared',
  'unknown',
]);
export type IdentityStatus = z.infer<typeof IdentityStatus>;

export const PersonStatus = z.enum(['active', 'departed', 'unknown']);
export type PersonStatus = z.infer<typeof PersonStatus>;

export const Environment = z.enum(['production', 'staging', 'development', 'test', 'unknown']);
export type Environment = z.infer<typeof Environment>;

/** Where a link between an agent and an identity came from. */
export const LinkSource = z.enum([
  'declared',
  'config',
  'tag',
  'workload',
  'cloudtrail',
  'naming',
  'inferred',
]);
export type LinkSource = z.infer<typeof LinkSource>;

export const AccessLevel = z.enum(['none', 'list', 'read', 'write', 'admin']);
export type AccessLevel = z.infer<typeof AccessLevel>;

export const Sensitivity = z.enum(['low', 'medium', 'high', 'critical']);
export type Sensitivity = z.infer<typeof Sensitivity>;

export const EDGE_KINDS = [
  'uses',
  'member-of',
  'can-assume',
  'has-permission',
  'reads-secret-of',
  'exposes',
  'can-invoke',
  'delegates-to',
  'escalates-to',
  'owns',
  'runs-as',
] as const;
export const EdgeKind = z.enum(EDGE_KINDS);
export type EdgeKind = z.infer<typeof EdgeKind>;

export const Severity = z.enum(['info', 'low', 'medium', 'high', 'critical']);
export type Severity = z.infer<typeof Severity>;
export const SEVERITY_RANK: Record<Severity, number> = { info: 0, low: 1, medium: 2, high: 3, critical: 4 };

/** OWASP Non-Human Identities Top 10 (2025). */
export const OWASP_NHI = {
  NHI1: 'Improper Offboarding',
  NHI2: 'Secret Leakage',
  NHI3: 'Vulnerable Third-Party NHI',
  NHI4: 'Insecure Authentication',
  NHI5: 'Overprivileged NHI',
  NHI6: 'Insecure Cloud Deployment Configurations',
  NHI7: 'Long-Lived Secrets',
  NHI8: 'Environment Isolation',
  NHI9: 'NHI Reuse',
  NHI10: 'Human Use of NHI',
} as const;
export const OwaspNhiId = z.enum([
  'NHI1',
  'NHI2',
  'NHI3',
  'NHI4',
  'NHI5',
  'NHI6',
  'NHI7',
  'NHI8',
  'NHI9',
  'NHI10',
]);
export type OwaspNhiId = z.infer<typeof OwaspNhiId>;

export const FailureMode = z.enum([
  'over-permissioned',
  'long-lived-secret',
  'zombie',
  'missing-kill-switch',
  'leaked-secret',
  'reuse',
  'human-use',
  'third-party',
  'visibility',
]);
export type FailureMode = z.infer<typeof FailureMode>;

/** Confidence in a derived fact: 1 = certain (declared or read directly), lower = inferred. */
export const Confidence = z.number().min(0).max(1);

/** ISO-8601 UTC timestamp string (always with a trailing Z). */
export const Timestamp = z.iso.datetime({ offset: false });
export type Timestamp = z.infer<typeof Timestamp>;
