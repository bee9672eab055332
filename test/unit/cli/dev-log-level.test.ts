import { describe, expect, it } from 'vitest';
import { levelName } from '../../../src/cli/dev/log-level.js';

describe('levelName', () => {
  it.each([
    [10, 'TRACE'],
    [20, 'DEBUG'],
    [30, 'INFO'],
    [40, 'WARN'],
    [50, 'ERROR'],
    [60, 'FATAL'],
    [35, 'INFO'],
    [100, 'FATAL'],
    ['30', 'INFO'],
  ])('names pino and bunyan level %j %s', (value, name) => {
    expect(levelName(value)).toBe(name);
  });

  it.each([
    [0, 'ERROR'],
    [1, 'WARN'],
    [2, 'INFO'],
    [3, 'HTTP'],
    [4, 'VERBOSE'],
    [5, 'DEBUG'],
    [6, 'SILLY'],
  ])("names winston's npm level %d %s", (value, name) => {
    expect(levelName(value)).toBe(name);
  });

  it.each([
    ['info', 'INFO'],
    ['warning', 'WARN'],
    ['verbose', 'VERBOSE'],
    ['\u001b[32minfo\u001b[39m', 'INFO'],
    ['CRITICAL', 'CRITICAL'],
  ])('reads the name %j as %s', (value, name) => {
    expect(levelName(value)).toBe(name);
  });

  it.each([[undefined], [''], [true], [Number.NaN], [{}]])('has no name for %j', (value) => {
    expect(levelName(value)).toBeUndefined();
  });

  it('keeps a number below every known level visible', () => {
    expect(levelName(7)).toBe('LEVEL 7');
  });
});
