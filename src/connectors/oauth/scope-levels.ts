import type { AccessLevel } from '../../model/index.js';

/**
 * How much a third-party OAuth scope lets an app do.
 *
 * Google: scope URLs from https://developers.google.com/identity/protocols/oauth2/scopes; Google
 * calls Gmail and Drive full-access scopes "restricted" and admin directory scopes administrative
 * (https://support.google.com/cloud/answer/13464325). Slack: scope names from
 * https://api.slack.com/scopes; `admin.*` scopes administer the org, `*:write` scopes act.
 */
const G = 'https://www.googleapis.com/auth/';

export function googleScopeLevel(scope: string): AccessLevel {
  const s = scope.startsWith(G) ? scope.slice(G.length) : scope;
  if (/^admin\.|^cloud-platform$|^apps\.|^cloud-identity|^ediscovery|^script\./.test(s)) return 'admin';
  if (scope === 'https://mail.google.com/' || /^gmail\.(modify|send|compose|insert|settings)/.test(s))
    return 'write';
  if (/^(drive|drive\.file|calendar|contacts|spreadsheets|documents|presentations|forms|tasks)$/.test(s))
    return 'write';
  if (/^(openid|email|profile|userinfo\.)/.test(s)) return 'list';
  return 'read';
}

/** Broad scopes worth a finding: whole mailbox, whole Drive, directory administration, all of GCP. */
export function googleScopeBroad(scope: string): boolean {
  const s = scope.startsWith(G) ? scope.slice(G.length) : scope;
  return (
    scope === 'https://mail.google.com/' ||
    /^gmail\.(readonly|modify|compose|send|insert|metadata|settings\.basic|settings\.sharing)$/.test(s) ||
    /^drive(\.readonly|\.metadata|\.metadata\.readonly)?$/.test(s) ||
    /^admin\./.test(s) ||
    s === 'cloud-platform' ||
    /^script\.|^apps\./.test(s)
  );
}

export function slackScopeLevel(scope: string): AccessLevel {
  if (/^admin(\.|$)/.test(scope)) return 'admin';
  if (/:write|^chat:write|^files:write|^incoming-webhook$|^commands$|^bot$|^client$|^post$/.test(scope))
    return 'write';
  if (/^identity\.|^openid$|^email$|^profile$/.test(scope)) return 'list';
  return 'read';
}

const RANK: Record<AccessLevel, number> = { none: 0, list: 1, read: 2, write: 3, admin: 4 };

export function maxOf(levels: Iterable<AccessLevel>): AccessLevel {
  let out: AccessLevel = 'none';
  for (const l of levels) if (RANK[l] > RANK[out]) out = l;
  return out;
}
