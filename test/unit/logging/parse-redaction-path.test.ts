import { describe, expect, it } from 'vitest';
import { ANY_KEY, parseRedactionPath } from '../../../src/config/parse-redaction-path.js';

describe('redaction paths', () => {
  it.each([
    ['password', ['password']],
    ['user.*.ssn', ['user', ANY_KEY, 'ssn']],
    ['headers["x-session"]', ['headers', 'x-session']],
    ["headers['a.b']", ['headers', 'a.b']],
    ['items[0].card', ['items', '0', 'card']],
    ['items[007]', ['items', '7']],
    ['rows[*].value', ['rows', ANY_KEY, 'value']],
    ['*.password', [ANY_KEY, 'password']],
    ['["top level"].x', ['top level', 'x']],
    ['a["*"]', ['a', '*']],
  ])('parses %j', (path, expected) => {
    expect(parseRedactionPath(path)).toEqual(expected);
  });

  it.each(['', '.a', 'a.', 'a..b', 'a[', 'a[x]', 'a["x]', 'a]', 'a["x"]b', 'a[ ]'])('rejects %j', (path) => {
    expect(parseRedactionPath(path)).toBeUndefined();
  });
});
