import type { IdentityKind, Severity } from '../../model/index.js';

/**
 * One detection rule, as plain data so it can cross a worker boundary and be listed in SARIF.
 * `regex` is a JavaScript pattern source; it only ever runs on a bounded window around a keyword
 * hit, never over a whole file.
 */
export interface RuleSpec {
  id: string;
  /** Human title, also used as the leak's `type`. */
  title: string;
  /** Provider id in the inventory's vocabulary (aws, gcp, github, openai ...). */
  provider: string;
  /** Identity kind a leak of this rule maps to. */
  kind: IdentityKind;
  severity: Severity;
  /** Public documentation of the format (provenance). */
  docs: string;
  /** Lower-case literals; at least one occurs in every match (the prefilter). */
  keywords: string[];
  regex: string;
  /** Extra flags besides the `g` the engine adds ('i', 's', 'm'). */
  flags?: string;
  /** Capture group holding the secret (0 = whole match). */
  secretGroup: number;
  /** Minimum Shannon entropy (bits per character) of the secret. */
  entropy?: number;
  /** Documented example values that are not secrets. */
  examples?: string[];
  /** Generic rules get the strict context filters (identifiers, hashes, UUIDs, lock files). */
  generic?: boolean;
  /** Tie-break when two rules report the same span: the higher wins. */
  priority: number;
  /** Characters searched on each side of a keyword hit; default: the hit's line (bounded). */
  window?: { before: number; after: number; multiline?: boolean };
  /**
   * Name-based rules: a keyword hit only counts when an assignment (`=`, `:`, `,`) follows on the
   * same line within this many bytes (prose and identifiers like `tokenCount(` are skipped
   * before any pattern runs).
   */
  assignWithin?: number;
  /** Runs of one repeated character are normal in this format (e.g. Twitter bearer tokens). */
  allowRuns?: boolean;
  /** The secret itself is an inventory native id (AWS access key id). */
  secretIsNativeId?: boolean;
  /** Only files whose path matches this pattern (gitleaks `path`). */
  path?: string;
  /** Per-rule allowlists (gitleaks `[[rules.allowlists]]`). */
  allow?: RuleAllowlist[];
  /** Where the rule came from: built in, warden.yaml, or a gitleaks file. */
  origin?: 'builtin' | 'config' | 'gitleaks';
}

export interface RuleAllowlist {
  /** 'match' (default) checks the whole match, 'secret' only the secret, 'line' the line. */
  regexTarget?: 'secret' | 'match' | 'line';
  regexes?: string[];
  paths?: string[];
  stopwords?: string[];
  /** gitleaks `condition`: OR (default) any criterion allows; AND all configured ones must. */
  condition?: 'OR' | 'AND';
}
