import { parseDocument } from 'yaml';
import { WardenError } from '../../errors/index.js';
import type { NodeRef } from '../../model/index.js';
import type { ImportItem } from '../../store/index.js';
import type { SourceFile } from '../core/source-file.js';
import type { Connector } from '../core/types.js';
import { fromGitRemote, fromPath, UNKNOWN_OWNER } from './github-context.js';
import { attrs, note } from './json-fields.js';
import { analyseWorkflow, oidcSubjects, type CloudLogin, type WorkflowFacts } from './workflow-analysis.js';

const IN_WORKFLOWS = /[\\/]\.github[\\/]workflows[\\/][^\\/]+\.ya?ml$/i;

/**
 * GitHub Actions workflow files (`.github/workflows/*.yml`). The workflow becomes a resource
 * (`github:OWNER/REPO/workflow/FILE`), with an `exposes` edge to every Actions secret its jobs can
 * read and a `can-assume` edge to every cloud identity it logs in as (AWS role ARN, GCP service
 * account, Entra application), marked `oidc` or `static-keys`. Owner and repository follow the rule
 * of github-context.ts (git remote, then the folders above `.github`).
 *
 * A secret referenced as `secrets.NAME` may be an environment, repository or organisation secret:
 * GitHub resolves the name in that order, and the workflow cannot tell which exists, so one edge is
 * emitted per candidate with confidence 1/n and `attributes.candidates` (the graph keeps the ones
 * whose identity was imported).
 */
export const githubWorkflowConnector: Connector = {
  id: 'github-workflow',
  title: 'GitHub Actions workflow YAML',
  detect(file) {
    if (!/\.ya?ml$/i.test(file.name)) return 0;
    if (IN_WORKFLOWS.test(file.path)) return 0.95;
    const head = file.head();
    // A workflow saved elsewhere: `on:` and `jobs:` at top level with a `runs-on` inside.
    return /^on\s*:/m.test(head) && /^jobs\s*:/m.test(head) && /\bruns-on\s*:/.test(head) ? 0.6 : 0;
  },
  async *read(file: SourceFile): AsyncGenerator<ImportItem> {
    const text = await file.text();
    const doc = parseDocument(text, { prettyErrors: false, uniqueKeys: false });
    if (doc.errors.length > 0) {
      const e = doc.errors[0]!;
      const line = e.linePos?.[0]?.line ?? text.slice(0, e.pos[0]).split('\n').length;
      throw new WardenError(
        'WARDEN_INPUT_INVALID',
        `${file.display}${line ? `:${line}` : ''}: invalid YAML (${e.message.split('\n')[0]})`,
        {
          details: { file: file.display },
        },
      );
    }
    const facts = analyseWorkflow(doc.toJS({ maxAliasCount: 100 }));
    const remote = fromGitRemote(file);
    const byPath = fromPath(file);
    const owner = remote.org ?? byPath.org ?? UNKNOWN_OWNER;
    const repo = remote.repo ?? byPath.repo ?? UNKNOWN_OWNER;
    if (!remote.org && !byPath.org)
      yield note(
        '',
        `owner unknown: put the checkout under OWNER/REPO/ or keep its .git/config; recorded under "${owner}/${repo}"`,
      );
    const rel = IN_WORKFLOWS.test(file.path) ? `.github/workflows/${file.name}` : file.name;
    const nativeId = `github:${owner}/${repo}/workflow/${rel}`;
    const from: NodeRef = { type: 'resource', provider: 'github', nativeId };
    const idTokenJobs = facts.jobs.filter((j) => j.idTokenWrite).map((j) => j.id);
    const staticLogins = facts.logins.filter((l) => l.auth === 'static-keys');
    yield {
      type: 'resource',
      value: {
        provider: 'github',
        nativeId,
        type: 'workflow',
        name: facts.name ?? file.name,
        account: owner,
        attributes: attrs({
          repository: `${owner}/${repo}`,
          file: rel,
          triggers: facts.triggers,
          idTokenWrite: idTokenJobs.length > 0,
          idTokenJobs,
          // pull_request_target runs with secrets on code from forks: a known exposure.
          pullRequestTarget: facts.triggers.includes('pull_request_target') || undefined,
          staticCloudKeys: [...new Set(staticLogins.map((l) => l.provider))],
          cloudLogins: facts.logins.map((l) => ({
            provider: l.provider,
            auth: l.auth,
            job: l.job,
            ...(l.target ? { target: l.target } : {}),
            ...l.details,
          })),
          secrets: [...new Set(facts.jobs.flatMap((j) => [...j.secrets.keys()]))],
          usesGithubToken: facts.usesGithubToken || undefined,
          permissions: facts.permissions,
          inheritsSecrets: facts.jobs
            .filter((j) => j.inheritsSecrets)
            .map((j) => `${j.id} -> ${j.calls ?? '?'}`),
        }),
      },
    };
    yield* secretEdges(facts.jobs, from, owner, repo);
    yield* loginEdges(facts, from, `${owner}/${repo}`);
    for (const n of facts.notes) yield note(n.pointer, n.reason);
  },
};

function* secretEdges(
  jobs: ReturnType<typeof analyseWorkflow>['jobs'],
  from: NodeRef,
  owner: string,
  repo: string,
): Generator<ImportItem> {
  const bySecret = new Map<string, { jobs: Set<string>; uses: Set<string>; envs: Set<string> }>();
  for (const j of jobs) {
    for (const [name, uses] of j.secrets) {
      let e = bySecret.get(name);
      if (!e) bySecret.set(name, (e = { jobs: new Set(), uses: new Set(), envs: new Set() }));
      e.jobs.add(j.id);
      for (const u of uses) e.uses.add(u);
      if (j.environment && !/\$\{\{/.test(j.environment)) e.envs.add(j.environment);
    }
  }
  for (const [name, e] of bySecret) {
    const candidates = [
      ...[...e.envs].map((env) => `github:${owner}/${repo}/env/${env}/secret/${name}`),
      `github:${owner}/${repo}/secret/${name}`,
      `github:${owner}/secret/${name}`,
    ];
    for (const c of candidates) {
      yield {
        type: 'edge',
        value: {
          kind: 'exposes',
          from,
          to: { type: 'identity', provider: 'github', nativeId: c },
          confidence: 1 / candidates.length,
          attributes: { secret: name, jobs: [...e.jobs], usedAs: [...e.uses], candidates },
        },
      };
    }
  }
}

const PROVIDER: Record<CloudLogin['provider'], string> = { aws: 'aws', gcp: 'gcp', azure: 'azure' };

function* loginEdges(facts: WorkflowFacts, from: NodeRef, repo: string): Generator<ImportItem> {
  const { logins, jobs } = facts;
  const seen = new Map<string, { login: CloudLogin; jobs: Set<string> }>();
  for (const l of logins) {
    if (!l.target) continue;
    const key = `${l.provider}\u0000${l.target}\u0000${l.auth}`;
    const s = seen.get(key);
    if (s) s.jobs.add(l.job);
    else seen.set(key, { login: l, jobs: new Set([l.job]) });
  }
  for (const { login, jobs: js } of seen.values()) {
    const envs = jobs.filter((j) => js.has(j.id) && j.environment).map((j) => j.environment!);
    yield {
      type: 'edge',
      value: {
        kind: 'can-assume',
        from,
        to: { type: 'identity', provider: PROVIDER[login.provider], nativeId: login.target! },
        key: login.auth,
        attributes: attrs({
          via: login.auth === 'oidc' ? 'github-oidc' : 'static-keys',
          auth: login.auth,
          jobs: [...js],
          environments: envs,
          // What the role's trust policy must restrict `token.actions.githubusercontent.com:sub` to.
          subjects:
            login.auth === 'oidc'
              ? [...new Set(jobs.filter((j) => js.has(j.id)).flatMap((j) => oidcSubjects(repo, facts, j)))]
              : undefined,
          ...login.details,
        }),
      },
    };
  }
}
