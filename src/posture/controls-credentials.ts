/** Controls on the secrets themselves: expiry, rotation, static secrets, leaks. */
import { subjects, type ControlDef } from './control-measure.js';
import { fw } from './frameworks.js';
import { isLive, isSecret } from './posture-index.js';

/** C03: every secret that can expire does (session tokens, webhooks and passwords are out of scope). */
export const expiryControl: ControlDef = {
  id: 'C03-expiry',
  title: 'Every credential expires',
  owaspNhi: ['NHI7'],
  frameworks: fw(['ASI03'], ['PR.AA-01'], ['6.2'], ['MANAGE 2.4']),
  next: [
    'Set expiries on the credentials that have none',
    'Keep every expiry within policy',
    'Issue short-lived credentials per task (JIT)',
  ],
  measure(input, f) {
    const secrets = input.identities.filter(
      (i) =>
        isLive(i) &&
        isSecret(i) &&
        i.kind !== 'session-token' &&
        i.kind !== 'webhook' &&
        i.kind !== 'password',
    );
    const bad = subjects(f, 'no-expiry');
    return {
      total: secrets.length,
      ok: secrets.filter((i) => !bad.has(i.id)).length,
      evidence: [`${bad.size} of ${secrets.length} secrets never expire or exceed policy`],
    };
  },
};

/** C04: every secret rotated within the policy of its privilege. */
export const rotationControl: ControlDef = {
  id: 'C04-rotation',
  title: 'Rotation within policy',
  owaspNhi: ['NHI7'],
  frameworks: fw(['ASI03'], ['PR.AA-01'], ['5.2'], ['MANAGE 2.4']),
  next: ['Rotate the overdue secrets', 'Rotate on a schedule', 'Automate rotation through a vault or broker'],
  measure(input, f) {
    const secrets = input.identities.filter((i) => isLive(i) && isSecret(i));
    const bad = subjects(f, 'not-rotated');
    return {
      total: secrets.length,
      ok: secrets.filter((i) => !bad.has(i.id)).length,
      evidence: [
        `${bad.size} secrets overdue for rotation (policy ${input.thresholds.rotationDays} days, ${input.thresholds.adminRotationDays} for admin)`,
      ],
    };
  },
};

/** C06: no static keys where federation exists, no secrets in clear in production configs. */
export const noStaticSecretsControl: ControlDef = {
  id: 'C06-no-static-secrets',
  title: 'No static secrets where federation is available',
  owaspNhi: ['NHI7', 'NHI2'],
  frameworks: fw(['ASI03'], ['PR.AA-03', 'PR.DS-01'], ['5.2', '6.7'], ['MANAGE 2.4']),
  next: [
    'Move static secrets out of plain configs',
    'Replace CI and workload keys with OIDC or workload identity',
    'Issue every agent credential from a broker',
  ],
  measure(input, f) {
    const secrets = input.identities.filter((i) => isLive(i) && isSecret(i));
    const bad = subjects(f, 'static-long-lived-key', 'plaintext-secret-in-config');
    return {
      total: secrets.length,
      ok: secrets.filter((i) => !bad.has(i.id)).length,
      evidence: [
        `${subjects(f, 'static-long-lived-key').size} static keys where federation exists`,
        `${subjects(f, 'plaintext-secret-in-config').size} secrets in clear in production configs`,
      ],
    };
  },
};

/** C07: no leaked secrets; unknown when the scanner did not run. */
export const noLeaksControl: ControlDef = {
  id: 'C07-no-leaks',
  title: 'No leaked secrets',
  owaspNhi: ['NHI2'],
  frameworks: fw(['ASI03'], ['PR.DS-01', 'ID.RA-01'], ['5.2'], ['MEASURE 2.7']),
  next: [
    'Scan code and history for secrets',
    'Revoke every leaked secret',
    'Block leaks before commit (pre-commit hook, push protection)',
  ],
  measure(input, f, ctx) {
    const n = (f.get('leaked-secret') ?? []).length;
    if (!ctx.scanned)
      return { total: 0, ok: 0, evidence: ['the secret scanner did not run over the audited folder'] };
    return {
      total: Math.max(1, input.leaks.length),
      ok: n === 0 ? 1 : 0,
      evidence: [
        `${input.leaks.length} leaked secrets found, ${input.leaks.filter((l) => l.identityId).length} tied to an inventoried identity`,
      ],
    };
  },
};
