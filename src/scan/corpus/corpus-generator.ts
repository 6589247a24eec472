import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { makeDbUri, makeDecoy, makePem, pick, rs, TOKEN_MAKERS, type Rnd } from './token-makers.js';
import { seededRandom } from '../../model/index.js';

/** A planted secret: the file and 1-based line a scanner should report. */
export interface CorpusLabel {
  file: string;
  line: number;
  kind: string;
}

export interface CorpusFile {
  path: string;
  content: string;
  labels: CorpusLabel[];
}

/** The same seed gives the same corpus everywhere. */
export function corpusRandom(seed: number): Rnd {
  return seededRandom(seed);
}

const WORDS = [
  'user',
  'order',
  'item',
  'count',
  'total',
  'config',
  'handler',
  'request',
  'response',
  'cache',
  'retry',
  'limit',
  'page',
  'index',
  'value',
  'result',
  'buffer',
  'stream',
  'event',
  'queue',
  'agent',
  'tool',
  'prompt',
  'model',
  'session',
];
const camel = (s: string) => s.toLowerCase().replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase());

/** Ordinary code, some of it mentioning keys and tokens without holding any. */
function filler(rnd: Rnd, style: 'ts' | 'py' | 'yaml' | 'env'): string {
  const w = () => pick(rnd, WORDS);
  const n = Math.floor(rnd() * 1000);
  const forms: Record<typeof style, (() => string)[]> = {
    ts: [
      () => `const ${w()}${n} = compute${w()}(${w()}, ${n});`,
      () => `  if (${w()}.length > ${n}) return ${w()}.slice(0, ${n});`,
      () => `export function get${w()}Token(${w()}: string): Promise<string> { return cache.get(${w()}); }`,
      () => `const tokenCount = tokenizer.encode(${w()}).length; // keys: ${w()}, ${w()}`,
      () => `  headers['Authorization'] = \`Bearer \${await getAccessToken()}\`;`,
      () => `// TODO(${w()}): rotate the ${w()} key before release ${n}`,
      () => `import { ${w()}Service } from './${w()}-service.js';`,
      () => `  const apiKey = process.env.${w().toUpperCase()}_API_KEY ?? '';`,
      () => `  logger.info({ ${w()}, secretName: '${w()}-${n}' }, 'loaded secret metadata');`,
    ],
    py: [
      () => `def ${w()}_${n}(${w()}, ${w()}=None):`,
      () => `    return [${w()} for ${w()} in ${w()}s if ${w()}.id > ${n}]`,
      () => `api_key = os.environ.get("${w().toUpperCase()}_API_KEY")`,
      () => `    token = client.fetch_token(scope="${w()}.read")`,
      () => `print(f"{${w()}} took {elapsed:.2f}s")  # ${n}`,
    ],
    yaml: [
      () => `  ${w()}: ${n}`,
      () => `  ${w()}_name: ${w()}-${n}`,
      () => `  timeout_seconds: ${n}`,
      () => `  token_ttl: ${n}s`,
      () => `  secret_ref: ${w()}-credentials`,
    ],
    env: [
      () => `${w().toUpperCase()}_${w().toUpperCase()}=${w()}-${n}`,
      () => `LOG_LEVEL=${pick(rnd, ['debug', 'info', 'warn'])}`,
      () => `PORT=${3000 + n}`,
      () => `# ${w()} settings`,
    ],
  };
  return pick(rnd, forms[style])();
}

type Kind = 'env' | 'yaml' | 'mcp' | 'ts' | 'py' | 'ci' | 'notebook' | 'k8s' | 'lockfile' | 'docker';
const KINDS: Kind[] = [
  'env',
  'yaml',
  'mcp',
  'ts',
  'py',
  'ci',
  'notebook',
  'k8s',
  'lockfile',
  'docker',
  'env',
  'ts',
  'mcp',
  'yaml',
];

/** Builds one file of the given kind with planted secrets, decoys and `fillerLines` of code. */
export function generateFile(
  rnd: Rnd,
  index: number,
  fillerLines: number,
  kind: Kind = pick(rnd, KINDS),
): CorpusFile {
  const dir = `svc-${index % 97}`;
  const lines: string[] = [];
  const labels: CorpusLabel[] = [];
  const secrets = 1 + Math.floor(rnd() * 3);
  const decoys = 2 + Math.floor(rnd() * 3);
  const plan: ('s' | 'd')[] = [...Array<'s'>(secrets).fill('s'), ...Array<'d'>(decoys).fill('d')].sort(
    () => rnd() - 0.5,
  );
  const fillStyle =
    kind === 'ts' || kind === 'mcp'
      ? 'ts'
      : kind === 'py' || kind === 'notebook'
        ? 'py'
        : kind === 'env'
          ? 'env'
          : 'yaml';
  const addFiller = (k: number) => {
    for (let i = 0; i < k; i++) lines.push(filler(rnd, fillStyle));
  };
  const per = Math.max(1, Math.floor(fillerLines / (plan.length + 1)));
  const value = () => {
    const r = rnd();
    if (r < 0.08) return { name: 'DATABASE_URL', v: makeDbUri(rnd).uri, kind: 'db-uri' };
    const t = pick(rnd, TOKEN_MAKERS);
    return { name: t.name, v: t.make(rnd), kind: t.kind };
  };
  let file: string;
  switch (kind) {
    case 'env':
    case 'yaml':
    case 'ts':
    case 'py':
    case 'ci': {
      file = {
        env: `${dir}/env-${index}/.env`,
        yaml: `${dir}/config/settings-${index}.yaml`,
        ts: `${dir}/src/client-${index}.ts`,
        py: `${dir}/app/settings_${index}.py`,
        ci: `${dir}/.github/workflows/deploy-${index}.yml`,
      }[kind];
      if (kind === 'ci')
        lines.push(
          'name: deploy',
          'on: [push]',
          'jobs:',
          '  deploy:',
          '    runs-on: ubuntu-latest',
          '    env:',
        );
      if (kind === 'yaml') lines.push('service:');
      const fmt = (name: string, v: string) =>
        kind === 'env'
          ? `${name}=${v}`
          : kind === 'yaml'
            ? `  ${name.toLowerCase()}: ${v}`
            : kind === 'ts'
              ? `const ${camel(name)} = "${v}";`
              : kind === 'py'
                ? `${name} = "${v}"`
                : `      ${name}: ${v}`;
      for (const step of plan) {
        addFiller(kind === 'ci' ? 0 : per);
        if (step === 's') {
          if (kind !== 'ci' && rnd() < 0.06) {
            // A private key in the file.
            labels.push({ file, line: lines.length + 1, kind: 'private-key' });
            const pem = makePem(rnd);
            if (kind === 'env') lines.push(`TLS_KEY="${pem.join('\\n')}"`);
            else lines.push(...pem);
            continue;
          }
          const s = value();
          labels.push({ file, line: lines.length + 1, kind: s.kind });
          lines.push(fmt(s.name, s.v));
        } else {
          const d = makeDecoy(rnd);
          lines.push(fmt(d.name, d.value));
        }
      }
      if (kind === 'ci')
        lines.push(
          '    steps:',
          '      - uses: actions/checkout@v4',
          '      - run: npm ci && npm run deploy',
        );
      else addFiller(per);
      break;
    }
    case 'mcp': {
      file = `${dir}/.cursor/mcp-${index}.json`;
      lines.push('{', '  "mcpServers": {');
      plan.forEach((step, i) => {
        lines.push(
          `    "server-${i}": {`,
          '      "command": "npx",',
          `      "args": ["-y", "@acme/mcp-${pick(rnd, WORDS)}"],`,
          '      "env": {',
        );
        if (step === 's') {
          const s = value();
          labels.push({ file, line: lines.length + 1, kind: s.kind });
          lines.push(`        "${s.name}": "${s.v}"`);
        } else {
          const d = makeDecoy(rnd);
          lines.push(`        "${d.name}": "${d.value.replace(/"/g, '\\"')}"`);
        }
        lines.push('      }', `    }${i < plan.length - 1 ? ',' : ''}`);
      });
      lines.push('  }', '}');
      break;
    }
    case 'notebook': {
      file = `${dir}/notebooks/explore-${index}.ipynb`;
      const cells: {
        cell_type: string;
        metadata: object;
        source: string[];
        outputs?: unknown[];
        execution_count?: null;
      }[] = [];
      const pending: { cell: number; line: number; kind: string }[] = [];
      for (const step of plan) {
        const src = ['import os\n', `${filler(rnd, 'py')}\n`];
        if (step === 's') {
          const s = value();
          pending.push({ cell: cells.length, line: src.length, kind: s.kind });
          src.push(`os.environ["${s.name}"] = "${s.v}"\n`);
        } else {
          const d = makeDecoy(rnd);
          src.push(`os.environ["${d.name}"] = "${d.value.replace(/"/g, "'")}"\n`);
        }
        src.push(`client = Client()`);
        cells.push({ cell_type: 'code', execution_count: null, metadata: {}, outputs: [], source: src });
      }
      const json = JSON.stringify(
        {
          cells,
          metadata: { kernelspec: { name: 'python3', display_name: 'Python 3' } },
          nbformat: 4,
          nbformat_minor: 5,
        },
        null,
        1,
      );
      const jl = json.split('\n');
      // Each source line is its own JSON line: find the planted ones.
      let cursor = 0;
      for (const p of pending) {
        const needle = JSON.stringify(cells[p.cell]!.source[p.line]);
        const at = jl.findIndex((l, i) => i >= cursor && l.includes(needle));
        cursor = at + 1;
        labels.push({ file, line: at + 1, kind: p.kind });
      }
      return { path: file, content: json + '\n', labels };
    }
    case 'k8s': {
      file = `${dir}/deploy/secret-${index}.yaml`;
      lines.push(
        'apiVersion: v1',
        'kind: Secret',
        'metadata:',
        `  name: app-${index}`,
        '  namespace: prod',
        'type: Opaque',
        'data:',
      );
      lines.push(`  username: ${Buffer.from('app_user').toString('base64')}`);
      for (const step of plan) {
        if (step === 's') {
          const s = value();
          labels.push({ file, line: lines.length + 1, kind: s.kind });
          lines.push(`  ${s.name.toLowerCase().replace(/_/g, '-')}: ${Buffer.from(s.v).toString('base64')}`);
        } else {
          lines.push(
            `  ${pick(rnd, ['region', 'endpoint', 'log-level'])}-${lines.length}: ${Buffer.from(pick(rnd, ['eu-west-1', 'https://api.internal', 'info'])).toString('base64')}`,
          );
        }
      }
      break;
    }
    case 'docker': {
      file = `${dir}/.docker/config-${index}.json`;
      const pass = rs(rnd, 'abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789', 20);
      lines.push('{', '  "auths": {', '    "registry.acme.io": {');
      labels.push({ file, line: lines.length + 1, kind: 'docker-auth' });
      lines.push(`      "auth": "${Buffer.from(`deploy:${pass}`).toString('base64')}"`, '    }', '  }', '}');
      break;
    }
    case 'lockfile': {
      file = `${dir}/pkg-${index}/package-lock.json`;
      lines.push('{', '  "name": "app",', '  "lockfileVersion": 3,', '  "packages": {');
      for (let i = 0; i < 4 + fillerLines / 8; i++) {
        const name = `${pick(rnd, WORDS)}-${i}`;
        lines.push(
          `    "node_modules/${name}": {`,
          '      "version": "1.2.3",',
          `      "resolved": "https://registry.npmjs.org/${name}/-/${name}-1.2.3.tgz",`,
        );
        lines.push(
          `      "integrity": "sha512-${rs(rnd, 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/', 86)}=="`,
          '    },',
        );
      }
      lines.push('    "": {}', '  }', '}');
      break;
    }
  }
  return { path: file, content: lines.join('\n') + '\n', labels };
}

/**
 * Writes a labelled corpus of about `targetBytes` under `dir` (agent configs, `.env`, YAML, MCP
 * JSON, CI workflows, notebooks, Kubernetes Secrets, Docker configs, lock files; each with real
 * secrets and decoys) and returns the labels.
 */
export function writeCorpus(
  dir: string,
  opts: { seed: number; targetBytes: number; fillerLines?: number },
): { labels: CorpusLabel[]; bytes: number; files: number } {
  const rnd = corpusRandom(opts.seed);
  const labels: CorpusLabel[] = [];
  let bytes = 0;
  let i = 0;
  for (; bytes < opts.targetBytes; i++) {
    const f = generateFile(rnd, i, opts.fillerLines ?? 40);
    const abs = path.join(dir, f.path);
    mkdirSync(path.dirname(abs), { recursive: true });
    writeFileSync(abs, f.content);
    bytes += Buffer.byteLength(f.content);
    labels.push(...f.labels);
  }
  return { labels, bytes, files: i };
}
