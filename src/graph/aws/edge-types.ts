/**
 * The output of the edge builder (`edge-builder.ts`): plain "can become" edges in parallel
 * arrays, class edges (one source, every principal of a kind in an account) and "can empower"
 * edges whose outcome depends on the target's own state (`empower-outcome.ts`).
 */
import type { CompiledPolicy } from './policy-compiler.js';
import type { TrustInfo } from './trust.js';

export interface TargetSet {
  readonly list: readonly number[];
  readonly set: ReadonlySet<number>;
}

export interface ClassEdge {
  readonly tech: number;
  readonly members: TargetSet;
  /** Per-member condition flag (index by position in members.list); null = none conditional. */
  readonly memberCond: ReadonlyMap<number, string> | null;
  readonly sources: number[];
  readonly sourceCond: boolean[];
  readonly reason: string;
}

export interface EmpowerEdge {
  readonly from: number;
  readonly tech: number;
  readonly targets: TargetSet;
  readonly cond: boolean;
  readonly reason: string;
  /** How the target's own state (boundary, denies, missing policies) decides the outcome. */
  readonly mode: 'grant-admin' | 'lift-boundary' | 'set-version' | 'new-principal';
  readonly policyArn?: string;
  readonly versionAdmin?: readonly CompiledPolicy[];
  /** A second step the target then takes itself (joining a group that lets members PutUserPolicy). */
  readonly then?: string;
}

export interface EdgeSet {
  readonly from: number[];
  readonly to: number[];
  readonly tech: number[];
  readonly cond: boolean[];
  readonly reason: string[];
  readonly classes: ClassEdge[];
  readonly empower: EmpowerEdge[];
  readonly adminState: Uint8Array;
  readonly trust: (TrustInfo | null)[];
}

export const targetSet = (list: number[]): TargetSet => ({ list, set: new Set(list) });
