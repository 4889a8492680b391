import { describe, expect, it } from 'vitest';
import type { Asker } from './reply.js';
import { intersectPrincipals, personalAccess, sharedChannelAccess } from './channel-policy.js';

const asker: Asker = { id: 'u1', principals: ['public', 'role:a', 'role:b'], roles: ['a', 'b'], surface: 'slack' };

describe('shared-channel policy', () => {
  it('keeps only principals every member holds', () => {
    const access = sharedChannelAccess(asker, [['public', 'role:b'], ['role:b', 'role:c', 'public']], '#ops');
    expect(access.asker.principals).toEqual(['public', 'role:b']);
    expect(access.asker.id).toBe('u1');
    expect(access.scope.kind).toBe('shared-channel');
    expect(access.scope.note).toContain('#ops');
    expect(access.principalSets).toHaveLength(3);
  });

  it('falls back to public when a member is unknown', () => {
    expect(sharedChannelAccess(asker, [['public']]).asker.principals).toEqual(['public']);
  });

  it('yields nothing when members share no principal', () => {
    expect(intersectPrincipals([['role:a'], ['role:b']])).toEqual([]);
    expect(intersectPrincipals([])).toEqual([]);
  });

  it('personal access leaves the asker untouched', () => {
    const access = personalAccess(asker);
    expect(access.asker).toBe(asker);
    expect(access.scope).toEqual({ kind: 'personal' });
  });
});
