import type { AccessLevel, Severity } from '../model/index.js';
import { esc } from './html-escape.js';
import type { GraphEdge, GraphNode } from './report-types.js';

const COLUMN: Record<GraphNode['type'], number> = {
  invoker: 0,
  agent: 1,
  identity: 2,
  pivot: 3,
  resource: 4,
  system: 4,
};
const NODE_W = 180;
const NODE_H = 26;
const GAP_X = 70;
const GAP_Y = 12;
const PAD = 16;

const FILL: Record<GraphNode['type'], string> = {
  invoker: '#eef2ff',
  agent: '#1e3a8a',
  identity: '#ecfeff',
  pivot: '#fef9c3',
  resource: '#f1f5f9',
  system: '#f1f5f9',
};
const SEVERITY_STROKE: Record<Severity, string> = {
  critical: '#b91c1c',
  high: '#ea580c',
  medium: '#ca8a04',
  low: '#64748b',
  info: '#94a3b8',
};
const LEVEL_STROKE: Partial<Record<AccessLevel, string>> = {
  admin: '#b91c1c',
  write: '#ea580c',
  read: '#64748b',
  list: '#94a3b8',
};

export interface Placed extends GraphNode {
  x: number;
  y: number;
}

/**
 * Layered layout, computed here so the report needs no library: one column per node role
 * (invokers, agent, identities, pivots, systems), empty columns removed, and each column ordered
 * by the mean position of its predecessors (one barycentre sweep) to limit crossings.
 */
export function layoutGraph(
  nodes: readonly GraphNode[],
  edges: readonly GraphEdge[],
): { placed: Placed[]; width: number; height: number } {
  const used = [...new Set(nodes.map((n) => COLUMN[n.type]))].sort((a, b) => a - b);
  const colIndex = new Map(used.map((c, i) => [c, i]));
  const columns: GraphNode[][] = used.map(() => []);
  for (const n of nodes) columns[colIndex.get(COLUMN[n.type])!]!.push(n);
  const pos = new Map<string, number>();
  const preds = new Map<string, string[]>();
  for (const e of edges) (preds.get(e.to) ?? preds.set(e.to, []).get(e.to)!).push(e.from);
  columns.forEach((col, ci) => {
    if (ci > 0) {
      const bary = (n: GraphNode) => {
        const ps = (preds.get(n.id) ?? []).map((p) => pos.get(p)).filter((v): v is number => v !== undefined);
        return ps.length ? ps.reduce((a, b) => a + b, 0) / ps.length : Number.MAX_SAFE_INTEGER;
      };
      const keyed = col.map((n, i) => ({ n, k: bary(n), i }));
      keyed.sort((a, b) => a.k - b.k || a.i - b.i);
      col.splice(0, col.length, ...keyed.map((x) => x.n));
    }
    col.forEach((n, i) => pos.set(n.id, i));
  });
  const rows = Math.max(1, ...columns.map((c) => c.length));
  const height = PAD * 2 + rows * NODE_H + (rows - 1) * GAP_Y;
  const placed: Placed[] = [];
  columns.forEach((col, ci) => {
    // Centre shorter columns vertically.
    const colHeight = col.length * NODE_H + Math.max(0, col.length - 1) * GAP_Y;
    const top = PAD + (height - PAD * 2 - colHeight) / 2;
    col.forEach((n, i) =>
      placed.push({ ...n, x: PAD + ci * (NODE_W + GAP_X), y: top + i * (NODE_H + GAP_Y) }),
    );
  });
  const width = PAD * 2 + used.length * NODE_W + (used.length - 1) * GAP_X;
  return { placed, width, height };
}

function short(s: string, n = 24): string {
  return s.length > n ? s.slice(0, n - 1) + '…' : s;
}

/** The agent's access graph as inline SVG (text is escaped; colours say level and severity). */
export function renderSvgGraph(
  nodes: readonly GraphNode[],
  edges: readonly GraphEdge[],
  title: string,
): string {
  const { placed, width, height } = layoutGraph(nodes, edges);
  const at = new Map(placed.map((p) => [p.id, p]));
  let svg = `<svg xmlns="http://www.w3.org/2000/svg" class="graph" role="img" aria-label="${esc(title)}" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}">`;
  svg += `<title>${esc(title)}</title><defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="6" markerHeight="6" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#64748b"/></marker></defs>`;
  for (const e of edges) {
    const a = at.get(e.from);
    const b = at.get(e.to);
    if (!a || !b) continue;
    const x1 = a.x + NODE_W;
    const y1 = a.y + NODE_H / 2;
    const x2 = b.x;
    const y2 = b.y + NODE_H / 2;
    const back = x2 <= x1;
    const d = back
      ? `M${a.x + NODE_W / 2},${a.y + NODE_H} C${a.x + NODE_W / 2},${y2 + 40} ${b.x + NODE_W / 2},${y2 + 40} ${b.x + NODE_W / 2},${b.y + NODE_H}`
      : `M${x1},${y1} C${x1 + GAP_X / 2},${y1} ${x2 - GAP_X / 2},${y2} ${x2 - 2},${y2}`;
    const stroke = (e.level && LEVEL_STROKE[e.level]) ?? '#94a3b8';
    const label = `${e.kind}${e.level ? ` (${e.level})` : ''}${e.label ? `: ${e.label}` : ''}`;
    svg += `<path class="edge edge-${esc(e.kind)}" d="${d}" fill="none" stroke="${stroke}" stroke-width="${e.level === 'admin' ? 2.2 : 1.3}"${e.kind === 'escalates-to' ? ' stroke-dasharray="5 3"' : ''} marker-end="url(#arrow)"><title>${esc(label)}</title></path>`;
  }
  for (const n of placed) {
    const stroke = n.severity ? SEVERITY_STROKE[n.severity] : '#94a3b8';
    const text = n.type === 'agent' ? '#ffffff' : '#0f172a';
    svg += `<g class="node node-${n.type}" data-id="${esc(n.id)}"><title>${esc(`${n.label}${n.detail ? `\n${n.detail}` : ''}${n.severity ? `\nworst open finding: ${n.severity}` : ''}`)}</title>`;
    svg += `<rect x="${n.x}" y="${n.y}" width="${NODE_W}" height="${NODE_H}" rx="6" fill="${FILL[n.type]}" stroke="${stroke}" stroke-width="${n.severity ? 2.2 : 1}"/>`;
    svg += `<text x="${n.x + 8}" y="${n.y + NODE_H / 2 + 4}" font-size="12" fill="${text}">${esc(short(n.label))}</text></g>`;
  }
  return svg + '</svg>';
}
