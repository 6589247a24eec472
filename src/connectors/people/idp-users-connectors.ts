import type { PersonStatus } from '../../model/index.js';
import type { ImportItem, OwnerInput } from '../../store/index.js';
import type { SourceFile } from '../core/source-file.js';
import type { Connector } from '../core/types.js';
import { bool, isObj, ptr, skip, str, time, wrongShape, type Obj } from '../github/json-fields.js';
import { ownerItems } from './person-fns.js';

const SCIM_LIST = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';
const SCIM_USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const SCIM_ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

/**
 * SCIM 2.0 Users (RFC 7643 §4.1 and §4.3, https://www.rfc-editor.org/rfc/rfc7643; list responses
 * RFC 7644 §3.4.2, https://www.rfc-editor.org/rfc/rfc7644#section-3.4.2): `{schemas: [ListResponse],
 * totalResults, Resources: [{id, userName, name, displayName, emails [{value, primary, type}],
 * active, "urn:…:enterprise:2.0:User": {manager {value, displayName}}, meta}]}`; a bare array of
 * users or a single user is accepted. `active: false` means departed (date: meta.lastModified,
 * marked approximate). Managers are resolved from their SCIM id to an email within the file.
 */
export const scimUsersConnector: Connector = {
  id: 'scim-users',
  title: 'SCIM 2.0 Users (ListResponse)',
  detect(file) {
    const head = file.head();
    if (!/^\s*[[{]/.test(head)) return 0;
    if (head.includes(SCIM_LIST) && (head.includes(SCIM_USER) || head.includes('"userName"'))) return 0.95;
    if (head.includes(SCIM_USER)) return 0.9;
    return 0;
  },
  async *read(file: SourceFile): AsyncGenerator<ImportItem> {
    const json = await file.json();
    let list: unknown[];
    let base = '';
    if (Array.isArray(json)) list = json;
    else if (isObj(json) && Array.isArray(json.Resources)) [list, base] = [json.Resources, '/Resources'];
    else if (isObj(json) && Array.isArray(json.resources)) [list, base] = [json.resources, '/resources'];
    else if (isObj(json) && (str(json.userName) || Array.isArray(json.emails))) list = [json];
    else if (isObj(json) && json.totalResults === 0) list = [];
    else return wrongShape(file, 'a SCIM ListResponse with "Resources"', json);
    const emailById = new Map<string, string>();
    for (const u of list) if (isObj(u) && str(u.id)) emailById.set(str(u.id)!, scimEmail(u) ?? '');
    for (let i = 0; i < list.length; i++) {
      const at = `${base}${ptr(i)}`;
      const u = list[i];
      if (!isObj(u)) {
        yield skip(at, 'user is not an object');
        continue;
      }
      const email = scimEmail(u);
      if (!email) {
        yield skip(at, 'user has no email (emails[].value or an email-shaped userName)');
        continue;
      }
      const activeRaw = u.active;
      const active = bool(activeRaw);
      const status: PersonStatus = active === false ? 'departed' : active === true ? 'active' : 'unknown';
      const meta = isObj(u.meta) ? u.meta : {};
      const name = isObj(u.name)
        ? (str(u.name.formatted) ??
          ([str(u.name.givenName), str(u.name.familyName)].filter(Boolean).join(' ') || undefined))
        : undefined;
      const ent = isObj(u[SCIM_ENTERPRISE]) ? (u[SCIM_ENTERPRISE] as Obj) : {};
      const mgr = isObj(ent.manager) ? ent.manager : undefined;
      const mgrId = mgr ? str(mgr.value) : undefined;
      const manager =
        (mgrId ? emailById.get(mgrId) || undefined : undefined) ??
        (mgr ? str(mgr.displayName) : undefined) ??
        mgrId;
      const person: OwnerInput = { ref: email, email, status };
      const display = str(u.displayName) ?? name;
      if (display) person.name = display;
      const lastModified = time(meta.lastModified);
      if (status === 'departed' && lastModified) person.departedAt = lastModified;
      person.attributes = clean({
        scimId: str(u.id),
        externalId: str(u.externalId),
        userName: str(u.userName),
        manager,
        managerId: mgrId,
        department: str(ent.department),
        employeeNumber: str(ent.employeeNumber),
        title: str(u.title),
        departedAtApproximate: status === 'departed' && lastModified ? true : undefined,
      });
      const userName = str(u.userName);
      yield* ownerItems(person, userName && userName.toLowerCase() !== email ? [userName] : []);
    }
  },
};

function scimEmail(u: Obj): string | undefined {
  const emails = Array.isArray(u.emails) ? u.emails.filter(isObj) : [];
  const pick =
    emails.find((e) => bool(e.primary) === true) ?? emails.find((e) => str(e.type) === 'work') ?? emails[0];
  const v = pick ? str(pick.value) : undefined;
  const userName = str(u.userName);
  return (v ?? (userName && /^[^@\s]+@[^@\s]+$/.test(userName) ? userName : undefined))?.toLowerCase();
}

function clean(o: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
}

/**
 * Okta Users API `GET /api/v1/users` (https://developer.okta.com/docs/api/openapi/okta-management/management/tag/User/#tag/User/operation/listUsers):
 * an array of `{id, status, created, activated, statusChanged, lastLogin, profile {firstName,
 * lastName, email, login, manager?, managerId?, department?}, _links}`. Status DEPROVISIONED =
 * departed (at statusChanged); SUSPENDED = unknown (blocked, not offboarded; kept in
 * `attributes.idpStatus`); every other lifecycle state (ACTIVE, STAGED, PROVISIONED, RECOVERY,
 * LOCKED_OUT, PASSWORD_EXPIRED) = active.
 */
export const oktaUsersConnector: Connector = {
  id: 'okta-users',
  title: 'Okta /api/v1/users',
  detect(file) {
    const head = file.head();
    if (!/^\s*\[/.test(head)) return 0;
    return /"profile"\s*:/.test(head) &&
      /"status"\s*:\s*"(ACTIVE|DEPROVISIONED|SUSPENDED|STAGED|PROVISIONED|RECOVERY|LOCKED_OUT|PASSWORD_EXPIRED)"/.test(
        head,
      ) &&
      /"login"\s*:/.test(head)
      ? 0.9
      : 0;
  },
  async *read(file: SourceFile): AsyncGenerator<ImportItem> {
    const json = await file.json();
    if (!Array.isArray(json)) return wrongShape(file, 'an Okta users array', json);
    const emailById = new Map<string, string>();
    for (const u of json)
      if (isObj(u) && isObj(u.profile) && str(u.id))
        emailById.set(str(u.id)!, (str(u.profile.email) ?? str(u.profile.login) ?? '').toLowerCase());
    for (let i = 0; i < json.length; i++) {
      const at = ptr(i);
      const u = json[i];
      if (!isObj(u)) {
        yield skip(at, 'user is not an object');
        continue;
      }
      if (!isObj(u.profile)) {
        yield skip(at, 'user has no "profile"');
        continue;
      }
      const p = u.profile;
      const login = str(p.login)?.toLowerCase();
      const email = str(p.email)?.toLowerCase() ?? (login && login.includes('@') ? login : undefined);
      if (!email) {
        yield skip(`${at}/profile`, 'user has no profile.email or email-shaped profile.login');
        continue;
      }
      const raw = str(u.status)?.toUpperCase();
      const status: PersonStatus =
        raw === 'DEPROVISIONED' ? 'departed' : raw === 'SUSPENDED' || !raw ? 'unknown' : 'active';
      const person: OwnerInput = { ref: email, email, status };
      const name = [str(p.firstName), str(p.lastName)].filter(Boolean).join(' ') || str(p.displayName);
      if (name) person.name = name;
      const changed = time(u.statusChanged);
      if (status === 'departed' && changed) person.departedAt = changed;
      const managerId = str(p.managerId);
      person.attributes = clean({
        oktaId: str(u.id),
        idpStatus: raw,
        login,
        manager: (managerId ? emailById.get(managerId) || undefined : undefined) ?? str(p.manager),
        managerId,
        department: str(p.department),
        title: str(p.title),
        lastLogin: time(u.lastLogin),
      });
      yield* ownerItems(person, login && login !== email ? [login] : []);
    }
  },
};
