import { EDGE_KINDS, type AccessLevel, type EdgeKind, type Sensitivity } from '../model/index.js';

/**
 * Small integer codes for the vocabularies stored in the graph's typed arrays. The order of each
 * list is its code; levels and sensitivities are ordered so that `max` on codes is `max` on meaning.
 */
export const NODE_KINDS = [
  'unknown',
  'agent',
  'identity',
  'person',
  'group',
  'role',
  'policy',
  'resource',
  'admin',
] as const;
export type NodeKind = (typeof NODE_KINDS)[number];

export const LEVELS: readonly AccessLevel[] = ['none', 'list', 'read', 'write', 'admin'];
/** Code 0 = sensitivity not known. */
export const SENSITIVITIES: readonly (Sensitivity | 'unknown')[] = [
  'unknown',
  'low',
  'medium',
  'high',
  'critical',
];

export const EDGE_KIND_CODES: readonly EdgeKind[] = EDGE_KINDS;

const nodeKindCode = new Map<string, number>(NODE_KINDS.map((k, i) => [k, i]));
const levelCode = new Map<string, number>(LEVELS.map((k, i) => [k, i]));
const sensitivityCode = new Map<string, number>(SENSITIVITIES.map((k, i) => [k, i]));
const edgeKindCode = new Map<string, number>(EDGE_KIND_CODES.map((k, i) => [k, i]));

export function nodeKindOf(kind: string | undefined): number {
  return (kind && nodeKindCode.get(kind)) || 0;
}
export function levelOf(level: string | undefined): number {
  return (level && levelCode.get(level)) || 0;
}
export function sensitivityOf(s: string | undefined): number {
  return (s && sensitivityCode.get(s)) || 0;
}
export function edgeKindOf(kind: EdgeKind): number {
  const c = edgeKindCode.get(kind);
  if (c === undefined) throw new Error(`unknown edge kind ${kind}`);
  return c;
}

export const EK = Object.fromEntries(EDGE_KIND_CODES.map((k, i) => [k, i])) as Record<EdgeKind, number>;
export const NK = Object.fromEntries(NODE_KINDS.map((k, i) => [k, i])) as Record<NodeKind, number>;
export const LV = { none: 0, list: 1, read: 2, write: 3, admin: 4 } as const;

/** Native id of an AWS service scope node: `aws:ACCOUNT:SERVICE:*` (see aws/access-levels.ts). */
export const SERVICE_SCOPE_RX = /^aws:(\d{12}):([a-z0-9-]+):\*$/;
/**
 * Bit of a node's flags (GraphArrays.nodeFlags): its native id is an AWS service scope's, so a
 * blast radius that reaches it expands it (aws/scope-expansion.ts) without decoding the native
 * id of every resource it reached to find out. Bit 0 is the administrator flag.
 */
export const FLAG_SERVICE_SCOPE = 2;
