import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ERROR_CODES } from '../../../src/errors/index.js';

describe('docs/errors.md', () => {
  it('has a row for every error code, and no row for a code that does not exist', () => {
    const doc = readFileSync(fileURLToPath(new URL('../../../docs/errors.md', import.meta.url)), 'utf8');
    const documented = [...doc.matchAll(/^\| `(LOOKOUT_[A-Z_]+)` +\|/gm)].map((match) => match[1]);

    expect([...documented].sort()).toEqual(Object.values(ERROR_CODES).sort());
  });
});
