// Acme's Microsoft Entra ID, as Microsoft Graph v1.0 returns it (one JSON page per collection):
//   entra/applications.json                 GET /applications?$expand=owners
//   entra/servicePrincipals.json            GET /servicePrincipals
//   entra/oauth2PermissionGrants.json       GET /oauth2PermissionGrants
//   entra/servicePrincipals/<id>/appRoleAssignments.json   GET /servicePrincipals/{id}/appRoleAssignments
// Shapes: https://learn.microsoft.com/en-us/graph/api/resources/application ,
// .../serviceprincipal , .../oauth2permissiongrant , .../approleassignment. Graph never returns
// secret values (secretText is null in listings); only the 3-character `hint`.

const GRAPH_APP_ID = '00000003-0000-0000-c000-000000000000';
const MICROSOFT_SERVICES_TENANT = 'f8cdef31-a31e-4b4a-93e4-5f571e91255a';
// Microsoft Graph permission ids: https://learn.microsoft.com/en-us/graph/permissions-reference
const APP_ROLES = {
  'Mail.ReadWrite': 'e2a3a72e-5f79-4c64-b1b1-878b674786c9',
  'User.Read.All': 'df021288-bdef-4463-88db-98f22de89214',
  'Application.ReadWrite.All': '1bfefb4e-e0b5-418b-a88f-73c46d2cc8e9',
  'Sites.ReadWrite.All': '9492366f-7969-46a4-8d15-ed1a20078fff',
};
const SCOPES = {
  'User.Read': 'e1fe6dd8-ba31-4d61-89e7-88639da4683d',
  'Mail.ReadWrite': '024d486e-b451-40bb-833d-3e66d98c5c73',
};

export function generate(world, out) {
  const { rng, entra } = world;
  const ctx = (what) => `https://graph.microsoft.com/v1.0/$metadata#${what}`;
  const graphTime = (iso) => iso.replace(/\.\d{3}Z$/, 'Z');
  const person = (email) => world.people.find((p) => p.email === email);
  const userObject = (email) => {
    const p = person(email);
    return {
      '@odata.type': '#microsoft.graph.user',
      id: rng.uuid(),
      displayName: p?.name ?? email,
      mail: email,
      userPrincipalName: email,
    };
  };
  const secret = (displayName, startDaysAgo, years) => {
    const start = rng.daysAgo(startDaysAgo);
    const end = new Date(Date.parse(start) + years * 365.25 * 86400e3).toISOString();
    return {
      customKeyIdentifier: null,
      displayName,
      endDateTime: graphTime(end),
      hint: rng.chars(3),
      keyId: rng.uuid(),
      secretText: null,
      startDateTime: graphTime(start),
    };
  };
  const apps = [];
  const sps = [];
  const grants = [];
  const assignments = new Map();

  const graphSp = {
    id: rng.uuid(),
    appId: GRAPH_APP_ID,
    displayName: 'Microsoft Graph',
    servicePrincipalType: 'Application',
    appOwnerOrganizationId: MICROSOFT_SERVICES_TENANT,
    accountEnabled: true,
    tags: [],
    passwordCredentials: [],
    keyCredentials: [],
  };
  sps.push(graphSp);

  // Acme's own app registrations: the agents' apps (client secrets, application permissions) and
  // the background apps of ordinary services. One has a client secret valid for five years.
  const appIdentities = world.identities.filter((i) => i.provider === 'azure' && i.kind === 'oauth-app');
  const hrIdentity = appIdentities.find((i) => i.agents.length > 0) ?? appIdentities[0];
  const hrAgent = world.agents.find((a) => a.name === hrIdentity.agents[0]);
  for (const idn of appIdentities) {
    const agent = world.agents.find((a) => a.name === idn.agents[0]);
    const ownerEmail = idn.owner ?? agent?.owner;
    const roles = idn.meta.graphAppRoles ?? [];
    const app = {
      id: rng.uuid(),
      appId: idn.id,
      displayName: idn.meta.displayName,
      createdDateTime: graphTime(rng.daysAgo(rng.int(200, 900))),
      signInAudience: 'AzureADMyOrg',
      publisherDomain: entra.domain,
      identifierUris: [],
      tags: [],
      passwordCredentials: [
        secret(agent ? `${agent.name}-prod` : 'default', rng.int(30, 600), idn.meta.secretYears ?? 2),
      ],
      keyCredentials: [],
      requiredResourceAccess: [
        {
          resourceAppId: GRAPH_APP_ID,
          resourceAccess: [
            ...roles.map((r) => ({ id: APP_ROLES[r], type: 'Role' })),
            { id: SCOPES['User.Read'], type: 'Scope' },
          ],
        },
      ],
      owners: ownerEmail ? [userObject(ownerEmail)] : [],
    };
    apps.push(app);
    const sp = {
      id: rng.uuid(),
      appId: app.appId,
      displayName: app.displayName,
      servicePrincipalType: 'Application',
      appOwnerOrganizationId: entra.tenantId,
      accountEnabled: true,
      tags: ['WindowsAzureActiveDirectoryIntegratedApp', ...(agent ? [`agent=${agent.name}`] : [])],
      passwordCredentials: [],
      keyCredentials: [],
    };
    sps.push(sp);
    if (roles.length > 0) {
      assignments.set(
        sp.id,
        roles.map((r) => ({
          id: rng.chars(43),
          appRoleId: APP_ROLES[r],
          createdDateTime: graphTime(rng.daysAgo(240)),
          deletedDateTime: null,
          principalDisplayName: sp.displayName,
          principalId: sp.id,
          principalType: 'ServicePrincipal',
          resourceDisplayName: 'Microsoft Graph',
          resourceId: graphSp.id,
        })),
      );
    }
  }

  // An internal automation app whose owner has left, with an expired certificate and a live secret.
  const leaver = world.people.filter((p) => p.status === 'departed')[1];
  const syncApp = {
    id: rng.uuid(),
    appId: rng.uuid(),
    displayName: 'sharepoint-sync-bot',
    createdDateTime: graphTime(rng.daysAgo(900)),
    signInAudience: 'AzureADMyOrg',
    publisherDomain: entra.domain,
    identifierUris: [],
    tags: [],
    passwordCredentials: [secret('legacy', 700, 2)],
    keyCredentials: [
      {
        customKeyIdentifier: rng.hex(40).toUpperCase(),
        displayName: 'CN=sharepoint-sync-bot',
        endDateTime: graphTime(rng.daysAgo(30)),
        key: null,
        keyId: rng.uuid(),
        startDateTime: graphTime(rng.daysAgo(395)),
        type: 'AsymmetricX509Cert',
        usage: 'Verify',
      },
    ],
    requiredResourceAccess: [
      {
        resourceAppId: GRAPH_APP_ID,
        resourceAccess: [
          { id: APP_ROLES['Sites.ReadWrite.All'], type: 'Role' },
          { id: APP_ROLES['Application.ReadWrite.All'], type: 'Role' },
        ],
      },
    ],
    owners: [userObject(leaver.email)],
  };
  apps.push(syncApp);
  const syncSp = {
    id: rng.uuid(),
    appId: syncApp.appId,
    displayName: syncApp.displayName,
    servicePrincipalType: 'Application',
    appOwnerOrganizationId: entra.tenantId,
    accountEnabled: true,
    tags: ['WindowsAzureActiveDirectoryIntegratedApp'],
    passwordCredentials: [],
    keyCredentials: [],
  };
  sps.push(syncSp);
  assignments.set(syncSp.id, [
    {
      id: rng.chars(43),
      appRoleId: APP_ROLES['Sites.ReadWrite.All'],
      createdDateTime: graphTime(rng.daysAgo(880)),
      deletedDateTime: null,
      principalDisplayName: syncSp.displayName,
      principalId: syncSp.id,
      principalType: 'ServicePrincipal',
      resourceDisplayName: 'Microsoft Graph',
      resourceId: graphSp.id,
    },
    {
      id: rng.chars(43),
      appRoleId: APP_ROLES['Application.ReadWrite.All'],
      createdDateTime: graphTime(rng.daysAgo(880)),
      deletedDateTime: null,
      principalDisplayName: syncSp.displayName,
      principalId: syncSp.id,
      principalType: 'ServicePrincipal',
      resourceDisplayName: 'Microsoft Graph',
      resourceId: graphSp.id,
    },
  ]);

  // Third parties consented tenant-wide: the vendor finance copilot of the world, and a mail
  // assistant nobody declared with Mail.ReadWrite on every mailbox.
  const vendorTenant = rng.uuid();
  for (const idn of world.identities.filter((i) => i.provider === 'azure' && i.kind !== 'oauth-app')) {
    const sp = {
      id: rng.uuid(),
      appId: idn.id,
      displayName: idn.meta.displayName,
      servicePrincipalType: 'Application',
      appOwnerOrganizationId: vendorTenant,
      publisherName: 'FinCo Labs',
      accountEnabled: true,
      // Admins tag enterprise apps in the tenant; Acme tags them with the agent they serve.
      tags: ['WindowsAzureActiveDirectoryIntegratedApp', ...idn.agents.map((a) => `agent=${a}`)],
      passwordCredentials: [],
      keyCredentials: [],
    };
    sps.push(sp);
    grants.push({
      clientId: sp.id,
      consentType: idn.meta.consentType ?? 'AllPrincipals',
      id: rng.chars(43),
      principalId: null,
      resourceId: graphSp.id,
      scope: ['openid', 'offline_access', ...(idn.meta.delegatedScopes ?? [])].join(' '),
    });
  }
  const mailSp = {
    id: rng.uuid(),
    appId: rng.uuid(),
    displayName: 'InboxZero AI',
    servicePrincipalType: 'Application',
    appOwnerOrganizationId: rng.uuid(),
    publisherName: 'InboxZero Inc',
    accountEnabled: true,
    tags: ['WindowsAzureActiveDirectoryIntegratedApp'],
    passwordCredentials: [],
    keyCredentials: [],
  };
  sps.push(mailSp);
  grants.push({
    clientId: mailSp.id,
    consentType: 'AllPrincipals',
    id: rng.chars(43),
    principalId: null,
    resourceId: graphSp.id,
    scope: 'User.Read Mail.ReadWrite offline_access',
  });
  // One user consented for themselves only.
  grants.push({
    clientId: mailSp.id,
    consentType: 'Principal',
    id: rng.chars(43),
    principalId: rng.uuid(),
    resourceId: graphSp.id,
    scope: 'Calendars.ReadWrite',
  });

  // A user-assigned managed identity used by an Azure Function of the HR agent.
  sps.push({
    id: rng.uuid(),
    appId: rng.uuid(),
    displayName: 'id-hr-copilot-func',
    servicePrincipalType: 'ManagedIdentity',
    appOwnerOrganizationId: null,
    accountEnabled: true,
    alternativeNames: [
      'isExplicit=True',
      `/subscriptions/${rng.uuid()}/resourcegroups/rg-hr-copilot/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-hr-copilot-func`,
    ],
    servicePrincipalNames: [],
    tags: [`agent=${hrAgent.name}`],
    passwordCredentials: [],
    keyCredentials: [],
  });

  out.json('entra/applications.json', { '@odata.context': ctx('applications(owners())'), value: apps });
  out.json('entra/servicePrincipals.json', { '@odata.context': ctx('servicePrincipals'), value: sps });
  out.json('entra/oauth2PermissionGrants.json', {
    '@odata.context': ctx('oauth2PermissionGrants'),
    value: grants,
  });
  for (const [spId, list] of assignments) {
    out.json(`entra/servicePrincipals/${spId}/appRoleAssignments.json`, {
      '@odata.context': ctx(`servicePrincipals('${spId}')/appRoleAssignments`),
      value: list,
    });
  }
}
