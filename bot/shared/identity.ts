/**
 * What every chat surface needs to turn a person into principals: the composition root's resolver from a verified
 * e-mail to an Odoo user's principals and roles. Surfaces find the e-mail their own way (Slack users.info, Teams
 * TeamsInfo.getMember); an unknown or missing e-mail means public documents only (default-deny).
 */

/** Principals and roles for a person, or null when the e-mail is unknown (then only `public` documents). */
export type ResolveByEmail = (email: string) => Promise<{ principals: string[]; roles: string[]; displayName?: string } | null>;

export const UNKNOWN_PRINCIPALS: readonly string[] = ['public'];
