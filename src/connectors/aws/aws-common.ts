import type { Connector, ConnectorContext } from '../core/types.js';
import type { SourceFile } from '../core/source-file.js';
import type { ImportItem } from '../../store/index.js';
import { WardenError } from '../../errors/index.js';
import type { AccessLevel } from '../../model/index.js';
import type { ParsedPolicy } from './iam-policy.js';

/** AWS is one provider id for every AWS connector (see the brief's identity conventions). */
export const PROVIDER = 'aws';

export type Json = Record<string, unknown>;

export function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** IAM fields such as `Statement`, `Action`, `Resource`, `Principal.AWS` may be a string or an array. */
export function strings(v: unknown): string[] {
  if (typeof v === 'string') return [v];
  if (Array.isArray(v)) return v.filter((x): x is string => typeof x === 'string');
  return [];
}

export function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

/** JSON pointer segment escaping (RFC 6901). */
export function ptr(...parts: (string | number)[]): string {
  return parts.map((p) => '/' + String(p).replace(/~/g, '~0').replace(/\//g, '~1')).join('');
}

export function skip(pointer: string, reason: string): ImportItem {
  return { type: 'skip', value: { pointer, reason } };
}

export function note(pointer: string, reason: string): ImportItem {
  return { type: 'note', value: { pointer, reason } };
}

export function invalid(file: SourceFile, message: string): WardenError {
  return new WardenError('WARDEN_INPUT_INVALID', `${file.display}: ${message}`, {
    details: { file: file.display },
  });
}

/**
 * Parts of an ARN (`arn:partition:service:region:account:resource`), see
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html . IAM ARNs embed the path:
 * `arn:aws:iam::123456789012:role/service-role/name` -> type `role`, path `/service-role/`, name.
 */
export interface ArnParts {
  partition: string;
  service: string;
  region: string;
  account: string;
  resource: string;
  type: string;
  path: string;
  name: string;
}

export function parseArn(arn: string): ArnParts | undefined {
  if (!arn.startsWith('arn:')) return undefined;
  const p = arn.split(':');
  if (p.length < 6) return undefined;
  const resource = p.slice(5).join(':');
  const slash = resource.indexOf('/');
  const type = slash < 0 ? resource : resource.slice(0, slash);
  const rest = slash < 0 ? '' : resource.slice(slash + 1);
  const last = rest.lastIndexOf('/');
  return {
    partition: p[1] ?? 'aws',
    service: p[2] ?? '',
    region: p[3] ?? '',
    account: p[4] ?? '',
    resource,
    type,
    path: last < 0 ? '/' : `/${rest.slice(0, last)}/`,
    name: last < 0 ? rest : rest.slice(last + 1),
  };
}

export function accountOf(arn: string | undefined): string | undefined {
  if (!arn) return undefined;
  const a = parseArn(arn)?.account;
  return a && /^\d{12}$/.test(a) ? a : undefined;
}

/** `[{Key, Value}]` (IAM, EC2, Secrets Manager), `[{key, value}]` (CodeBuild, ECS) or `{k: v}` (Lambda) -> flat map. */
export function flatTags(v: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (Array.isArray(v)) {
    for (const t of v) {
      if (!isObject(t)) continue;
      const k = t.Key ?? t.key;
      const val = t.Value ?? t.value;
      if (typeof k === 'string') out[k] = typeof val === 'string' ? val : '';
    }
  } else if (isObject(v)) {
    for (const [k, val] of Object.entries(v)) if (typeof val === 'string') out[k] = val;
  }
  return out;
}

/** Any date AWS prints (ISO with offset, `2026-01-02T03:04:05Z`, epoch seconds) -> ISO-8601 UTC. */
export function isoDate(v: unknown): string | undefined {
  if (v === null || v === undefined || v === '') return undefined;
  const d =
    typeof v === 'number'
      ? new Date(v < 1e11 ? v * 1000 : v)
      : typeof v === 'string'
        ? new Date(v)
        : undefined;
  if (!d) return undefined;
  const t = d.getTime();
  return Number.isNaN(t) ? undefined : d.toISOString();
}

/**
 * Links from tags on a workload that runs as a role: the tag keys named in warden.yaml
 * (`links.tagKeys`, default `agent`, `warden.io/agent`) name the agent that uses the role.
 */
export function tagLinks(
  ctx: ConnectorContext,
  tags: Record<string, string>,
  roleArn: string,
  where: string,
): ImportItem[] {
  const keys = ctx.config.links.tagKeys.map((k) => k.toLowerCase());
  const out: ImportItem[] = [];
  for (const [k, v] of Object.entries(tags)) {
    if (!v || !keys.includes(k.toLowerCase())) continue;
    out.push({
      type: 'link',
      value: {
        agent: v,
        identity: { provider: PROVIDER, nativeId: roleArn },
        source: 'tag',
        evidence: `tag ${k}=${v} on ${where}, which runs as this role`,
        confidence: 0.8,
      },
    });
  }
  return out;
}

/** The head of a JSON file with whitespace kept: enough to see its top-level keys. */
export function headHas(file: SourceFile, ...needles: string[]): boolean {
  const h = file.head();
  return needles.every((n) => h.includes(n));
}

/**
 * Facts one connector learns that another connector in the same `warden import` run can use:
 * the instance profile -> role mapping (EC2 names profiles, not roles), role and user names -> ARNs
 * (SSM and list-access-keys name, not ARN, them) and access key ids per user (to give the
 * credential report's key slots their real ids). Keyed by the run's context, so it lives exactly
 * as long as one import and never leaks across imports or tests.
 */
export interface RunFacts {
  profileRoles: Map<string, string>;
  roleArns: Map<string, string>;
  userArns: Map<string, string>;
  /** userName -> keys seen in list-access-keys. */
  keysByUser: Map<string, { id: string; created?: string; status?: string }[]>;
  /** Managed policies read from earlier files (pages of a paginated export). */
  policies: Map<string, { arn: string; parsed: ParsedPolicy; level: AccessLevel }>;
}

const facts = new WeakMap<object, RunFacts>();

export function runFacts(ctx: ConnectorContext): RunFacts {
  let f = facts.get(ctx);
  if (!f) {
    f = {
      profileRoles: new Map(),
      roleArns: new Map(),
      userArns: new Map(),
      keysByUser: new Map(),
      policies: new Map(),
    };
    facts.set(ctx, f);
  }
  return f;
}

/**
 * The `shared`/`adopt` pair of every connector that reads or writes RunFacts, so a file read in a
 * worker thread starts from the facts of the files before it and hands its own back.
 */
export const RUN_FACTS_SHARING: Pick<Connector, 'shared' | 'adopt'> = {
  shared: (ctx) => runFacts(ctx),
  adopt(ctx, state) {
    const mine = runFacts(ctx);
    const theirs = state as RunFacts;
    for (const [k, v] of theirs.profileRoles) mine.profileRoles.set(k, v);
    for (const [k, v] of theirs.roleArns) mine.roleArns.set(k, v);
    for (const [k, v] of theirs.userArns) mine.userArns.set(k, v);
    for (const [k, v] of theirs.keysByUser) mine.keysByUser.set(k, v);
    for (const [k, v] of theirs.policies) mine.policies.set(k, v);
  },
};
