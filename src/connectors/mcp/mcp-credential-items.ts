import { fingerprintSecret, type IdentityKind } from '../../model/index.js';
import type { ImportItem } from '../../store/index.js';
import type { SourceFile } from '../core/source-file.js';
import type { ConnectorContext } from '../core/types.js';
import {
  classifyCredential,
  describeUrlAccount,
  hintOf,
  isAwsAccessKeyId,
  providerFromName,
  SECRET_NAME,
} from './classify-credential.js';
import type { ClientInputs } from './mcp-client-formats.js';
import type { ConfigAgent } from './mcp-config-agent.js';
import type { Candidate } from './mcp-credential-candidates.js';

const REFERENCE = /^\$\{(input|env):([^}]+)\}$|^\$\{([A-Za-z_][A-Za-z0-9_]*)\}$|^\$([A-Z_][A-Z0-9_]*)$/;

/** What the identity and link records of one server's credentials need to know. */
export interface CredContext {
  file: SourceFile;
  ctx: ConnectorContext;
  agent: ConfigAgent;
  serverId: string;
  server: string;
  host: string | undefined;
  inputs: ClientInputs;
}

/**
 * The identities (and their links to the agent) of one server's candidates: references are
 * inventoried without a fingerprint, values are classified and fingerprinted, never kept.
 */
export function* credentialItems(candidates: Candidate[], c: CredContext): Generator<ImportItem> {
  // An AWS key id and its secret in the same block are one credential: the id names it, the secret is fingerprinted.
  const awsId = candidates.find((x) => isAwsAccessKeyId(x.value.trim()))?.value.trim();
  const aws = { id: awsId, withSecret: candidates.some((x) => /SECRET_ACCESS_KEY/i.test(x.name)) };
  for (const cand of candidates) {
    const ref = REFERENCE.exec(cand.value.trim());
    if (ref) yield* referenceItems(cand, ref, c);
    else yield* valueItems(cand, aws, c);
  }
}

/** `${input:id}`, `${env:VAR}`, `${VAR}`, `$VAR`: the secret is supplied at run time. */
function* referenceItems(cand: Candidate, ref: RegExpExecArray, c: CredContext): Generator<ImportItem> {
  if (!SECRET_NAME.test(cand.name) && !cand.name.startsWith('header')) return;
  const source =
    ref[1] === 'input'
      ? `VS Code input '${ref[2]}'${c.inputs[ref[2]!]?.password ? ' (password prompt)' : ''}`
      : `environment variable ${ref[2] ?? ref[3] ?? ref[4]}`;
  const cls = classifyCredential(cand.name, 'reference-value-0000');
  const provider = providerFromName(cand.name) ?? (c.host ? hostProvider(c.host) : 'unknown');
  const nativeId = `mcp-ref:${c.serverId}/${cand.name}`;
  yield identity(c, {
    provider,
    nativeId,
    kind: kindFor(cand.name, cls?.kind, c),
    name: cand.name,
    attributes: { variable: cand.name, suppliedBy: source, location: cand.where, storedIn: 'reference' },
  });
  yield link(c, provider, nativeId, cand.where);
  yield {
    type: 'note',
    value: {
      pointer: cand.where,
      reason: `${cand.name} is a reference to ${source}, not a value: the credential is inventoried without a fingerprint`,
    },
  };
}

/** A value in clear: classified, fingerprinted with the installation's salt, hinted, never kept. */
function* valueItems(
  cand: Candidate,
  aws: { id: string | undefined; withSecret: boolean },
  c: CredContext,
): Generator<ImportItem> {
  const cls = classifyCredential(cand.name, cand.value);
  if (!cls) return;
  // The key id is named by its secret's identity: no second identity for the id alone.
  if (cls.nativeId && aws.id && cls.nativeId === aws.id && aws.withSecret) return;
  const fp = fingerprintSecret(cand.value.trim(), c.ctx.salt);
  let provider = cls.provider === 'unknown' && c.host ? hostProvider(c.host) : cls.provider;
  let nativeId =
    cls.nativeId ?? (cls.kind === 'database-account' ? (describeUrlAccount(cand.value) ?? fp) : fp);
  if (/SECRET_ACCESS_KEY/i.test(cand.name) && aws.id) {
    provider = 'aws';
    nativeId = aws.id;
  }
  const kind = /SECRET_ACCESS_KEY/i.test(cand.name) ? 'access-key' : kindFor(cand.name, cls.kind, c);
  yield identity(c, {
    provider,
    nativeId,
    kind,
    name: cand.name,
    fingerprint: fp,
    attributes: {
      variable: cand.name,
      location: cand.where,
      storedIn: 'plain-config',
      hint: hintOf(cand.value.trim()),
    },
  });
  yield link(c, provider, nativeId, cand.where);
}

/** A token sent in a header to a remote server is an MCP token unless it says it is something else. */
function kindFor(name: string, kind: IdentityKind | undefined, c: CredContext): IdentityKind {
  if (
    name.startsWith('header') &&
    c.host &&
    (kind === undefined || kind === 'api-key' || kind === 'oauth-token')
  )
    return 'mcp-token';
  return kind ?? 'api-key';
}

/** The provider a host names: its second-level label (`mcp.linear.app` -> `linear`). */
function hostProvider(host: string): string {
  const parts = host.replace(/:\d+$/, '').split('.');
  return parts.length >= 2 ? parts[parts.length - 2]! : host;
}

function identity(
  c: CredContext,
  v: {
    provider: string;
    nativeId: string;
    kind: IdentityKind;
    name: string;
    fingerprint?: string;
    attributes: Record<string, unknown>;
  },
): ImportItem {
  return {
    type: 'identity',
    value: {
      provider: v.provider,
      nativeId: v.nativeId,
      kind: v.kind,
      name: v.name,
      status: 'active',
      ...(v.fingerprint ? { fingerprint: v.fingerprint } : {}),
      attributes: { ...v.attributes, mcpServer: c.server, config: c.file.display },
    },
  };
}

function link(c: CredContext, provider: string, nativeId: string, where: string): ImportItem {
  return {
    type: 'link',
    value: {
      agent: c.agent.name,
      identity: { provider, nativeId },
      source: 'config',
      evidence: `${c.file.display}#${where}; ${c.agent.evidence}`,
      confidence: c.agent.confidence,
    },
  };
}
