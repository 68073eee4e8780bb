import { describe, expect, it } from 'vitest';
import { PolicyBuilder } from '../../src/policy/builder.js';
import { PolicyError } from '../../src/policy/errors.js';
import { parsePolicyText } from '../../src/policy/parse.js';
import { validatePolicy } from '../../src/policy/validate.js';

describe('limits in the policy', () => {
  it('one meaning from a file, the builder and plain data, keys in one order', () => {
    const toml = parsePolicyText('[limits]\ntimeout-ms = 5000\nopen-files = 64\n', 'toml');
    const built = new PolicyBuilder().limits({ 'open-files': 64 }).limits({ 'timeout-ms': 5000 }).policy();
    const data = validatePolicy({ limits: { 'timeout-ms': 5000, 'open-files': 64 } });
    expect(toml).toEqual({ limits: { 'open-files': 64, 'timeout-ms': 5000 } });
    expect(built).toEqual(toml);
    expect(data).toEqual(toml);
    expect(Object.keys(data.limits!)).toEqual(['open-files', 'timeout-ms']);
  });

  it('refuses a misspelt key, a fraction, a negative size and too few files, naming the key', () => {
    expect(() => validatePolicy({ limits: { 'open-file': 3 } })).toThrow(/^limits: unknown key "open-file" \(did you mean "open-files"\?\)/);
    expect(() => validatePolicy({ limits: { 'memory-bytes': 1.5 } })).toThrow(PolicyError);
    expect(() => validatePolicy({ limits: { 'write-bytes': -1 } })).toThrow(/limits\.write-bytes/);
    expect(() => validatePolicy({ limits: { 'open-files': 2 } })).toThrow(/expected an integer from 3/);
    expect(() => new PolicyBuilder().limits({ 'timeout-ms': 'soon' as never })).toThrow(/limits\.timeout-ms/);
  });
});
