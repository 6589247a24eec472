import type { Config } from '../config/index.js';
import type { ImportReport } from '../connectors/index.js';
import type { LeakFact } from '../posture/index.js';
import type { ReportSkip } from '../report/index.js';
import { compileRuleset, findGitleaksConfig, linkLeaks, rulesetInputFrom, runScan } from '../scan/index.js';
import type { Store } from '../store/index.js';

/** Rule types that match an identifier, not a secret value. */
const ID_ONLY = /\b(key id|client id|id|identifier)\b(?!.*secret)/i;

/**
 * Runs the secret scanner over the audited paths with the store's fingerprint salt (so a leak
 * matches the fingerprints connectors recorded), ties each leak to its inventoried identity, and
 * keeps only what a report may show: where, the rule, the mask; never the value.
 */
export async function scanForLeaks(
  paths: readonly string[],
  ctx: { store: Store; config: Readonly<Config>; importReport?: ImportReport },
): Promise<{ leaks: LeakFact[]; skipped: ReportSkip[] }> {
  // Vendor exports name identities by their ids (an access key id in list-access-keys): an id is
  // not a secret, so id-only matches in files read as exports are the inventory, not a leak.
  // Agent configs (MCP, agents.yaml) stay in scope: their values are the real thing.
  const exportsRead = new Set(
    (ctx.importReport?.files ?? [])
      .filter((f) => f.status === 'imported' && f.format && !/mcp|agents/i.test(f.format))
      .map((f) => f.file),
  );
  const salt = await ctx.store.fingerprintSalt(ctx.config.fingerprintSalt);
  const leaks: LeakFact[] = [];
  const skipped: ReportSkip[] = [];
  for (const p of paths) {
    // A broken rule file is the user's configuration error: it fails the audit, not one path.
    const ruleset = compileRuleset(rulesetInputFrom(ctx.config.scan, findGitleaksConfig(p)));
    let r: Awaited<ReturnType<typeof runScan>>;
    try {
      r = await runScan({ kind: 'path', path: p }, { salt, ruleset, exclude: ctx.config.scan.exclude });
    } catch (e) {
      skipped.push({ file: p, pointer: 'file', reason: `not scanned for secrets: ${(e as Error).message}` });
      continue;
    }
    for (const { leak, identity } of await linkLeaks(ctx.store, r.leaks, salt)) {
      if (exportsRead.has(leak.file) && ID_ONLY.test(leak.type)) continue;
      const f: LeakFact = {
        file: leak.file,
        line: leak.line,
        column: leak.column,
        rule: leak.ruleId,
        type: leak.type,
        fingerprint: leak.fingerprint,
        masked: leak.masked,
      };
      if (leak.commit) f.commit = leak.commit;
      if (leak.presentAtHead !== undefined) f.presentAtHead = leak.presentAtHead;
      if (identity) f.identityId = identity.id;
      leaks.push(f);
    }
    // Files skipped on purpose (symbolic links to folders) are not a gap in the audit.
    for (const n of r.notes)
      if (!/not followed/.test(n.reason))
        skipped.push({ file: n.file, pointer: 'file', reason: `not scanned for secrets: ${n.reason}` });
  }
  return { leaks, skipped };
}
