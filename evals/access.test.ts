import { describe, expect, it } from 'vitest';
import { accessOracleFromYaml, AccessFileError } from './access.js';

describe('accessOracleFromYaml', () => {
  const access = accessOracleFromYaml(`
roles:
  ward-supply-coordinator: ["Inventory/**", "Documents/**"]
  super-user: ["**"]
`);
  it('grants by folder glob and denies everything else', () => {
    expect(access.canRead('ward-supply-coordinator', 'Inventory/receipts/partial.md')).toBe(true);
    expect(access.canRead('ward-supply-coordinator', 'Finance/bills.md')).toBe(false);
    expect(access.canRead('super-user', 'Finance/bills.md')).toBe(true);
    expect(access.canRead('nobody', 'Inventory/receipts.md')).toBe(false);
    expect(access.roles).toEqual(['ward-supply-coordinator', 'super-user']);
  });
  it('rejects a file without a roles map', () => {
    expect(() => accessOracleFromYaml('roles: [a, b]', 'x.yml')).toThrow(AccessFileError);
    expect(() => accessOracleFromYaml('roles: {a: [', 'x.yml')).toThrow(/x\.yml: not valid YAML/);
  });
});
