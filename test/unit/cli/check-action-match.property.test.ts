// actionMatches walks a glob instead of building a regular expression (which backtracked without
// bound on patterns of many stars); on short patterns it must agree with the expression IAM's
// wildcards stand for.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { actionMatches } from '../../../src/checks/policy-statements.js';

/** `*` any run, `?` one character, everything else itself, case-insensitively. */
function asExpression(pattern: string): RegExp {
  const escaped = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${escaped}$`, 'i');
}

describe('IAM action patterns', () => {
  it('match exactly what the wildcard expression matches', () => {
    // Prepare: short patterns and actions over a small alphabet, so that they often match
    const letters = fc.constantFrom('a', 'B', 's', ':', '*', '?');
    const pattern = fc.array(letters, { maxLength: 8 }).map((chars) => chars.join(''));
    const action = fc
      .array(fc.constantFrom('a', 'b', 'S', ':', '*'), { maxLength: 8 })
      .map((chars) => chars.join(''));

    // Act and Assess
    fc.assert(
      fc.property(pattern, action, (glob, text) => {
        expect(actionMatches(glob, text)).toBe(asExpression(glob).test(text));
      }),
      { numRuns: 2000 },
    );
  });
});
