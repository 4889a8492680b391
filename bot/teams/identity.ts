/**
 * Teams person → Asker. Every activity carries `from.id` (29:…) and usually `from.aadObjectId`; the e-mail comes from
 * `TeamsInfo.getMember` (no Graph permission needed). The e-mail goes through the composition root's resolver to an
 * Odoo user's principals. Fallbacks, weakest last: `email`, then `userPrincipalName` (≠ e-mail in some tenants), then
 * nothing → public documents only; an anonymous meeting participant is always public-only. Lookups are cached because
 * a shared-channel answer resolves every member. The audit id is a hash of tenant + Entra object id (or Teams id):
 * stable, never an e-mail or a name.
 */
import { createHash } from 'node:crypto';
import { TeamsInfo, type TurnContext } from 'botbuilder';
import { z } from 'zod';
import type { Asker } from '../../assistant/reply.js';
import { UNKNOWN_PRINCIPALS, type ResolveByEmail } from '../shared/identity.js';

/** A member as the connector returns it (`TeamsChannelAccount`); unknown fields pass through (`objectId` in older shapes). */
export const TeamsMember = z.looseObject({
  id: z.string().min(1),
  name: z.string().optional(),
  aadObjectId: z.string().optional(),
  objectId: z.string().optional(),
  email: z.string().optional(),
  userPrincipalName: z.string().optional(),
  tenantId: z.string().optional(),
  userRole: z.string().optional(),
});
export type TeamsMember = z.infer<typeof TeamsMember>;

/** The Teams calls this surface makes, behind a port so a move to another Teams SDK only replaces this file's bottom half. */
export interface MemberDirectory {
  member(ctx: TurnContext, userId: string): Promise<TeamsMember>;
  /** Everyone in the chat or team, or null when there are more than `max` (then only public documents are used). */
  roster(ctx: TurnContext, max: number): Promise<TeamsMember[] | null>;
}

export function teamsInfoDirectory(): MemberDirectory {
  return {
    async member(ctx, userId) {
      return TeamsMember.parse(await TeamsInfo.getMember(ctx, userId));
    },
    async roster(ctx, max) {
      // A standard channel has the team's members; a private or shared channel has its own (a subset, or people from
      // other teams), read from the channel's conversation — never the team roster, which could miss readers.
      const channel = (ctx.activity.channelData as { channel?: { id?: unknown; type?: unknown } } | undefined)?.channel;
      const ownRoster = typeof channel?.id === 'string' && (channel.type === 'private' || channel.type === 'shared') ? channel.id : undefined;
      const members: TeamsMember[] = [];
      let continuationToken: string | undefined;
      do {
        const page = ownRoster
          ? await TeamsInfo.getPagedTeamMembers(ctx, ownRoster, 500, continuationToken)
          : await TeamsInfo.getPagedMembers(ctx, 500, continuationToken);
        for (const m of page.members ?? []) members.push(TeamsMember.parse(m));
        if (members.length > max) return null;
        continuationToken = page.continuationToken || undefined;
      } while (continuationToken);
      return members;
    },
  };
}

export interface TeamsPerson {
  asker: Asker;
  member: TeamsMember;
}

export interface TeamsPeople {
  resolve(member: TeamsMember, tenantId: string | undefined): Promise<TeamsPerson>;
}

export function entraObjectId(member: TeamsMember): string | undefined {
  return member.aadObjectId ?? member.objectId;
}

export function createTeamsPeople(opts: { resolveByEmail: ResolveByEmail; ttlMs?: number; now?: () => number }): TeamsPeople {
  const ttlMs = opts.ttlMs ?? 15 * 60_000;
  const now = opts.now ?? Date.now;
  const cache = new Map<string, { at: number; person: Promise<TeamsPerson> }>();

  async function lookUp(member: TeamsMember, key: string): Promise<TeamsPerson> {
    const id = `teams:${createHash('sha256').update(key).digest('hex').slice(0, 16)}`;
    const anonymous = member.userRole === 'anonymous';
    const email = anonymous ? undefined : (member.email ?? member.userPrincipalName);
    const resolved = email ? await opts.resolveByEmail(email) : null;
    const displayName = resolved?.displayName ?? member.name;
    const asker: Asker = {
      id,
      principals: resolved ? resolved.principals : [...UNKNOWN_PRINCIPALS],
      roles: resolved ? resolved.roles : [],
      surface: 'teams',
      ...(email ? { email } : {}),
      ...(displayName ? { displayName } : {}),
    };
    return { asker, member };
  }

  return {
    resolve(member, tenantId) {
      const key = `${tenantId ?? ''}:${entraObjectId(member) ?? member.id}`;
      const hit = cache.get(key);
      if (hit && now() - hit.at < ttlMs) return hit.person;
      const person = lookUp(member, key);
      cache.set(key, { at: now(), person });
      // A failed lookup must not be cached: the next message retries.
      person.catch(() => cache.delete(key));
      return person;
    },
  };
}
