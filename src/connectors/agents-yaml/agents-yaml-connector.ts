import path from 'node:path';
import { isMap, isSeq, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import { WardenError } from '../../errors/index.js';
import { toUtc, type Invoker } from '../../model/index.js';
import type { ImportItem } from '../../store/index.js';
import type { SourceFile } from '../core/source-file.js';
import type { Connector } from '../core/types.js';
import { DeclaredAgent } from './agents-yaml-schema.js';

const NAMES = new Set(['agents.yaml', 'agents.yml', 'warden-agents.yaml', 'warden-agents.yml']);

function parse(file: SourceFile, text: string): { doc: Document; lines: LineCounter } {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const err = doc.errors[0];
  if (err) {
    const pos = lines.linePos(err.pos[0]);
    throw new WardenError(
      'WARDEN_INPUT_INVALID',
      `${file.display}:${pos.line}:${pos.col}: ${err.message.split('\n')[0]}`,
      {
        details: { file: file.display, line: pos.line },
      },
    );
  }
  return { doc, lines };
}

function lineOf(node: unknown, lines: LineCounter): number | undefined {
  const r = (node as Node | undefined)?.range;
  return r ? lines.linePos(r[0]).line : undefined;
}

function agentsSeq(doc: Document): Node | undefined {
  const root = doc.contents;
  if (!isMap(root)) return undefined;
  return root.get('agents', true) as Node | undefined;
}

/** Reads the agents and their config files, for `prepare`; tolerant: the import reports errors. */
function declaredConfigs(file: SourceFile, text: string, owners: Map<string, string>): void {
  const { doc } = parse(file, text);
  const seq = agentsSeq(doc);
  if (!isSeq(seq)) return;
  for (const item of seq.items) {
    const a = (item as Node).toJSON() as { name?: unknown; configs?: unknown };
    if (typeof a?.name !== 'string' || !Array.isArray(a.configs)) continue;
    for (const c of a.configs)
      if (typeof c === 'string') owners.set(path.resolve(path.dirname(file.path), c), a.name);
  }
}

function invoker(v: Record<string, unknown>): Invoker {
  if ('person' in v) return { kind: 'person', ref: String(v.person) };
  if ('group' in v) return { kind: 'group', ref: String(v.group) };
  if ('agent' in v) return { kind: 'agent', ref: String(v.agent) };
  return { kind: 'public', ref: '*' };
}

async function* read(file: SourceFile): AsyncGenerator<ImportItem> {
  const { doc, lines } = parse(file, await file.text());
  const root = doc.contents;
  if (!isMap(root)) {
    throw new WardenError(
      'WARDEN_INPUT_INVALID',
      `${file.display}:1: expected a mapping with an \`agents:\` list`,
    );
  }
  for (const pair of root.items) {
    const key = String((pair.key as { value?: unknown })?.value ?? '');
    if (key !== 'agents' && key !== 'version') {
      yield {
        type: 'note',
        value: {
          pointer: `line ${lineOf(pair.key, lines) ?? 1}`,
          reason: `unknown top-level key '${key}' ignored`,
        },
      };
    }
  }
  const seq = agentsSeq(doc);
  if (!isSeq(seq)) {
    throw new WardenError(
      'WARDEN_INPUT_INVALID',
      `${file.display}:${lineOf(seq, lines) ?? 1}: \`agents\` must be a list of agents`,
    );
  }
  const seen = new Map<string, number>();
  for (const [index, node] of seq.items.entries()) {
    const line = lineOf(node, lines) ?? 1;
    const pointer = `line ${line} (/agents/${index})`;
    const parsed = DeclaredAgent.safeParse((node as Node).toJSON());
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      const at = lineOf(nodeAt(node as Node, issue.path), lines) ?? line;
      const field = issue.path.join('.') || 'agent';
      yield {
        type: 'skip',
        value: {
          pointer: `line ${at} (/agents/${index}/${issue.path.join('/')})`,
          reason: `${field}: ${issue.message}`,
        },
      };
      continue;
    }
    const a = parsed.data;
    const key = a.name.toLowerCase();
    const first = seen.get(key);
    if (first !== undefined) {
      yield {
        type: 'skip',
        value: { pointer, reason: `duplicate agent name '${a.name}' (first declared at line ${first})` },
      };
      continue;
    }
    seen.set(key, line);
    const expectedEnd = a.expectedEnd === undefined ? undefined : toUtc(a.expectedEnd);
    yield {
      type: 'agent',
      value: {
        name: a.name,
        kind: a.kind,
        declared: true,
        environment: a.environment,
        status: a.status,
        invokers: a.invokers.map((i) => invoker(i as Record<string, unknown>)),
        ...(a.owner !== undefined ? { ownerRef: a.owner } : {}),
        ...(a.purpose !== undefined ? { purpose: a.purpose } : {}),
        ...(expectedEnd !== undefined ? { expectedEnd } : {}),
        ...(a.decommissionTrigger !== undefined ? { decommissionTrigger: a.decommissionTrigger } : {}),
        ...(a.approvalRequired !== undefined ? { approvalRequired: a.approvalRequired } : {}),
        attributes: {
          declaredIn: `${file.display}:${line}`,
          ...(a.tags ? { tags: a.tags } : {}),
          configs: a.configs,
        },
      },
    };
    if (a.owner) yield { type: 'owner', value: { ref: a.owner } };
    for (const d of a.identities) {
      const nativeId = (d.id ?? d.nativeId)!;
      const provider = d.provider.toLowerCase();
      yield {
        type: 'identity',
        value: { provider, nativeId, ...(d.kind ? { kind: d.kind } : {}), status: 'declared' },
      };
      yield {
        type: 'link',
        value: {
          agent: a.name,
          identity: { provider, nativeId },
          source: 'declared',
          evidence: `${file.display}:${line}`,
          confidence: 1,
        },
      };
    }
  }
}

function nodeAt(node: Node, p: readonly PropertyKey[]): Node | undefined {
  let cur: unknown = node;
  let last: Node | undefined = node;
  for (const k of p) {
    if (isMap(cur)) cur = cur.get(String(k), true);
    else if (isSeq(cur) && typeof k === 'number') cur = cur.items[k];
    else break;
    if (cur && (cur as Node).range) last = cur as Node;
  }
  return last;
}

/** agents.yaml: the agents a team declares, their owners, invokers and the identities they use. */
export const agentsYamlConnector: Connector = {
  id: 'agents-yaml',
  title: 'Declared agents (agents.yaml)',
  order: 0,
  detect(file) {
    if (NAMES.has(file.name.toLowerCase())) return 1;
    if (
      /\.ya?ml$/i.test(file.name) &&
      /^agents:\s*$/m.test(file.head()) &&
      /^\s*-\s*name:/m.test(file.head())
    )
      return 0.7;
    return 0;
  },
  read,
  async prepare(file, owners) {
    declaredConfigs(file, await file.text(), owners);
  },
};
