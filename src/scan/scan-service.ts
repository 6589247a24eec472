import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { WardenError } from '../errors/index.js';
import { compileRuleset, type Ruleset, type RulesetInput } from './engine/compile-rules.js';
import { scanBuffer } from './engine/scan-buffer.js';
import { scanFiles } from './engine/scan-pool.js';
import { walkFiles } from './files/walk-files.js';
import { scanHistory, scanStaged } from './git/git-history.js';
import type { Leak, ScanNote, ScanResult } from './leak-types.js';
import { loadGitleaksConfig, userRule, type GitleaksConfig, type UserRuleInput } from './rules/index.js';

export type ScanTarget =
  | { kind: 'path'; path: string }
  | { kind: 'stdin'; content: Uint8Array; name?: string }
  | { kind: 'history'; repo: string }
  | { kind: 'staged'; repo: string };

export interface ScanOptions {
  /** Fingerprint salt (see the module docs for how the CLI picks it). */
  salt: string;
  ruleset?: Ruleset;
  exclude?: readonly string[];
  includeVendored?: boolean;
  gitignore?: boolean;
  threads?: number;
}

/** The `scan` part of warden.yaml (src/config), as far as the scanner needs it. */
export interface ScanConfig {
  rules: UserRuleInput[];
  exclude: string[];
  allowValues: string[];
  allowPaths: string[];
}

/**
 * Builds the ruleset description from warden.yaml's `scan` block and an optional gitleaks
 * configuration. Invalid or unsafe user patterns throw WARDEN_RULE_INVALID naming the rule.
 */
export function rulesetInputFrom(
  scan: Partial<ScanConfig>,
  gitleaks?: GitleaksConfig,
  where = 'warden.yaml',
): RulesetInput {
  const extra = (scan.rules ?? []).map((r) => userRule(r, 'config', `${where} scan.rules`));
  return {
    extraRules: [...(gitleaks?.rules ?? []), ...extra],
    useBuiltins: gitleaks ? gitleaks.useDefault || gitleaks.rules.length === 0 : true,
    allowlists: gitleaks?.allowlists ?? [],
    allowValues: scan.allowValues ?? [],
    allowPaths: scan.allowPaths ?? [],
  };
}

/** Loads `<root>/.gitleaks.toml` when present (gitleaks' own default location). */
export function findGitleaksConfig(root: string): GitleaksConfig | undefined {
  const dir = existsSync(root) && statSync(root).isDirectory() ? root : path.dirname(root);
  const file = path.join(dir, '.gitleaks.toml');
  return existsSync(file) ? loadGitleaksConfig(file) : undefined;
}

/**
 * Scans one target. Files and folders use both cores for large trees; history and staged scans
 * run real `git`. Never throws for one bad file: it becomes a note.
 *
 * @example
 * const r = await runScan({ kind: 'path', path: '.' }, { salt });
 * for (const l of r.leaks) console.log(l.file, l.line, l.type, l.masked);
 */
export async function runScan(target: ScanTarget, opts: ScanOptions): Promise<ScanResult> {
  const rs = opts.ruleset ?? compileRuleset();
  let leaks: Leak[] = [];
  let notes: ScanNote[] = [];
  let files = 0;
  let bytes = 0;
  switch (target.kind) {
    case 'stdin': {
      const r = scanBuffer(target.content, target.name ?? '-', rs, { salt: opts.salt, binary: true });
      leaks = r.leaks;
      files = 1;
      bytes = target.content.length;
      break;
    }
    case 'path': {
      let st;
      try {
        st = statSync(target.path);
      } catch (e) {
        throw new WardenError(
          'WARDEN_INPUT_UNREADABLE',
          `cannot read ${target.path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
          { cause: e },
        );
      }
      if (st.isDirectory()) {
        const walked = walkFiles(target.path, {
          ...(opts.exclude ? { exclude: opts.exclude } : {}),
          ...(opts.includeVendored ? { includeVendored: true } : {}),
          ...(opts.gitignore === false ? { gitignore: false } : {}),
        });
        notes = walked.notes;
        files = walked.files.length;
        const r = await scanFiles(walked.files, rs, {
          salt: opts.salt,
          ...(opts.threads !== undefined ? { threads: opts.threads } : {}),
        });
        leaks = r.leaks;
        notes.push(...r.notes);
        bytes = r.bytes;
      } else {
        const r = await scanFiles(
          [{ abs: target.path, rel: path.basename(target.path), size: st.size }],
          rs,
          { salt: opts.salt, threads: 0 },
        );
        leaks = r.leaks;
        notes = r.notes;
        files = 1;
        bytes = r.bytes;
      }
      break;
    }
    case 'history': {
      const r = await scanHistory(target.repo, rs, {
        salt: opts.salt,
        ...(opts.exclude ? { exclude: opts.exclude } : {}),
        ...(opts.includeVendored ? { includeVendored: true } : {}),
      });
      leaks = r.leaks;
      notes = r.notes;
      files = r.blobs;
      bytes = r.bytes;
      break;
    }
    case 'staged': {
      const r = await scanStaged(target.repo, rs, {
        salt: opts.salt,
        ...(opts.exclude ? { exclude: opts.exclude } : {}),
      });
      leaks = r.leaks;
      notes = r.notes;
      bytes = r.bytes;
      break;
    }
  }
  leaks.sort((a, b) =>
    a.file < b.file
      ? -1
      : a.file > b.file
        ? 1
        : a.line - b.line || a.column - b.column || (a.ruleId < b.ruleId ? -1 : 1),
  );
  return { leaks, notes, files, bytes };
}
