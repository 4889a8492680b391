/**
 * Shared-channel policy: an answer posted where several people can read it may only use documents that *every* member
 * may read. A chunk is readable by a member when its ACL overlaps that member's principals (`acl && principals`), so
 * the exact rule is "for every member m: acl && principals(m)".
 *
 * `principalSets` carries each member's list; surfaces pass it to `ask` (`AskOptions.principalSets`) and retrieval
 * applies the exact rule inside both arms' SQL (store/search.ts). `asker.principals` is narrowed to the principals
 * every member holds (the intersection): a sound but stricter stand-in — it misses a chunk whose ACL names two
 * principals held by two different members (`[role:a, role:b]`, one member in each role) — kept so that anything
 * using the asker alone (audit, a caller that forgets the sets) can never read more than the channel may.
 *
 * Private mode (per-channel setting) answers ephemerally from the asker's own access instead, and DMs always do.
 */
import type { Asker, ReplyScope } from './reply.js';

export type ChannelMode = 'shared' | 'private';

export interface ChannelAccess {
  /** The asker to search as: the asker's identity with the principals every member holds. */
  asker: Asker;
  scope: ReplyScope;
  /** Each member's principals, for an exact all-of filter. */
  principalSets: string[][];
}

export function intersectPrincipals(sets: readonly (readonly string[])[]): string[] {
  const [first, ...rest] = sets;
  if (!first) return [];
  const others = rest.map((s) => new Set(s));
  return [...new Set(first)].filter((p) => others.every((s) => s.has(p))).sort();
}

/**
 * Narrows `asker` to what every member may read. `members` must include the asker's own principals (the asker is a
 * member of the channel); an empty member list yields no principals, which retrieval treats as "nothing readable".
 */
export function sharedChannelAccess(
  asker: Asker,
  members: readonly (readonly string[])[],
  channelLabel = 'this channel',
): ChannelAccess {
  const principalSets = [asker.principals, ...members].map((s) => [...s]);
  const common = intersectPrincipals(principalSets);
  return {
    asker: { ...asker, principals: common },
    scope: {
      kind: 'shared-channel',
      note: `Answer limited to SOPs every member of ${channelLabel} may read. Ask me in a DM for everything your role can see.`,
    },
    principalSets,
  };
}

export function personalAccess(asker: Asker, note?: string): ChannelAccess {
  return {
    asker,
    scope: note ? { kind: 'personal', note } : { kind: 'personal' },
    principalSets: [asker.principals],
  };
}
