import { recordId } from '../../model/index.js';
import { fw } from '../frameworks.js';
import { indexOf } from '../posture-index.js';
import type { RawFinding } from '../posture-types.js';
import { defineRule } from './define-rule.js';

/**
 * People (or groups, or the public) who can make an agent act and so gain access they do not hold
 * themselves: the agent is a confused deputy. An invoker's own reach is its blast radius as a
 * person; an invoker the graph knows nothing about is taken to hold none of the agent's access.
 */
export const confusedDeputy = defineRule(
  {
    id: 'confused-deputy',
    title: 'Invokers gain access through the agent (confused deputy)',
    severity: 'high',
    owaspNhi: ['NHI5'],
    failureMode: 'over-permissioned',
    references: [
      'https://genai.owasp.org/resource/owasp-top-10-for-agentic-applications-for-2026/',
      'https://en.wikipedia.org/wiki/Confused_deputy_problem',
    ],
    remediation:
      "Make the agent act with the invoker's own permissions (delegated, on-behalf-of tokens), or restrict who may invoke it to people who already hold that access.",
    frameworks: fw(['ASI03', 'ASI09'], ['PR.AA-05'], ['6.1', '6.8'], ['MAP 3.5']),
  },
  (input) => {
    const ix = indexOf(input);
    const out: RawFinding[] = [];
    for (const a of input.agents) {
      if (a.status === 'retired') continue;
      const br = input.blastRadius.get(a.id);
      const known = input.deputies?.get(a.id);
      if (known) {
        const gaining = known.filter((d) => d.kind !== 'agent' && d.gains > 0);
        if (gaining.length === 0) continue;
        const pub = gaining.some((g) => g.kind === 'public' || g.ref === 'public');
        const admin = gaining.some((g) => g.admin > 0);
        out.push({
          subjectType: 'agent',
          subjectId: a.id,
          subject: a.name,
          agentIds: [a.id],
          severity: pub || admin ? 'critical' : 'high',
          message: `${gaining.length} invoker${gaining.length === 1 ? '' : 's'} of ${a.name} (${gaining
            .slice(0, 4)
            .map((g) => g.ref)
            .join(
              ', ',
            )}${gaining.length > 4 ? ', …' : ''}) gain access they do not hold themselves${admin ? ', including administrator access' : ''}.`,
          evidence: { invokers: gaining.slice(0, 50), source: 'access graph' },
          ...(pub ? { exposure: { public: true } } : {}),
        });
        continue;
      }
      if (!br || (br.write === 0 && br.admin === 0 && br.sensitive === 0)) continue;
      const gaining: { kind: string; ref: string; gains: number }[] = [];
      const invokers = [...a.invokers];
      // The graph may also know invokers as can-invoke edges (e.g. from Entra app role assignments).
      for (const e of ix.edgesTo.get(a.id) ?? []) {
        if (e.kind !== 'can-invoke') continue;
        const o = input.owners.find((x) => x.id === e.fromId);
        if (o && !invokers.some((v) => v.ref.toLowerCase() === o.ref.toLowerCase()))
          invokers.push({ kind: 'person', ref: o.ref });
      }
      for (const v of invokers) {
        if (v.kind === 'agent') continue;
        const own = v.kind === 'public' ? undefined : input.blastRadius.get(recordId.owner(v.ref));
        const gains = Math.max(0, br.write + br.admin - ((own?.write ?? 0) + (own?.admin ?? 0)));
        if (gains > 0 || (v.kind === 'public' && br.resources > 0))
          gaining.push({ kind: v.kind, ref: v.ref, gains });
      }
      if (gaining.length === 0) continue;
      const pub = gaining.some((g) => g.kind === 'public');
      out.push({
        subjectType: 'agent',
        subjectId: a.id,
        subject: a.name,
        agentIds: [a.id],
        severity: pub || br.admin > 0 ? 'critical' : 'high',
        message: `${gaining.length} invoker${gaining.length === 1 ? '' : 's'} of ${a.name} (${gaining
          .slice(0, 4)
          .map((g) => g.ref)
          .join(
            ', ',
          )}${gaining.length > 4 ? ', …' : ''}) gain write or admin access they do not hold themselves.`,
        evidence: { invokers: gaining.slice(0, 50), agentWrite: br.write, agentAdmin: br.admin },
        ...(pub ? { exposure: { public: true } } : {}),
      });
    }
    return out;
  },
);
