import { recordId } from '../../model/index.js';
import type { Snapshot } from '../snapshot.js';
import { emptyDerived, type Derived } from './derived.js';

/*
 * GitHub pivots: whoever can push to a repository can change its workflows
 * (https://docs.github.com/en/actions/security-for-github-actions/security-guides/security-hardening-for-github-actions),
 * so write on `github:OWNER/REPO` reaches every workflow resource of that repository, and from there
 * what the workflow connector stored: `exposes` edges to the Actions secrets it receives and
 * `can-assume` edges to the cloud roles it assumes through OIDC
 * (https://docs.github.com/en/actions/security-for-github-actions/security-hardening-your-deployments/about-security-hardening-with-openid-connect).
 * Deploy keys with write and app/PAT grants arrive as grants from the REST connector.
 */
export function githubPivots(s: Snapshot): Derived {
  const out = emptyDerived();
  for (const r of s.resources) {
    if (r.provider !== 'github' || r.type !== 'workflow') continue;
    const repo = typeof r.attributes?.repository === 'string' ? r.attributes.repository : undefined;
    if (!repo) continue;
    const repoKey = recordId.resource('github', `github:${repo}`);
    out.nodes.push({
      key: repoKey,
      kind: 'resource',
      nativeId: `github:${repo}`,
      provider: 'github',
      type: 'repository',
      account: repo.split('/')[0]!,
    });
    out.edges.push({
      from: repoKey,
      to: r.id,
      kind: 'exposes',
      level: 'write',
      technique: 'github-workflow-change',
      note: `push to ${repo} changes ${String(r.attributes?.file ?? r.nativeId)}`,
    });
  }
  return out;
}
