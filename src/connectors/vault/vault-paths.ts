import type { SourceFile } from '../core/source-file.js';

/**
 * Where a Vault/OpenBao export came from. `vault read auth/approle/role/NAME` does not repeat the
 * role's name or mount in its output, so both come from the file's path, in this order:
 *
 * 1. folders mirroring the API path: `.../auth/<mount>/role/<name>.json`;
 * 2. a file name naming them: `auth-approle-role-ci.json`, `approle-role-ci.json`,
 *    `vault-read-auth-kubernetes-role-agent.json`, `kubernetes-role-agent.json`;
 * 3. `role-<name>.json` or the bare file name (noted: the mount is then taken from the data's shape).
 *
 * Auth methods: AppRole https://developer.hashicorp.com/vault/api-docs/auth/approle, Kubernetes
 * https://developer.hashicorp.com/vault/api-docs/auth/kubernetes, JWT/OIDC
 * https://developer.hashicorp.com/vault/api-docs/auth/jwt (OpenBao keeps the same API:
 * https://openbao.org/api-docs/auth/approle/).
 */
export interface VaultPathHint {
  mount?: string;
  name?: string;
  /** True when the name is only the file's base name (no explicit role marker). */
  guessed?: boolean;
}

const METHOD =
  '(approle|kubernetes|k8s|jwt|oidc|[a-z0-9_-]*approle[a-z0-9_-]*|[a-z0-9_-]*kubernetes[a-z0-9_-]*|[a-z0-9_-]*jwt[a-z0-9_-]*)';

export function hintFromPath(file: SourceFile): VaultPathHint {
  const segs = file.path.split(/[\\/]+/).filter(Boolean);
  const base = file.name.replace(/\.json(\.gz)?$/i, '');
  const a = segs.lastIndexOf('auth');
  if (a >= 0 && segs[a + 2] === 'role' && a + 3 === segs.length - 1)
    return { mount: segs[a + 1]!, name: base };
  // A list saved as `.../auth/<mount>/role.json` or `.../auth/<mount>/roles.json`.
  if (a >= 0 && a + 2 === segs.length - 1 && /^roles?$/.test(base)) return { mount: segs[a + 1]! };
  const m = new RegExp(
    `^(?:vault[-_.](?:read|list)[-_.])?(?:auth[-_.])?${METHOD}[-_.]roles?(?:[-_.](.+))?$`,
    'i',
  ).exec(base);
  if (m) return m[2] ? { mount: m[1]!.toLowerCase(), name: m[2] } : { mount: m[1]!.toLowerCase() };
  const r = /^(?:vault[-_.]read[-_.])?role[-_.](.+)$/i.exec(base);
  if (r) return { name: r[1]! };
  return { name: base.replace(/^vault[-_.]read[-_.]/i, ''), guessed: true };
}

/** Whether the path says this is a Vault export at all (for lists, whose JSON is just names). */
export function pathLooksVault(file: SourceFile): boolean {
  const p = file.path.toLowerCase();
  return (
    /vault|openbao|approle/.test(p) ||
    /[\\/]auth[\\/][^\\/]+[\\/]roles?(\.json)?$/.test(p) ||
    /(^|[\\/])(auth[-_.])?(approle|kubernetes|k8s|jwt|oidc)[-_.]roles?\.json$/.test(p)
  );
}

/** Auth method from a mount name (mounts are often named after their type, e.g. `approle`, `k8s-prod`). */
export function methodFromMount(mount: string | undefined): string | undefined {
  if (!mount) return undefined;
  const m = mount.toLowerCase();
  if (m.includes('approle')) return 'approle';
  if (m.includes('kubernetes') || m.startsWith('k8s')) return 'kubernetes';
  if (m.includes('oidc')) return 'oidc';
  if (m.includes('jwt')) return 'jwt';
  return undefined;
}
