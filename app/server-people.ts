/**
 * The people the local web chat offers in its "Ask as" picker: one per training role of the access file (plus a
 * visitor with public access), so a trainer can see what each role is — and is not — allowed to read.
 */
import type { WebPerson } from '../bot/web/render.js';

function humanize(role: string): string {
  const words = role.replace(/[-_.]+/g, ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

export function peopleFromRoles(roles: readonly string[]): WebPerson[] {
  return [
    ...roles.map((role) => ({ id: role, name: humanize(role), roles: [role], principals: [`role:${role}`] })),
    { id: 'visitor', name: 'Visitor without an Odoo account', roles: [], principals: ['public'] },
  ];
}
