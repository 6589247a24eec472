import type { ImportItem } from '../../store/index.js';
import type { Connector, ConnectorContext } from '../core/types.js';
import type { SourceFile } from '../core/source-file.js';
import {
  accountOf,
  invalid,
  isObject,
  isoDate,
  PROVIDER,
  ptr,
  runFacts,
  RUN_FACTS_SHARING,
  skip,
  str,
} from './aws-common.js';

/**
 * `aws iam list-access-keys [--user-name U]` -> `{AccessKeyMetadata: [{UserName, AccessKeyId,
 * Status, CreateDate}], IsTruncated?, Marker?}`
 * (https://docs.aws.amazon.com/IAM/latest/APIReference/API_ListAccessKeys.html). Also accepted: a
 * JSON array of such outputs, as a loop over users writes them.
 *
 * The access key id is the identity's nativeId (an identifier, not the secret). The output names
 * the user but not its ARN: the parent ARN comes from an authorization-details file of the same
 * import run when there is one (attributes.parent), else only attributes.userName is known.
 */
export const accessKeysConnector: Connector = {
  id: 'aws-list-access-keys',
  title: 'AWS IAM list-access-keys',
  ...RUN_FACTS_SHARING,
  // After authorization details (user ARNs), before the credential report (key ids per user).
  order: 7,
  detect(file) {
    const c = file.firstChar();
    if (c !== '{' && c !== '[') return 0;
    return file.head().includes('"AccessKeyMetadata"') ? 0.95 : 0;
  },
  read: readAccessKeys,
};

async function* readAccessKeys(file: SourceFile, ctx: ConnectorContext): AsyncGenerator<ImportItem> {
  const doc = await file.json();
  const pages: { page: unknown; at: string }[] = Array.isArray(doc)
    ? doc.map((page, i) => ({ page, at: ptr(i) }))
    : [{ page: doc, at: '' }];
  const facts = runFacts(ctx);
  let seen = false;
  for (const { page, at } of pages) {
    if (!isObject(page) || !Array.isArray(page.AccessKeyMetadata)) {
      if (Array.isArray(doc)) {
        yield skip(at || '/', 'not a list-access-keys output (no AccessKeyMetadata array)');
        continue;
      }
      throw invalid(file, 'expected {"AccessKeyMetadata": [...]}');
    }
    seen = true;
    const list = page.AccessKeyMetadata;
    for (let i = 0; i < list.length; i++) {
      const k = list[i];
      const kAt = `${at}/AccessKeyMetadata/${i}`;
      const id = isObject(k) ? str(k.AccessKeyId) : undefined;
      if (!isObject(k) || !id) {
        yield skip(kAt, 'access key without AccessKeyId');
        continue;
      }
      const userName = str(k.UserName);
      const parent = userName ? facts.userArns.get(userName) : undefined;
      const created = isoDate(k.CreateDate);
      const status = typeof k.Status === 'string' ? k.Status.toLowerCase() : undefined;
      if (userName) {
        const list2 = facts.keysByUser.get(userName) ?? [];
        list2.push({ id, ...(created ? { created } : {}), ...(status ? { status } : {}) });
        facts.keysByUser.set(userName, list2);
      }
      yield {
        type: 'identity',
        value: {
          provider: PROVIDER,
          nativeId: id,
          kind: 'access-key',
          name: userName ? `${userName} access key` : 'access key',
          ...(accountOf(parent) ? { account: accountOf(parent)! } : {}),
          ...(created ? { createdAt: created, lastRotatedAt: created } : {}),
          ...(status === 'active' || status === 'inactive' ? { status } : {}),
          attributes: {
            ...(parent ? { parent } : {}),
            ...(userName ? { userName } : {}),
            // AKIA = long-term user key; ASIA = temporary (STS) key.
            longTerm: id.startsWith('AKIA'),
          },
        },
      };
      if (parent) {
        yield {
          type: 'edge',
          value: {
            kind: 'member-of',
            from: { type: 'identity', provider: PROVIDER, nativeId: id },
            to: { type: 'identity', provider: PROVIDER, nativeId: parent },
            attributes: { relation: 'access-key-of' },
          },
        };
      }
    }
  }
  if (!seen) throw invalid(file, 'no AccessKeyMetadata array');
}
