/**
 * Slack user → Asker: users.info gives the profile e-mail (scope users:read.email), the composition root's resolver
 * maps the e-mail to an Odoo user and its principals. Both steps are cached, because a shared-channel answer resolves
 * every member of the channel and users.info is rate-limited (Tier 4).
 * The audit id is a hash of team + user id: stable, but never an e-mail or a name.
 */
import { createHash } from 'node:crypto';
import type { webApi } from '@slack/bolt';
import type { Asker } from '../../assistant/reply.js';
import { UNKNOWN_PRINCIPALS, type ResolveByEmail } from '../shared/identity.js';

// Moved to bot/shared/identity.ts (Teams uses them too); re-exported so existing imports keep working.
export { UNKNOWN_PRINCIPALS, type ResolveByEmail };

export interface SlackPerson {
  asker: Asker;
  isBot: boolean;
}

export interface SlackDirectory {
  person(userId: string, teamId?: string): Promise<SlackPerson>;
}

export function createSlackDirectory(opts: {
  client: webApi.WebClient;
  resolveByEmail: ResolveByEmail;
  ttlMs?: number;
  now?: () => number;
}): SlackDirectory {
  const ttlMs = opts.ttlMs ?? 15 * 60_000;
  const now = opts.now ?? Date.now;
  const cache = new Map<string, { at: number; person: Promise<SlackPerson> }>();

  async function lookUp(userId: string, teamId: string | undefined): Promise<SlackPerson> {
    const id = `slack:${createHash('sha256').update(`${teamId ?? ''}:${userId}`).digest('hex').slice(0, 16)}`;
    const info = await opts.client.users.info({ user: userId });
    const user = info.user;
    const isBot = Boolean(user?.is_bot) || userId === 'USLACKBOT';
    const email = user?.profile?.email;
    const resolved = email && !isBot ? await opts.resolveByEmail(email) : null;
    const displayName = resolved?.displayName ?? user?.profile?.display_name ?? user?.real_name ?? undefined;
    const asker: Asker = {
      id,
      principals: resolved ? resolved.principals : [...UNKNOWN_PRINCIPALS],
      roles: resolved ? resolved.roles : [],
      surface: 'slack',
      ...(email ? { email } : {}),
      ...(displayName ? { displayName } : {}),
    };
    return { asker, isBot };
  }

  return {
    person(userId, teamId) {
      const key = `${teamId ?? ''}:${userId}`;
      const hit = cache.get(key);
      if (hit && now() - hit.at < ttlMs) return hit.person;
      const person = lookUp(userId, teamId);
      cache.set(key, { at: now(), person });
      // A failed lookup must not be cached: the next message retries.
      person.catch(() => cache.delete(key));
      return person;
    },
  };
}
