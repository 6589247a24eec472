import type { ImportItem } from '../../store/index.js';
import type { Connector, ConnectorContext } from '../core/types.js';
import type { SourceFile } from '../core/source-file.js';
import {
  accountOf,
  flatTags,
  headHas,
  invalid,
  isObject,
  isoDate,
  note,
  parseArn,
  PROVIDER,
  ptr,
  runFacts,
  RUN_FACTS_SHARING,
  skip,
  str,
  strings,
  type Json,
} from './aws-common.js';
import { decodePolicyDocument, parsePolicy, trustPrincipals, type ParsedPolicy } from './iam-policy.js';
import {
  attachedArns,
  grantsOf,
  inlinePolicy,
  listAt,
  maxOf,
  permissionEdge,
  policyProblems,
  type PolicyGrants,
} from './iam-grants.js';

/**
 * `aws iam get-account-authorization-details` (the CLI merges pages) and raw API pages
 * (`IsTruncated`/`Marker`), https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetAccountAuthorizationDetails.html
 * and https://docs.aws.amazon.com/cli/latest/reference/iam/get-account-authorization-details.html .
 */
export const authorizationDetailsConnector: Connector = {
  id: 'aws-authorization-details',
  title: 'AWS IAM get-account-authorization-details',
  ...RUN_FACTS_SHARING,
  // Before list-access-keys, the credential report and resource listings, which use the names,
  // instance profiles and roles it learns (see RunFacts).
  order: 6,
  detect(file) {
    if (file.firstChar() !== '{') return 0;
    const keys = ['"UserDetailList"', '"RoleDetailList"', '"GroupDetailList"'].filter((k) =>
      file.head().includes(k),
    ).length;
    if (keys >= 2) return 0.95;
    if (keys === 1) return 0.8;
    return headHas(file, 'GetAccountAuthorizationDetailsResult') ? 0.9 : 0;
  },
  read: readAuthorizationDetails,
};

/** The account of the first principal or group with a readable Arn (the lists hold one account). */
function firstAccount(lists: (unknown[] | undefined)[]): string | undefined {
  for (const list of lists) {
    for (const x of list ?? []) {
      const a = isObject(x) ? accountOf(str(x.Arn)) : undefined;
      if (a) return a;
    }
  }
  return undefined;
}

/** Tag keys whose value names a person responsible for the principal. */
const OWNER_TAGS = [
  'owner',
  'Owner',
  'OWNER',
  'owner-email',
  'created_by',
  'CreatedBy',
  'created-by',
  'contact',
];

async function* readAuthorizationDetails(
  file: SourceFile,
  ctx: ConnectorContext,
): AsyncGenerator<ImportItem> {
  let doc = await file.json();
  if (isObject(doc) && isObject(doc.GetAccountAuthorizationDetailsResponse))
    doc = doc.GetAccountAuthorizationDetailsResponse;
  if (isObject(doc) && isObject(doc.GetAccountAuthorizationDetailsResult))
    doc = doc.GetAccountAuthorizationDetailsResult;
  if (!isObject(doc))
    throw invalid(
      file,
      'expected a JSON object with UserDetailList, GroupDetailList, RoleDetailList, Policies',
    );
  const users = listAt(doc, 'UserDetailList');
  const groups = listAt(doc, 'GroupDetailList');
  const roles = listAt(doc, 'RoleDetailList');
  const policies = listAt(doc, 'Policies');
  if (!users && !groups && !roles && !policies)
    throw invalid(file, 'no UserDetailList, GroupDetailList, RoleDetailList or Policies array');
  if (doc.IsTruncated === true) {
    yield note(
      '/IsTruncated',
      `one page of a paginated export (Marker ${String(doc.Marker ?? '?')}): principals and policies of other pages come from their own files`,
    );
  }
  const facts = runFacts(ctx);
  const account = firstAccount([users, roles, groups]);

  // Managed policies: resources with every version, and their default version's statements.
  const managed = new Map<string, PolicyGrants>();
  for (let i = 0; i < (policies?.length ?? 0); i++) {
    const p = policies![i];
    const at = ptr('Policies', i);
    const arn = isObject(p) ? str(p.Arn) : undefined;
    if (!isObject(p) || !arn) {
      yield skip(at, 'managed policy without Arn');
      continue;
    }
    const versions: Json[] = [];
    let parsed: ParsedPolicy | undefined;
    const list = Array.isArray(p.PolicyVersionList) ? p.PolicyVersionList : [];
    for (let v = 0; v < list.length; v++) {
      const ver = list[v];
      if (!isObject(ver)) continue;
      const document = decodePolicyDocument(ver.Document);
      if (!document) {
        yield skip(
          `${at}/PolicyVersionList/${v}/Document`,
          'policy document is neither JSON nor URL-encoded JSON',
        );
        continue;
      }
      const isDefault =
        ver.IsDefaultVersion === true ||
        (ver.VersionId !== undefined && ver.VersionId === p.DefaultVersionId);
      versions.push({ versionId: ver.VersionId, isDefault, createDate: isoDate(ver.CreateDate), document });
      if (isDefault) {
        parsed = parsePolicy(document);
        yield* policyProblems(parsed, `${at}/PolicyVersionList/${v}/Document`);
      }
    }
    if (!parsed)
      yield note(at, `managed policy ${arn} has no readable default version; its grants are unknown`);
    else managed.set(arn, { arn, parsed, level: maxOf(parsed) });
    facts.policies.set(
      arn,
      managed.get(arn) ?? { arn, parsed: { statements: [], problems: [] }, level: 'none' },
    );
    const awsManaged = arn.includes(':iam::aws:policy/');
    yield {
      type: 'resource',
      value: {
        provider: PROVIDER,
        nativeId: arn,
        type: 'aws-iam-policy',
        name: str(p.PolicyName) ?? parseArn(arn)?.name ?? arn,
        ...(accountOf(arn) ? { account: accountOf(arn)! } : {}),
        ...(parsed ? { sensitivity: maxOf(parsed) === 'admin' ? 'high' : 'medium' } : {}),
        attributes: {
          policyId: p.PolicyId,
          path: p.Path,
          defaultVersionId: p.DefaultVersionId,
          awsManaged,
          attachmentCount: p.AttachmentCount,
          permissionsBoundaryUsageCount: p.PermissionsBoundaryUsageCount,
          isAttachable: p.IsAttachable,
          createdAt: isoDate(p.CreateDate),
          updatedAt: isoDate(p.UpdateDate),
          level: parsed ? maxOf(parsed) : undefined,
          versions,
        },
      },
    };
  }
  const policyOf = (arn: string): PolicyGrants | undefined => managed.get(arn) ?? facts.policies.get(arn);

  // Groups are not NHIs: resources that users are members of, carrying their own policies.
  const groupByName = new Map<
    string,
    { arn: string; items: (origin: string) => { origin: string; via: string; parsed: ParsedPolicy }[] }
  >();
  for (let i = 0; i < (groups?.length ?? 0); i++) {
    const g = groups![i];
    const at = ptr('GroupDetailList', i);
    const arn = isObject(g) ? str(g.Arn) : undefined;
    const name = isObject(g) ? str(g.GroupName) : undefined;
    if (!isObject(g) || !arn || !name) {
      yield skip(at, 'group without Arn or GroupName');
      continue;
    }
    const inline: { origin: string; via: string; parsed: ParsedPolicy }[] = [];
    const inlineList = Array.isArray(g.GroupPolicyList) ? g.GroupPolicyList : [];
    for (let j = 0; j < inlineList.length; j++) {
      const ip = inlineList[j];
      const r = inlinePolicy(ip, `${at}/GroupPolicyList/${j}`);
      if ('problem' in r) {
        yield skip(r.at, r.problem);
        continue;
      }
      yield* policyProblems(r.parsed, `${at}/GroupPolicyList/${j}/PolicyDocument`);
      inline.push({
        origin: `group/${name}/inline/${r.name}`,
        via: `inline policy ${r.name} of group ${arn}`,
        parsed: r.parsed,
      });
    }
    const attached = attachedArns(g.AttachedManagedPolicies);
    groupByName.set(name, {
      arn,
      items: () => [
        ...inline,
        ...attached.flatMap((pa) => {
          const pg = policyOf(pa);
          return pg
            ? [{ origin: `group/${name}/${pa}`, via: `${pa} attached to group ${arn}`, parsed: pg.parsed }]
            : [];
        }),
      ],
    });
    yield {
      type: 'resource',
      value: {
        provider: PROVIDER,
        nativeId: arn,
        type: 'aws-iam-group',
        name,
        ...(accountOf(arn) ? { account: accountOf(arn)! } : {}),
        attributes: {
          groupId: g.GroupId,
          path: g.Path,
          createdAt: isoDate(g.CreateDate),
          attachedPolicies: attached,
          inlinePolicies: inline.map((x) => x.origin.slice(`group/${name}/inline/`.length)),
        },
      },
    };
    for (const pa of attached)
      yield permissionEdge({ type: 'resource', provider: PROVIDER, nativeId: arn }, pa, policyOf(pa));
  }

  // Principals of this export, so trust policies can be turned into can-assume edges.
  const known = new Map<string, string>();
  for (const list of [users, roles]) {
    for (const x of list ?? []) {
      if (!isObject(x)) continue;
      const arn = str(x.Arn);
      if (!arn) continue;
      known.set(arn, arn);
      if (typeof x.UserId === 'string') known.set(x.UserId, arn);
      if (typeof x.RoleId === 'string') known.set(x.RoleId, arn);
      const name = str(x.UserName) ?? str(x.RoleName);
      if (name) (x.RoleName ? facts.roleArns : facts.userArns).set(name, arn);
    }
  }

  // for-of rather than yield*: yield* of a sync generator inside an async one wraps every item in
  // an async-from-sync iterator, a measurable cost over hundreds of thousands of grants.
  for (let i = 0; i < (users?.length ?? 0); i++) {
    for (const item of readPrincipal(users![i], ptr('UserDetailList', i), 'user')) yield item;
  }
  for (let i = 0; i < (roles?.length ?? 0); i++) {
    for (const item of readPrincipal(roles![i], ptr('RoleDetailList', i), 'role')) yield item;
  }

  function* readPrincipal(x: unknown, at: string, kind: 'user' | 'role'): Generator<ImportItem> {
    const arn = isObject(x) ? str(x.Arn) : undefined;
    const parts = arn ? parseArn(arn) : undefined;
    if (!isObject(x) || !arn || !parts) {
      yield skip(at, `${kind} without a valid Arn`);
      return;
    }
    const ref = { provider: PROVIDER, nativeId: arn };
    const acct = /^\d{12}$/.test(parts.account) ? parts.account : undefined;
    const name = str(kind === 'user' ? x.UserName : x.RoleName) ?? parts.name;
    const tags = flatTags(x.Tags);
    const attached = attachedArns(x.AttachedManagedPolicies);
    // Inline policies are read before the identity is yielded, so it carries their names.
    const listKey = kind === 'user' ? 'UserPolicyList' : 'RolePolicyList';
    const inlineList = Array.isArray(x[listKey]) ? (x[listKey] as unknown[]) : [];
    const inline = inlineList.map((ip, j) => {
      const pAt = `${at}/${listKey}/${j}`;
      return { pAt, ...inlinePolicy(ip, pAt) };
    });
    const inlineNames = inline.flatMap((r) => ('name' in r ? [r.name] : []));
    const attributes: Json = {
      path: x.Path ?? parts.path,
      accountId: acct ?? account,
      tags,
      attachedPolicies: attached,
      inlinePolicies: inlineNames,
    };
    if (kind === 'user') attributes.userId = x.UserId;
    else attributes.roleId = x.RoleId;
    const pb = isObject(x.PermissionsBoundary)
      ? str(x.PermissionsBoundary.PermissionsBoundaryArn)
      : undefined;
    if (pb) attributes.permissionsBoundary = pb;
    const owner = OWNER_TAGS.map((k) => tags[k]).find((v) => v);
    const items: ImportItem[] = [];
    let lastUsedAt: string | undefined;

    if (kind === 'role') {
      const trustDoc = decodePolicyDocument(x.AssumeRolePolicyDocument);
      if (x.AssumeRolePolicyDocument !== undefined && !trustDoc) {
        items.push(
          skip(`${at}/AssumeRolePolicyDocument`, 'trust policy is neither JSON nor URL-encoded JSON'),
        );
      }
      if (trustDoc) {
        attributes.trustPolicy = trustDoc;
        const tp = trustPrincipals(parsePolicy(trustDoc));
        attributes.trustedPrincipals = tp.aws;
        attributes.trustedServices = tp.services;
        attributes.trustedFederated = tp.federated;
        attributes.trustsAnyone = tp.anyone;
        attributes.trustedAccounts = [
          ...new Set(
            tp.aws
              .filter((p) => /^\d{12}$/.test(p) || /:root$/.test(p))
              .map((p) => (p.match(/\d{12}/) ?? [p])[0]!),
          ),
        ];
        for (const p of tp.aws) {
          const from = known.get(p);
          if (!from || from === arn) continue;
          items.push({
            type: 'edge',
            value: {
              kind: 'can-assume',
              from: { type: 'identity', provider: PROVIDER, nativeId: from },
              to: { type: 'identity', ...ref },
              ...(tp.conditions.length ? { attributes: { conditions: tp.conditions } } : {}),
            },
          });
        }
      }
      const profiles = Array.isArray(x.InstanceProfileList) ? x.InstanceProfileList.filter(isObject) : [];
      attributes.instanceProfiles = profiles.map((ip) => ({
        name: ip.InstanceProfileName,
        arn: ip.Arn,
        id: ip.InstanceProfileId,
      }));
      for (const ip of profiles) if (typeof ip.Arn === 'string') facts.profileRoles.set(ip.Arn, arn);
      if (isObject(x.RoleLastUsed)) {
        lastUsedAt = isoDate(x.RoleLastUsed.LastUsedDate);
        if (typeof x.RoleLastUsed.Region === 'string') attributes.lastUsedRegion = x.RoleLastUsed.Region;
      }
    } else {
      attributes.groups = strings(x.GroupList);
    }

    const createdAt = isoDate(x.CreateDate);
    yield {
      type: 'identity',
      value: {
        ...ref,
        kind: kind === 'user' ? 'cloud-user' : 'cloud-role',
        name,
        ...(acct ? { account: acct } : {}),
        ...(createdAt ? { createdAt } : {}),
        ...(lastUsedAt ? { lastUsedAt } : {}),
        ...(owner ? { ownerRef: owner } : {}),
        status: 'active',
        attributes,
      },
    };
    yield* items;

    for (const r of inline) {
      if ('problem' in r) {
        yield skip(r.at, r.problem);
        continue;
      }
      yield* policyProblems(r.parsed, `${r.pAt}/PolicyDocument`);
      yield* grantsOf(ref, `inline/${r.name}`, `inline policy ${r.name}`, r.parsed);
    }
    for (const pa of attached) {
      const pg = policyOf(pa);
      if (!pg)
        yield note(
          `${at}/AttachedManagedPolicies`,
          `policy ${pa} is attached but not in this export; its grants are unknown`,
        );
      else yield* grantsOf(ref, pa, `managed policy ${pa}`, pg.parsed);
      yield permissionEdge({ type: 'identity', ...ref }, pa, pg);
    }
    if (kind === 'user') {
      for (const gname of strings(x.GroupList)) {
        const g = groupByName.get(gname);
        const garn = g?.arn ?? (acct ? `arn:aws:iam::${acct}:group/${gname}` : undefined);
        if (!g)
          yield note(`${at}/GroupList`, `group ${gname} is not in this export; its policies are unknown`);
        if (garn) {
          yield {
            type: 'edge',
            value: {
              kind: 'member-of',
              from: { type: 'identity', ...ref },
              to: { type: 'resource', provider: PROVIDER, nativeId: garn },
            },
          };
        }
        for (const it of g?.items(gname) ?? []) yield* grantsOf(ref, it.origin, it.via, it.parsed);
      }
    }
  }
}
