/**
 * The people the local web chat offers in its "Ask as" picker when they do not come from Odoo users (a folder index
 * with an access file): one per training role, plus a visitor with public access, so a trainer can see what each
 * role is — and is not — allowed to read.
 */
import { PUBLIC_PRINCIPAL, principalsForRoles } from '../assistant/identity.js';
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
