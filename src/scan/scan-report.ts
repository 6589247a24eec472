import { createHash } from 'node:crypto';
import type { LinkedLeak } from './link-leaks.js';
import type { Leak } from './leak-types.js';
import { BUILTIN_RULES, type RuleSpec } from './rules/index.js';

/** One finding of `warden scan --format json`; the secret itself never appears. */
export interface JsonFinding {
  file: string;
  line: number;
  column: number;
  rule: string;
  type: string;
  fingerprint: string;
  masked: string;
  commit?: string;
  author?: string;
  date?: string;
  presentAtHead?: boolean;
  identity?: {
    id: string;
    provider: string;
    nativeId: string;
    kind: string;
    match: string;
    confidence: number;
    agents: string[];
  };
}

export function toJsonFinding(l: LinkedLeak | Leak): JsonFinding {
  const leak = 'leak' in l ? l.leak : l;
  const identity = 'leak' in l ? l.identity : undefined;
  return {
    file: leak.file,
    line: leak.line,
    column: leak.column,
    rule: leak.ruleId,
    type: leak.type,
    fingerprint: leak.fingerprint,
    masked: leak.masked,
    ...(leak.commit
      ? {
          commit: leak.commit,
          author: leak.author ?? '',
          date: leak.date ?? '',
          presentAtHead: leak.presentAtHead ?? false,
        }
      : {}),
    ...(identity
      ? {
          identity: {
            id: identity.id,
            provider: identity.provider,
            nativeId: identity.nativeId,
            kind: identity.kind,
            match: identity.match,
            confidence: identity.confidence,
            agents: identity.agents.map((a) => a.name),
          },
        }
      : {}),
  };
}

export function renderJson(leaks: readonly (LinkedLeak | Leak)[]): string {
  return JSON.stringify({ findings: leaks.map(toJsonFinding) }, null, 2) + '\n';
}

const LEVEL = { critical: 'error', high: 'error', medium: 'warning', low: 'note', info: 'note' } as const;

/**
 * SARIF 2.1.0 (https://docs.oasis-open.org/sarif/sarif/v2.1.0/sarif-v2.1.0.html). The partial
 * fingerprint hashes rule, file and the salted secret fingerprint, so it survives line moves and
 * re-runs and lets code-scanning platforms track one leak over time.
 */
export function renderSarif(
  leaks: readonly (LinkedLeak | Leak)[],
  version: string,
  extraRules: readonly RuleSpec[] = [],
): string {
  const all = new Map<string, RuleSpec>();
  for (const r of [...BUILTIN_RULES, ...extraRules]) all.set(r.id, r);
  const used = [...new Set(leaks.map((l) => ('leak' in l ? l.leak : l).ruleId))].sort();
  const rules = used.map((id) => {
    const r = all.get(id);
    return {
      id,
      name: id,
      shortDescription: { text: r?.title ?? id },
      ...(r?.docs?.startsWith('http') ? { helpUri: r.docs } : {}),
      properties: {
        tags: ['security', 'secret'],
        ...(r ? { severity: r.severity, provider: r.provider } : {}),
      },
    };
  });
  const results = leaks.map((x) => {
    const l = 'leak' in x ? x.leak : x;
    const identity = 'leak' in x ? x.identity : undefined;
    const severity = (all.get(l.ruleId)?.severity ?? l.severity) as keyof typeof LEVEL;
    return {
      ruleId: l.ruleId,
      ruleIndex: used.indexOf(l.ruleId),
      level: LEVEL[severity] ?? 'warning',
      message: {
        text: `${l.type} (${l.masked})${identity ? ` belongs to ${identity.provider} ${identity.nativeId}${identity.agents.length ? `, used by ${identity.agents.map((a) => a.name).join(', ')}` : ''}` : ''}`,
      },
      locations: [
        {
          physicalLocation: {
            artifactLocation: { uri: encodeURI(l.file) },
            region: { startLine: l.line, startColumn: l.column },
          },
        },
      ],
      partialFingerprints: {
        'wardenSecret/v1': createHash('sha256')
          .update(`${l.ruleId}\u0000${l.file}\u0000${l.fingerprint}`)
          .digest('hex'),
      },
      properties: {
        fingerprint: l.fingerprint,
        ...(l.commit
          ? { commit: l.commit, author: l.author, date: l.date, presentAtHead: l.presentAtHead }
          : {}),
        ...(identity
          ? {
              identity: {
                provider: identity.provider,
                nativeId: identity.nativeId,
                agents: identity.agents.map((a) => a.name),
              },
            }
          : {}),
      },
    };
  });
  const doc = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'warden', informationUri: 'https://github.com/warden', version, rules } },
        results,
      },
    ],
  };
  return JSON.stringify(doc, null, 2) + '\n';
}
