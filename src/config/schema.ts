import { z } from 'zod';
import { Severity } from '../model/index.js';

/** A user's own scanner rule (see the scan module for how patterns are vetted when loaded). */
export const UserScanRule = z
  .object({
    id: z.string().min(1),
    description: z.string().optional(),
    regex: z.string().min(1),
    keywords: z.array(z.string()).default([]),
    secretGroup: z.number().int().min(0).default(0),
    entropy: z.number().min(0).max(8).optional(),
    severity: Severity.default('high'),
  })
  .strict();

export const RiskAcceptance = z
  .object({
    /** A finding id, or a pattern `ruleId:subject` where `*` matches anything. */
    finding: z.string().min(1),
    reason: z.string().min(1),
    by: z.string().min(1),
    until: z.iso.date().or(z.iso.datetime()),
  })
  .strict();

export const ConfigSchema = z
  .object({
    /** SQLite file path, or a postgres:// URL. */
    database: z.string().min(1).default('.warden/warden.db'),
    /** Fingerprint salt; when absent one is generated and kept in the store. */
    fingerprintSalt: z.string().min(16).optional(),
    failOn: Severity.optional(),
    posture: z
      .object({
        unusedDays: z.array(z.number().int().positive()).min(1).default([30, 90]),
        rotationDays: z.number().int().positive().default(90),
        adminRotationDays: z.number().int().positive().default(30),
        maxExpiryDays: z.number().int().positive().default(365),
        usageWindowDays: z.number().int().positive().default(90),
      })
      .strict()
      .prefault({}),
    links: z
      .object({
        /** Tag or label keys whose value names the agent that uses the tagged identity. */
        tagKeys: z.array(z.string().min(1)).default(['agent', 'warden.io/agent']),
        /** Naming patterns: a regular expression over the identity's native id or name, and the agent. */
        patterns: z
          .array(z.object({ match: z.string().min(1), agent: z.string().min(1) }).strict())
          .default([]),
        /** Explicit mappings from identity native id to agent name. */
        mappings: z.record(z.string(), z.string()).default({}),
      })
      .strict()
      .prefault({}),
    accept: z.array(RiskAcceptance).default([]),
    scan: z
      .object({
        rules: z.array(UserScanRule).default([]),
        exclude: z.array(z.string()).default([]),
        allowValues: z.array(z.string()).default([]),
        allowPaths: z.array(z.string()).default([]),
      })
      .strict()
      .prefault({}),
  })
  .strict();

export type Config = z.infer<typeof ConfigSchema>;
export type ConfigInput = z.input<typeof ConfigSchema>;
