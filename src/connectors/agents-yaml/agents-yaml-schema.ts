import { z } from 'zod';
import { AgentKind, AgentStatus, Environment, IdentityKind } from '../../model/index.js';

/**
 * agents.yaml: where a team declares its agents. Documented in docs/agents-yaml.md.
 * Dates are YYYY-MM-DD or ISO-8601; `owner` is an email or login matched to the people list.
 */
export const DeclaredIdentity = z
  .object({
    provider: z.string().min(1),
    /** The provider's native id: an ARN, client id, key id, system:serviceaccount:NS:NAME ... */
    id: z.string().min(1).optional(),
    nativeId: z.string().min(1).optional(),
    kind: IdentityKind.optional(),
    note: z.string().optional(),
  })
  .strict()
  .refine((v) => v.id !== undefined || v.nativeId !== undefined, { message: 'needs `id` (the native id)' });

export const DeclaredInvoker = z.union([
  z.object({ person: z.string().min(1) }).strict(),
  z.object({ group: z.string().min(1) }).strict(),
  z.object({ agent: z.string().min(1) }).strict(),
  z.object({ public: z.literal(true) }).strict(),
]);

const DateLike = z.union([z.iso.date(), z.iso.datetime({ offset: true }), z.date()]);

export const DeclaredAgent = z
  .object({
    name: z
      .string()
      .min(1)
      .regex(/^[\w.@:/-]+( [\w.@:/-]+)*$/, 'letters, digits and . _ - @ : / only'),
    kind: AgentKind,
    owner: z.string().min(1).optional(),
    purpose: z.string().optional(),
    environment: Environment.default('unknown'),
    status: AgentStatus.default('active'),
    expectedEnd: DateLike.optional(),
    decommissionTrigger: z.string().optional(),
    approvalRequired: z.boolean().optional(),
    invokers: z.array(DeclaredInvoker).default([]),
    /** MCP or framework config files of this agent, relative to agents.yaml. */
    configs: z.array(z.string().min(1)).default([]),
    identities: z.array(DeclaredIdentity).default([]),
    tags: z.record(z.string(), z.string()).optional(),
  })
  .strict();
export type DeclaredAgent = z.infer<typeof DeclaredAgent>;
