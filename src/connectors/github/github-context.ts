import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { SourceFile } from '../core/source-file.js';
import { segments } from './json-fields.js';

/**
 * Where a GitHub export belongs (organisation, repository, environment). Many REST responses do not
 * name their org or repo (`/orgs/{org}/personal-access-tokens`, `/repos/{o}/{r}/actions/secrets`),
 * so the rule, in order of trust, is:
 *
 * 1. the JSON itself: `account.login`, `owner.login` or an API `url` / `html_url` such as
 *    `https://api.github.com/repos/OWNER/REPO/keys/1` or `.../orgs/ORG/hooks/1`;
 * 2. for workflow files, the `origin` remote in `.git/config` of the checkout holding `.github/`;
 * 3. the file's path mirroring the API path: `.../orgs/ORG/...`, `.../repos/OWNER/REPO/...`
 *    (optionally `.../environments/ENV/...`), or `.../OWNER/REPO/.github/workflows/x.yml`;
 * 4. otherwise unknown: records are kept under the owner `unknown` and a note says so.
 */
export interface GithubContext {
  org?: string;
  repo?: string;
  environment?: string;
}

/** Owner and repository from a GitHub web or API URL (github.com or GHES `/api/v3`). */
export function fromUrl(url: string | undefined): GithubContext {
  if (!url) return {};
  const repo = /\/repos\/([^/?#]+)\/([^/?#]+)/.exec(url);
  if (repo) return { org: repo[1]!, repo: repo[2]! };
  const org = /\/(?:orgs|organizations)\/([^/?#]+)/.exec(url);
  // `/organizations/652551/...` carries the numeric org id, not its login.
  if (org && !/^\d+$/.test(org[1]!)) return { org: org[1]! };
  const web = /^https?:\/\/(?:www\.)?github\.com\/([^/?#]+)\/([^/?#]+?)(?:\.git)?(?:[/?#]|$)/.exec(url);
  if (web && !['orgs', 'organizations', 'settings', 'apps'].includes(web[1]!))
    return { org: web[1]!, repo: web[2]! };
  return {};
}

/** Context from the file's path (rule 3). */
export function fromPath(file: SourceFile): GithubContext {
  const segs = segments(file);
  const last = segs.length - 1;
  const out: GithubContext = {};
  const abs = segs.lastIndexOf('.github');
  if (abs >= 1 && segs[abs + 1] === 'workflows') {
    // Only folders inside the imported tree may name the owner (an absolute path's parents are
    // the importer's own folders); the checkout folder itself names the repository.
    const shown = file.display.split(/[\\/]+/).filter(Boolean);
    const gh = shown.lastIndexOf('.github');
    if (gh >= 2) return { org: shown[gh - 2]!, repo: shown[gh - 1]! };
    return { repo: segs[abs - 1]! };
  }
  const r = segs.lastIndexOf('repos');
  if (r >= 0 && r + 2 < last) {
    out.org = segs[r + 1]!;
    out.repo = segs[r + 2]!;
  } else {
    const o = segs.lastIndexOf('orgs');
    if (o >= 0 && o + 1 < last) out.org = segs[o + 1]!;
  }
  const e = segs.lastIndexOf('environments');
  if (e >= 0 && e + 1 < last) out.environment = segs[e + 1]!;
  return out;
}

/** Rule 2: the checkout's `origin` remote, when the workflow file sits in a git working tree. */
export function fromGitRemote(file: SourceFile): GithubContext {
  const i = file.path.lastIndexOf(`${path.sep}.github${path.sep}`);
  if (i < 0) return {};
  try {
    const config = readFileSync(path.join(file.path.slice(0, i), '.git', 'config'), 'utf8');
    const origin = /\[remote "origin"\][^[]*?url\s*=\s*(\S+)/.exec(config)?.[1];
    const m = origin && /github[^:/]*[:/]+([^/]+)\/([^/\s]+?)(?:\.git)?$/.exec(origin);
    return m ? { org: m[1]!, repo: m[2]! } : {};
  } catch {
    return {};
  }
}

export const UNKNOWN_OWNER = 'unknown';
