import { isObj, ptr, str, type Obj } from './json-fields.js';

/**
 * Facts about a GitHub Actions workflow that decide its access path, from the parsed YAML
 * (https://docs.github.com/en/actions/writing-workflows/workflow-syntax-for-github-actions):
 *
 * - `permissions` at workflow or job level (`id-token: write`, or `write-all`) lets a job request
 *   an OIDC token (https://docs.github.com/en/actions/security-for-github-actions/security-hardening-your-deployments/about-security-hardening-with-openid-connect);
 * - cloud login actions and the identity they become: `aws-actions/configure-aws-credentials`
 *   (`role-to-assume`, or static `aws-access-key-id`/`aws-secret-access-key`,
 *   https://github.com/aws-actions/configure-aws-credentials), `google-github-actions/auth`
 *   (`workload_identity_provider` + `service_account`, or `credentials_json`,
 *   https://github.com/google-github-actions/auth), `azure/login` (`client-id`, or `creds`,
 *   https://github.com/Azure/login);
 * - every `${{ secrets.NAME }}` a job can read, and where it is used (an env variable, an input).
 */
export interface CloudLogin {
  provider: 'aws' | 'gcp' | 'azure';
  /** Role ARN, service-account email or application (client) id, when written literally. */
  target?: string;
  auth: 'oidc' | 'static-keys';
  job: string;
  pointer: string;
  details: Record<string, string>;
}

export interface JobFacts {
  id: string;
  idTokenWrite: boolean;
  environment?: string;
  /** Secret name -> where it is used (`env:AWS_ACCESS_KEY_ID`, `with:aws-access-key-id`, `expression`). */
  secrets: Map<string, Set<string>>;
  /** A reusable workflow this job calls, and whether it passes every secret (`secrets: inherit`). */
  calls?: string;
  inheritsSecrets: boolean;
}

export interface WorkflowFacts {
  name?: string;
  triggers: string[];
  /** Branches and tags named by `on.push` (for the OIDC subjects the workflow can present). */
  refs: string[];
  /** The workflow-level `permissions` of GITHUB_TOKEN as written (string or map). */
  permissions?: unknown;
  jobs: JobFacts[];
  logins: CloudLogin[];
  notes: { pointer: string; reason: string }[];
  usesGithubToken: boolean;
}

const SECRET_REF = /\bsecrets\.([A-Za-z_][A-Za-z0-9_-]*)|\bsecrets\[\s*['"]([^'"]+)['"]\s*\]/g;
const EXPR = /\$\{\{/;
const STATIC_ENV: Record<string, string> = {
  AWS_ACCESS_KEY_ID: 'aws',
  AWS_SECRET_ACCESS_KEY: 'aws',
  GOOGLE_CREDENTIALS: 'gcp',
  GOOGLE_APPLICATION_CREDENTIALS_JSON: 'gcp',
  GCP_SA_KEY: 'gcp',
  ARM_CLIENT_SECRET: 'azure',
  AZURE_CLIENT_SECRET: 'azure',
};

/** `true`/`false` when permissions say, `undefined` when the level leaves it to the default (none). */
function idToken(perms: unknown): boolean | undefined {
  if (perms === undefined || perms === null) return undefined;
  if (typeof perms === 'string') return perms.trim() === 'write-all';
  if (isObj(perms)) return str(perms['id-token']) === 'write';
  return undefined;
}

function triggersOf(on: unknown): string[] {
  if (typeof on === 'string') return [on];
  if (Array.isArray(on)) return on.map(str).filter((s): s is string => s !== undefined);
  if (isObj(on)) return Object.keys(on);
  return [];
}

function refsOf(on: unknown): string[] {
  if (!isObj(on) || !isObj(on.push)) return [];
  const push = on.push;
  const list = (v: unknown): string[] =>
    Array.isArray(v) ? v.map(str).filter((x): x is string => x !== undefined) : [];
  return [
    ...list(push.branches).map((b) => `refs/heads/${b}`),
    ...list(push.tags).map((t) => `refs/tags/${t}`),
  ];
}

/**
 * The `sub` claims a job's OIDC token can carry, in GitHub's default format
 * (https://docs.github.com/en/actions/security-for-github-actions/security-hardening-your-deployments/about-security-hardening-with-openid-connect#example-subject-claims):
 * `repo:OWNER/REPO:environment:ENV` when the job has an environment, else one per ref or event.
 */
export function oidcSubjects(repo: string, facts: WorkflowFacts, job: JobFacts): string[] {
  if (job.environment) return [`repo:${repo}:environment:${job.environment}`];
  const out = facts.refs.map((r) => `repo:${repo}:ref:${r}`);
  if (facts.triggers.some((t) => t === 'pull_request' || t === 'pull_request_target'))
    out.push(`repo:${repo}:pull_request`);
  if (
    out.length === 0 ||
    facts.triggers.some(
      (t) => ['workflow_dispatch', 'schedule', 'push'].includes(t) && facts.refs.length === 0,
    )
  )
    out.push(`repo:${repo}:ref:*`);
  return [...new Set(out)];
}

function secretRefs(s: string): string[] {
  if (!EXPR.test(s)) return [];
  const out: string[] = [];
  for (const m of s.matchAll(SECRET_REF)) out.push((m[1] ?? m[2])!);
  return out;
}

/** Every string inside a value with its pointer (jobs are small; recursion depth is the YAML's). */
function* strings(v: unknown, at: string, depth = 0): Generator<{ s: string; at: string; key?: string }> {
  if (depth > 50) return;
  if (typeof v === 'string') yield { s: v, at };
  else if (Array.isArray(v))
    for (let i = 0; i < v.length; i++) yield* strings(v[i], `${at}${ptr(i)}`, depth + 1);
  else if (isObj(v))
    for (const [k, x] of Object.entries(v))
      for (const r of strings(x, `${at}${ptr(k)}`, depth + 1)) yield { ...r, key: r.key ?? k };
}

function addUse(m: Map<string, Set<string>>, name: string, use: string): void {
  let s = m.get(name);
  if (!s) m.set(name, (s = new Set()));
  s.add(use);
}

/** Analyses a parsed workflow document; never throws on odd shapes, it notes them. */
export function analyseWorkflow(doc: unknown): WorkflowFacts {
  const facts: WorkflowFacts = {
    triggers: [],
    refs: [],
    jobs: [],
    logins: [],
    notes: [],
    usesGithubToken: false,
  };
  if (!isObj(doc)) {
    facts.notes.push({ pointer: '', reason: 'workflow is not a YAML mapping' });
    return facts;
  }
  const name = str(doc.name);
  if (name) facts.name = name;
  facts.triggers = triggersOf(doc.on ?? doc.true);
  facts.refs = refsOf(doc.on ?? doc.true);
  if (doc.permissions !== undefined && doc.permissions !== null) facts.permissions = doc.permissions;
  const wfToken = idToken(doc.permissions);
  const wfEnv = isObj(doc.env) ? doc.env : {};
  const jobs = isObj(doc.jobs) ? doc.jobs : undefined;
  if (!jobs) {
    facts.notes.push({ pointer: '/jobs', reason: 'workflow has no jobs mapping' });
    return facts;
  }
  for (const [jobId, job] of Object.entries(jobs)) {
    const jp = ptr('jobs', jobId);
    if (!isObj(job)) {
      facts.notes.push({ pointer: jp, reason: 'job is not a mapping' });
      continue;
    }
    const env = isObj(job.environment) ? str(job.environment.name) : str(job.environment);
    const jf: JobFacts = {
      id: jobId,
      idTokenWrite: idToken(job.permissions) ?? wfToken ?? false,
      secrets: new Map(),
      inheritsSecrets: job.secrets === 'inherit',
    };
    if (env) jf.environment = env;
    const calls = str(job.uses);
    if (calls) jf.calls = calls;
    scanJob(facts, jf, job, jp, wfEnv);
    facts.jobs.push(jf);
  }
  return facts;
}

function scanJob(facts: WorkflowFacts, jf: JobFacts, job: Obj, jp: string, wfEnv: Obj): void {
  // Workflow-level env is visible to every job.
  for (const { s, key } of strings(wfEnv, '/env'))
    for (const n of secretRefs(s)) record(facts, jf, n, key ? `env:${key}` : 'expression');
  for (const { s, at, key } of strings(job, jp)) {
    for (const n of secretRefs(s)) {
      const use =
        /\/env\/[^/]+$/.test(at) && key
          ? `env:${key}`
          : /\/with\/[^/]+$/.test(at) && key
            ? `with:${key}`
            : /\/secrets\/[^/]+$/.test(at) && key
              ? `passes:${key}`
              : 'expression';
      record(facts, jf, n, use);
    }
  }
  const steps = Array.isArray(job.steps) ? job.steps : [];
  const jobEnv = isObj(job.env) ? job.env : {};
  steps.forEach((step, i) => {
    if (!isObj(step)) return;
    const sp = `${jp}${ptr('steps', i)}`;
    const uses = (str(step.uses) ?? '').toLowerCase();
    const w = isObj(step.with) ? step.with : {};
    const envAll = { ...wfEnv, ...jobEnv, ...(isObj(step.env) ? step.env : {}) };
    if (uses.startsWith('aws-actions/configure-aws-credentials')) awsLogin(facts, jf, w, envAll, sp);
    else if (uses.startsWith('google-github-actions/auth')) gcpLogin(facts, jf, w, sp);
    else if (uses.startsWith('azure/login')) azureLogin(facts, jf, w, sp);
    else {
      // Static cloud keys handed to any other step (a CLI run, a deploy action) through env.
      for (const [k, v] of Object.entries(envAll)) {
        const cloud = STATIC_ENV[k];
        if (
          cloud &&
          typeof v === 'string' &&
          secretRefs(v).length > 0 &&
          !facts.logins.some((l) => l.job === jf.id && l.auth === 'static-keys' && l.provider === cloud)
        ) {
          facts.logins.push({
            provider: cloud as CloudLogin['provider'],
            auth: 'static-keys',
            job: jf.id,
            pointer: sp,
            details: { via: `env:${k}` },
          });
        }
      }
    }
  });
}

function record(facts: WorkflowFacts, jf: JobFacts, name: string, use: string): void {
  if (name === 'GITHUB_TOKEN') {
    facts.usesGithubToken = true;
    return;
  }
  addUse(jf.secrets, name, use);
}

/** A literal value, or undefined with a note when it is an expression Warden cannot resolve. */
function literal(facts: WorkflowFacts, v: unknown, at: string, what: string): string | undefined {
  const s = str(v);
  if (!s) return undefined;
  if (EXPR.test(s)) {
    facts.notes.push({
      pointer: at,
      reason: `${what} is an expression (${s.slice(0, 80)}); the target cannot be resolved from the file`,
    });
    return undefined;
  }
  return s;
}

function awsLogin(facts: WorkflowFacts, jf: JobFacts, w: Obj, env: Obj, sp: string): void {
  const staticKeys =
    str(w['aws-access-key-id']) !== undefined ||
    (typeof env.AWS_ACCESS_KEY_ID === 'string' && str(w['role-to-assume']) === undefined);
  const role = literal(facts, w['role-to-assume'], `${sp}/with/role-to-assume`, 'role-to-assume');
  const details: Record<string, string> = {};
  for (const k of ['aws-region', 'role-session-name', 'audience', 'role-duration-seconds']) {
    const v = str(w[k]);
    if (v) details[k] = v;
  }
  const login: CloudLogin = {
    provider: 'aws',
    auth: staticKeys ? 'static-keys' : 'oidc',
    job: jf.id,
    pointer: sp,
    details,
  };
  if (role) {
    if (/^arn:aws[a-z-]*:iam::\d{12}:role\//.test(role)) login.target = role;
    else
      facts.notes.push({
        pointer: `${sp}/with/role-to-assume`,
        reason: `role-to-assume "${role}" is not a full role ARN; the account is unknown`,
      });
  }
  if (!staticKeys && !jf.idTokenWrite) {
    facts.notes.push({
      pointer: sp,
      reason: `job ${jf.id} assumes an AWS role without permissions id-token: write (OIDC login would fail)`,
    });
  }
  facts.logins.push(login);
}

function gcpLogin(facts: WorkflowFacts, jf: JobFacts, w: Obj, sp: string): void {
  const staticKey = str(w.credentials_json) !== undefined;
  const sa = literal(facts, w.service_account, `${sp}/with/service_account`, 'service_account');
  const provider = literal(
    facts,
    w.workload_identity_provider,
    `${sp}/with/workload_identity_provider`,
    'workload_identity_provider',
  );
  const login: CloudLogin = {
    provider: 'gcp',
    auth: staticKey ? 'static-keys' : 'oidc',
    job: jf.id,
    pointer: sp,
    details: {},
  };
  if (sa) login.target = sa;
  if (provider) login.details.workloadIdentityProvider = provider;
  facts.logins.push(login);
}

function azureLogin(facts: WorkflowFacts, jf: JobFacts, w: Obj, sp: string): void {
  const staticKey = str(w.creds) !== undefined;
  const client = literal(facts, w['client-id'], `${sp}/with/client-id`, 'client-id');
  const login: CloudLogin = {
    provider: 'azure',
    auth: staticKey ? 'static-keys' : 'oidc',
    job: jf.id,
    pointer: sp,
    details: {},
  };
  if (client) login.target = client;
  const tenant = str(w['tenant-id']);
  if (tenant && !EXPR.test(tenant)) login.details.tenantId = tenant;
  facts.logins.push(login);
}
