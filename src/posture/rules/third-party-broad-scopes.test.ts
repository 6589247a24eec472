import { describe, expect, it } from 'vitest';
import { identity, postureInput } from '../test-utils/posture-fixtures.js';
import { expectFinding, findingOn, runRule } from '../test-utils/rule-harness.js';
import { thirdPartyBroadScopes } from './third-party-broad-scopes.js';

const ID = 'third-party-broad-scopes';
const MAIL = 'https://mail.google.com/';
const DRIVE = 'https://www.googleapis.com/auth/drive';

function oauth(nativeId: string, provider: string, attributes: Record<string, unknown>, thirdParty = true) {
  return identity({ nativeId, provider, kind: 'oauth-grant', thirdParty, attributes });
}

describe('third-party-broad-scopes', () => {
  it('flags a vendor app holding full mailbox and Drive scopes (medium for two)', () => {
    const app = oauth('1234.apps.googleusercontent.com', 'google-workspace', {
      scopes: [MAIL, DRIVE, 'openid'],
      users: 12,
    });
    const f = runRule(thirdPartyBroadScopes, postureInput({ identities: [app] }));
    expectFinding(findingOn(f, app.nativeId), {
      ruleId: ID,
      subject: app.nativeId,
      severity: 'medium',
      owaspNhi: ['NHI3', 'NHI5'],
      message: [`Third-party ${app.nativeId} holds broad scopes: ${MAIL}, ${DRIVE}.`],
      evidence: {
        broadScopes: [MAIL, DRIVE],
        scopes: [MAIL, DRIVE, 'openid'],
        repositorySelection: null,
        users: 12,
      },
    });
  });

  it('is high from three broad scopes (Microsoft Graph tenant-wide permissions, space-separated)', () => {
    const app = oauth('00000000-aaaa-bbbb-cccc-000000000001', 'azure', {
      scopes: 'User.Read Mail.ReadWrite Files.ReadWrite.All Directory.ReadWrite.All',
    });
    const f = runRule(thirdPartyBroadScopes, postureInput({ identities: [app] }));
    expectFinding(findingOn(f, app.nativeId), {
      ruleId: ID,
      subject: app.nativeId,
      severity: 'high',
      owaspNhi: ['NHI3', 'NHI5'],
      evidence: { broadScopes: ['Mail.ReadWrite', 'Files.ReadWrite.All', 'Directory.ReadWrite.All'] },
    });
  });

  it('is high for a GitHub App installed on all repositories with write permissions', () => {
    const app = oauth('github:acme/app-installation/42', 'github', {
      permissions: { contents: 'write', metadata: 'read', pull_requests: 'write' },
      repositorySelection: 'all',
    });
    const f = runRule(thirdPartyBroadScopes, postureInput({ identities: [app] }));
    expectFinding(findingOn(f, app.nativeId), {
      ruleId: ID,
      subject: app.nativeId,
      severity: 'high',
      owaspNhi: ['NHI3', 'NHI5'],
      evidence: { broadScopes: ['contents:write', 'pull_requests:write'], repositorySelection: 'all' },
    });
  });

  it('is silent for the same GitHub App limited to selected repositories', () => {
    const app = oauth('github:acme/app-installation/43', 'github', {
      permissions: { contents: 'write', metadata: 'read' },
      repositorySelection: 'selected',
    });
    expect(runRule(thirdPartyBroadScopes, postureInput({ identities: [app] }))).toEqual([]);
  });

  it('ignores narrow scopes, and read-only variants of broad ones', () => {
    const slack = oauth('A0123', 'slack', { scopes: ['chat:write', 'users:read', 'channels:read'] });
    const google = oauth('5678.apps.googleusercontent.com', 'google-workspace', {
      scopes: ['openid', 'email', 'https://www.googleapis.com/auth/calendar.readonly'],
    });
    expect(runRule(thirdPartyBroadScopes, postureInput({ identities: [slack, google] }))).toEqual([]);
  });

  it('ignores broad scopes on internal apps and on revoked vendor grants', () => {
    const internal = oauth('internal', 'azure', { scopes: ['Directory.ReadWrite.All'] }, false);
    const revoked = identity({
      nativeId: 'revoked',
      provider: 'google-workspace',
      kind: 'oauth-grant',
      thirdParty: true,
      status: 'revoked',
      attributes: { scopes: [MAIL] },
    });
    expect(runRule(thirdPartyBroadScopes, postureInput({ identities: [internal, revoked] }))).toEqual([]);
  });

  it("treats Drive's per-file scopes (drive.file, drive.appdata) as narrow, drive.readonly as broad", () => {
    const narrow = oauth('9.apps.googleusercontent.com', 'google-workspace', {
      scopes: [`${DRIVE}.file`, `${DRIVE}.appdata`, 'openid'],
    });
    expect(runRule(thirdPartyBroadScopes, postureInput({ identities: [narrow] }))).toEqual([]);
    const reader = oauth('10.apps.googleusercontent.com', 'google-workspace', {
      scopes: [`${DRIVE}.readonly`, MAIL],
    });
    const f = runRule(thirdPartyBroadScopes, postureInput({ identities: [reader] }));
    expect(findingOn(f, reader.nativeId).evidence.broadScopes).toEqual([`${DRIVE}.readonly`, MAIL]);
  });
});
