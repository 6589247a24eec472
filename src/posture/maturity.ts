import type { ReportControl, ReportMaturity } from '../report/index.js';
import { CONTROL_IDS } from './controls.js';

const LEVELS = [
  { name: 'Unaware', description: 'No reliable inventory of the agents and the identities they hold.' },
  {
    name: 'Reactive',
    description: 'Agents and identities are inventoried; problems are fixed as they are found.',
  },
  {
    name: 'Managed',
    description: 'Owners, expiry, rotation and zombie clean-up are in place; leaks are handled.',
  },
  {
    name: 'Optimised',
    description:
      'Least privilege from usage, brokered short-lived credentials, tested kill switches, approvals and monitoring.',
  },
];

/** Controls each organisation level requires, and the control level they must reach. */
const REQUIRED: { level: number; controls: string[]; min: number }[] = [
  { level: 1, controls: ['C01-inventory'], min: 1 },
  {
    level: 2,
    controls: ['C01-inventory', 'C02-owner', 'C03-expiry', 'C04-rotation', 'C07-no-leaks', 'C08-no-zombies'],
    min: 2,
  },
  { level: 3, controls: [...CONTROL_IDS], min: 2 },
];

/** The organisation's place on the seeds' maturity scale (0 unaware .. 3 optimised), with what the next level lacks. */
export function maturityOf(controls: readonly ReportControl[]): ReportMaturity {
  const byId = new Map(controls.map((c) => [c.id, c]));
  let level = 0;
  for (const r of REQUIRED) {
    if (r.controls.every((id) => (byId.get(id)?.level ?? 0) >= r.min)) level = r.level;
    else break;
  }
  const next = REQUIRED.find((r) => r.level === level + 1);
  const missingForNext = next
    ? next.controls
        .map((id) => byId.get(id)!)
        .filter((c) => c.level < next.min)
        .map((c) => `${c.title}: ${c.missingForNext} (now level ${c.level}, needs ${next.min})`)
    : [];
  return { level, name: LEVELS[level]!.name, description: LEVELS[level]!.description, missingForNext };
}
