import type { AccessLevel, EdgeKind } from '../../model/index.js';
import type { NodeSpec } from '../graph-builder.js';

/** An edge a provider analysis adds to the graph; `from`/`to` are node keys (store record ids or admin keys). */
export interface DerivedEdge {
  from: string;
  to: string;
  kind: EdgeKind;
  technique?: string;
  level?: AccessLevel;
  confidence?: number;
  note: string;
}

export interface Derived {
  nodes: NodeSpec[];
  edges: DerivedEdge[];
  /** Facts the analysis could not settle, said plainly. */
  notes: string[];
}

export function emptyDerived(): Derived {
  return { nodes: [], edges: [], notes: [] };
}
