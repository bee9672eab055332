import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createRedactionPolicy } from '../../../src/logging/redaction/create-redaction-policy.js';

// Property: the policy's shortcut for canonical UUIDs (request ids) gives what the rules
// themselves give. A pattern that never matches turns the shortcut off without changing what
// any rule does, so that policy runs every rule over the same text.
describe('UUIDs through the redaction policy', () => {
  const withShortcut = createRedactionPolicy();
  const everyRule = createRedactionPolicy({ patterns: [{ source: '(?!)', flags: '' }] });
  const hex = fc.constantFrom(...'0123456789abcdefABCDEF');
  const group = (length: number) => fc.string({ unit: hex, minLength: length, maxLength: length });
  const uuid = fc.tuple(group(8), group(4), group(4), group(4), group(12)).map((groups) => groups.join('-'));

  it('leaves every UUID as the rules leave it: unchanged', () => {
    fc.assert(
      fc.property(uuid, (id) => {
        expect(everyRule.redactString(id)).toBe(id);
        expect(withShortcut.redactString(id)).toBe(id);
      }),
      { numRuns: 2000 },
    );
  });

  it('still runs the rules over UUID-length text that is not a UUID, and applies app patterns to UUIDs', () => {
    const digits = '4111-1111-1111-1111-0000000000000000';
    expect(digits).toHaveLength(36);
    expect(withShortcut.redactString(digits)).toBe(everyRule.redactString(digits));
    expect(withShortcut.redactString(digits)).not.toBe(digits);
    const id = '7c0e1f7a-2b1d-4c3e-9f00-123456789abc';
    const hidesIds = createRedactionPolicy({ patterns: [{ source: '[0-9a-f]{8}-', flags: '' }] });
    expect(hidesIds.redactString(id)).not.toBe(id);
  });
});
