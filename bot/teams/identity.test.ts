import { describe, expect, it } from 'vitest';
import { createTeamsPeople } from './identity.js';

describe('Teams people', () => {
  const calls: string[] = [];
  const people = createTeamsPeople({
    resolveByEmail: async (email) => {
      calls.push(email);
      return email === 'wendy@hospital.example' ? { roles: ['ward-supply-coordinator'], principals: ['role:ward-supply-coordinator'] } : null;
    },
  });

  it('resolves by e-mail, else by UPN; unknown people and anonymous participants read public documents only', async () => {
    const byEmail = await people.resolve({ id: '29:1', email: 'wendy@hospital.example', aadObjectId: 'aad-1' }, 't1');
    expect(byEmail.asker).toMatchObject({ principals: ['role:ward-supply-coordinator'], roles: ['ward-supply-coordinator'], surface: 'teams' });
    expect(byEmail.asker.id).toMatch(/^teams:[0-9a-f]{16}$/);
    const byUpn = await people.resolve({ id: '29:2', userPrincipalName: 'wendy@hospital.example', objectId: 'aad-2' }, 't1');
    expect(byUpn.asker.principals).toEqual(['role:ward-supply-coordinator']);
    const anonymous = await people.resolve({ id: '29:3', email: 'wendy@hospital.example', userRole: 'anonymous' }, 't1');
    expect(anonymous.asker.principals).toEqual(['public']);
    const nobody = await people.resolve({ id: '29:4' }, 't1');
    expect(nobody.asker).toMatchObject({ principals: ['public'], roles: [] });
  });

  it('caches by tenant and Entra object id', async () => {
    calls.length = 0;
    const a = await people.resolve({ id: '29:9', email: 'wendy@hospital.example', aadObjectId: 'aad-9' }, 't1');
    const b = await people.resolve({ id: '29:9', email: 'wendy@hospital.example', aadObjectId: 'aad-9' }, 't1');
    const other = await people.resolve({ id: '29:9', email: 'wendy@hospital.example', aadObjectId: 'aad-9' }, 't2');
    expect(calls).toHaveLength(2);
    expect(a.asker.id).toBe(b.asker.id);
    expect(other.asker.id).not.toBe(a.asker.id);
  });
});
