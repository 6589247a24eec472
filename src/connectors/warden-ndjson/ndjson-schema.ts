import { z } from 'zod';
import {
  AccessLevel,
  AgentKind,
  AgentStatus,
  EdgeKind,
  Environment,
  IdentityKind,
  IdentityStatus,
  LinkSource,
  PersonStatus,
  Sensitivity,
} from '../../model/index.js';

/**
 * Warden's own interchange format: one JSON record a line, `{"record": "<type>", ...fields}`, the
 * fields being those of the import types (src/store/import-types.ts). Made for bulk loads and for
 * systems Warden has no connector for: anything that can print JSON lines can feed the inventory.
 */
const ts = z.string().min(1);
const ref = z.object({ provider: z.string().min(1), nativeId: z.string().min(1) }).strict();
const attrs = z.record(z.string(), z.unknown()).optional();
const node = z.union([
  z.object({ type: z.literal('agent'), name: z.string().min(1) }).strict(),
  z
    .object({ type: z.literal('identity'), provider: z.string().min(1), nativeId: z.string().min(1) })
    .strict(),
  z.object({ type: z.literal('owner'), ref: z.string().min(1) }).strict(),
  z
    .object({ type: z.literal('resource'), provider: z.string().min(1), nativeId: z.string().min(1) })
    .strict(),
]);

export const NdjsonRecord = z.discriminatedUnion('record', [
  z
    .object({
      record: z.literal('identity'),
      provider: z.string().min(1),
      nativeId: z.string().min(1),
      kind: IdentityKind.optional(),
      name: z.string().optional(),
      account: z.string().optional(),
      ownerRef: z.string().optional(),
      createdAt: ts.optional(),
      lastRotatedAt: ts.optional(),
      expiresAt: ts.optional(),
      lastUsedAt: ts.optional(),
      status: IdentityStatus.optional(),
      thirdParty: z.boolean().optional(),
      environment: Environment.optional(),
      attributes: attrs,
    })
    .strict(),
  z
    .object({
      record: z.literal('agent'),
      name: z.string().min(1),
      kind: AgentKind.optional(),
      ownerRef: z.string().optional(),
      purpose: z.string().optional(),
      environment: Environment.optional(),
      status: AgentStatus.optional(),
      attributes: attrs,
    })
    .strict(),
  z
    .object({
      record: z.literal('owner'),
      ref: z.string().min(1),
      name: z.string().optional(),
      email: z.string().optional(),
      status: PersonStatus.optional(),
      departedAt: ts.optional(),
    })
    .strict(),
  z
    .object({
      record: z.literal('link'),
      agent: z.string().min(1),
      identity: ref,
      source: LinkSource,
      evidence: z.string(),
      confidence: z.number().min(0).max(1),
    })
    .strict(),
  z
    .object({
      record: z.literal('grant'),
      identity: ref,
      key: z.string().min(1),
      effect: z.enum(['allow', 'deny']),
      actions: z.array(z.string()),
      resources: z.array(z.string()),
      level: AccessLevel,
      sensitivity: Sensitivity.optional(),
      via: z.string().optional(),
    })
    .strict(),
  z
    .object({
      record: z.literal('resource'),
      provider: z.string().min(1),
      nativeId: z.string().min(1),
      type: z.string().min(1),
      name: z.string().optional(),
      sensitivity: Sensitivity.optional(),
      attributes: attrs,
    })
    .strict(),
  z
    .object({
      record: z.literal('edge'),
      kind: EdgeKind,
      from: node,
      to: node,
      technique: z.string().optional(),
      level: AccessLevel.optional(),
    })
    .strict(),
]);
export type NdjsonRecord = z.infer<typeof NdjsonRecord>;
