// Holds Lookout's reading of a Powertools boolean variable to Powertools' own, on the pinned
// version: LookoutMetrics decides POWERTOOLS_DEV's console with it where Powertools would
// (docs/decisions/0069-no-unused-powertools-consoles.md), and metrics.enabled and logging.pretty
// default from it.
import { getBooleanFromEnv, isDevMode } from '@aws-lambda-powertools/commons/utils/env';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { readPowertoolsBoolean } from '../../../src/config/index.js';

afterEach(() => {
  vi.unstubAllEnvs();
});

const VALUES = [
  'true',
  'TRUE',
  ' True ',
  '1',
  'y',
  'Y',
  'yes',
  't',
  'on',
  'ON',
  'false',
  'FALSE',
  ' false ',
  '0',
  'n',
  'no',
  'f',
  'off',
  '',
  '   ',
  'maybe',
  '2',
  'truthy',
  'yes please',
];

function powertoolsReading(name: string): boolean | undefined {
  try {
    return getBooleanFromEnv({ key: name, extendedParsing: true });
  } catch {
    return undefined;
  }
}

describe('readPowertoolsBoolean', () => {
  it.each(VALUES)('reads %j as Powertools does', (value) => {
    vi.stubEnv('POWERTOOLS_DEV', value);

    expect(readPowertoolsBoolean(process.env, 'POWERTOOLS_DEV')).toBe(powertoolsReading('POWERTOOLS_DEV'));
    expect(readPowertoolsBoolean(process.env, 'POWERTOOLS_DEV') === true).toBe(isDevMode());
  });

  it('reads an unset variable as unset, which Powertools takes as not in dev mode', () => {
    vi.stubEnv('POWERTOOLS_DEV', undefined);

    expect(readPowertoolsBoolean(process.env, 'POWERTOOLS_DEV')).toBeUndefined();
    expect(isDevMode()).toBe(false);
  });
});
