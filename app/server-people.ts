/**
 * The people the local web chat offers in its "Ask as" picker when they do not come from Odoo users (a folder index
 * with an access file): one per training role, plus a visitor with public access, so a trainer can see what each
 * role is — and is not — allowed to read.
 */
import { PUBLIC_PRINCIPAL, principalsForRoles, type IdentityResolver } from '../assistant/identity.js';
import type { OdooClient } from '../odoo/client.js';
import { detectFlavour } from '../odoo/flavour.js';
import type { WebPerson } from '../bot/web/render.js';

function humanize(role: string): string {
  const words = role.replace(/[-_.]+/g, ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

export function peopleFromRoles(roles: readonly string[]): WebPerson[] {
  return [
    ...roles.map((role) => ({ id: role, name: humanize(role), roles: [role], principals: [PUBLIC_PRINCIPAL, ...principalsForRoles([role])] })),
    { id: 'visitor', name: 'Visitor without an Odoo account', roles: [], principals: [PUBLIC_PRINCIPAL] },
  ];
}

/**
 * With a real Odoo, documents carry Odoo principals (groups, and on 18/19 the partners a document is shared with), so
 * a role label alone would read nothing. Each role mapped in access.yml `odoo_groups` becomes a persona that asks as
 * the first active internal member of that group, resolved exactly like a chat user with that e-mail. The picker
 * shows the role, not the person's name.
 */
export async function peopleFromOdooGroups(
  client: OdooClient,
  identity: IdentityResolver,
  groupRoles: Record<string, string>,
): Promise<WebPerson[]> {
  const { allGroupsField } = await detectFlavour(client);
  const people: WebPerson[] = [];
  for (const [xmlid, role] of Object.entries(groupRoles)) {
    const [module, name] = xmlid.split('.');
    if (!module || !name) continue;
    const refs = await client.searchRead('ir.model.data', [['model', '=', 'res.groups'], ['module', '=', module], ['name', '=', name]], { fields: ['res_id'] });
    const groupId = Number(refs[0]?.['res_id']);
    if (!Number.isInteger(groupId) || groupId <= 0) continue;
    const members = await client.searchRead('res.users', [[allGroupsField, 'in', [groupId]], ['share', '=', false]], { fields: ['login', 'email'], limit: 1, order: 'id asc' });
    const member = members[0];
    const email = String(member?.['email'] || member?.['login'] || '');
    if (!email) continue;
    const who = await identity.resolveAskerByEmail(email);
    if (!who.known) continue;
    people.push({ id: role, name: humanize(role), roles: who.roles, principals: who.principals, title: 'as a member of this Odoo group' });
  }
  people.push({ id: 'visitor', name: 'Visitor without an Odoo account', roles: [], principals: [PUBLIC_PRINCIPAL] });
  return people;
}
