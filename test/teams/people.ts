/** The Teams users of the surface tests, and the roles the directory gives them (by e-mail). */
import type { Person } from './harness.js';

export const WENDY: Person = {
  id: '29:1wendy',
  name: 'Wendy Ward',
  aadObjectId: '7faf8ab2-0000-4000-8000-000000000001',
};
export const PAUL: Person = {
  id: '29:1paul',
  name: 'Paul Pharmacy',
  aadObjectId: '7faf8ab2-0000-4000-8000-000000000002',
};
/** In no directory: asks with no roles. */
export const GUEST: Person = {
  id: '29:1guest',
  name: 'Unlisted',
  aadObjectId: '7faf8ab2-0000-4000-8000-000000000003',
};

export const PEOPLE = {
  'wendy@hospital.example': ['ward-supply-coordinator'],
  'paul@hospital.example': ['pharmacy-support'],
};
