import type { ImportItem } from '../../store/index.js';
import type { Connector, ConnectorContext } from '../core/types.js';
import type { SourceFile } from '../core/source-file.js';
import {
  invalid,
  isObject,
  note,
  PROVIDER,
  runFacts,
  RUN_FACTS_SHARING,
  skip,
  tagLinks,
} from './aws-common.js';
import { LISTING_SPECS, type ListingSpec } from './resource-listing-specs.js';

/**
 * Listings of workloads that run as a role, and of secrets: each entry becomes a `resource` with
 * a `runs-as` edge to the role identity (whoever controls the workload acts as the role) and, when
 * the workload carries an agent tag, a `tag` link from that agent to the role.
 */
function listingConnector(spec: ListingSpec): Connector {
  return {
    id: spec.id,
    title: spec.title,
    ...RUN_FACTS_SHARING,
    detect(file) {
      if (file.firstChar() !== '{') return 0;
      const h = file.head();
      if (![spec.key, ...(spec.altKeys ?? [])].some((k) => new RegExp(`"${k}"\\s*:`).test(h))) return 0;
      if (spec.also && !spec.also.every((a) => h.includes(a))) return 0;
      return 0.9;
    },
    read: (file, ctx) => readListing(spec, file, ctx),
  };
}

async function* readListing(
  spec: ListingSpec,
  file: SourceFile,
  ctx: ConnectorContext,
): AsyncGenerator<ImportItem> {
  let doc = await file.json();
  // `lambda get-function` wraps one function as {Configuration, Code, Tags}.
  if (spec.key === 'Functions' && isObject(doc) && isObject(doc.Configuration)) {
    doc = { Functions: [{ ...doc.Configuration, Tags: doc.Tags }] };
  }
  if (!isObject(doc)) throw invalid(file, `expected a JSON object with ${spec.key} (${spec.doc})`);
  const facts = runFacts(ctx);
  for (const { at, value } of spec.entries(doc)) {
    if (!isObject(value)) {
      yield skip(at, typeof value === 'string' ? value : 'entry is not an object');
      continue;
    }
    const r = spec.map(value, doc);
    if (typeof r === 'string') {
      yield skip(at, r);
      continue;
    }
    yield {
      type: 'resource',
      value: {
        provider: PROVIDER,
        nativeId: r.nativeId,
        type: r.type,
        ...(r.name ? { name: r.name } : {}),
        ...(r.account ? { account: r.account } : {}),
        ...(r.sensitivity ? { sensitivity: r.sensitivity } : {}),
        attributes: { ...r.attributes, tags: r.tags },
      },
    };
    for (const ra of r.runsAs) {
      let role: string | undefined = ra.role;
      let confidence = 1;
      if (ra.viaProfile) {
        // EC2 names the instance profile; its role comes from authorization details of this run,
        // else the console's convention (profile and role share their name) is assumed.
        role = facts.profileRoles.get(ra.role);
        if (!role) {
          const m = /^arn:([^:]+):iam::(\d{12}):instance-profile\/(?:.*\/)?([^/]+)$/.exec(ra.role);
          role = m ? `arn:${m[1]}:iam::${m[2]}:role/${m[3]}` : undefined;
          confidence = 0.5;
          if (role)
            yield note(
              at,
              `instance profile ${ra.role}: role assumed to be ${role} (same name); import authorization details with it to be sure`,
            );
        }
      } else if (!ra.role.startsWith('arn:')) {
        role = facts.roleArns.get(ra.role) ?? facts.roleArns.get(ra.role.slice(ra.role.lastIndexOf('/') + 1));
        if (!role)
          yield note(
            at,
            `role ${ra.role} is named without its ARN; import authorization details with this file to link it`,
          );
      }
      if (!role) continue;
      yield {
        type: 'edge',
        value: {
          kind: 'runs-as',
          from: { type: 'resource', provider: PROVIDER, nativeId: r.nativeId },
          to: { type: 'identity', provider: PROVIDER, nativeId: role },
          key: ra.as,
          confidence,
          attributes: { as: ra.as },
        },
      };
      yield* tagLinks(ctx, r.tags, role, `${r.type} ${r.nativeId}`);
    }
  }
}

export const resourceListingConnectors: Connector[] = LISTING_SPECS.map(listingConnector);
