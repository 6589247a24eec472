import type { IdentityKind, Severity } from '../model/index.js';

/** An inventory key a leaked secret carries or sits next to (AWS key id, GCP client email ...). */
export interface NativeIdHint {
  provider: string;
  nativeId: string;
  /** How it was found: the secret itself, or a field next to it in the same file. */
  via: 'secret' | 'same-file';
}

/**
 * One leaked secret at one place. `secret` is the clear value: it stays in memory for
 * fingerprinting and linking and is never printed, logged or written by Warden's outputs.
 */
export interface Leak {
  ruleId: string;
  /** Human type, e.g. "GitHub personal access token (classic)". */
  type: string;
  provider: string;
  kind: IdentityKind;
  severity: Severity;
  /** Path relative to the scanned root ('-' for standard input), forward slashes. */
  file: string;
  line: number;
  column: number;
  secret: string;
  /** Salted fingerprint (`fp1:…`), see fingerprintSecret in src/model. */
  fingerprint: string;
  masked: string;
  nativeIds: NativeIdHint[];
  /** How the secret was reached when not in the raw text: 'notebook', 'base64', 'url-encoded'. */
  decoded?: string;
  /** History scans: the commit that introduced the secret, who and when, and whether HEAD still has it. */
  commit?: string;
  author?: string;
  date?: string;
  presentAtHead?: boolean;
}

/** Something that was not scanned, and why (never fatal). */
export interface ScanNote {
  file: string;
  reason: string;
}

export interface ScanResult {
  leaks: Leak[];
  notes: ScanNote[];
  files: number;
  bytes: number;
}
