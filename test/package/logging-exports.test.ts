import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// The built package, loaded by a real Node process the way an app loads it, in both module
// systems: `logger` is a Powertools Logger (bundled with Lookout for start-up time, see
// docs/decisions/0002-bundle-api-and-powertools.md), so it has the whole Powertools API and
// Powertools' own middleware accepts it.
const ROOT = fileURLToPath(new URL('../..', import.meta.url));

const CHECK = `
  function isPowertoolsLogger(candidate) {
    const chain = [];
    for (let proto = Object.getPrototypeOf(candidate); proto !== null; proto = Object.getPrototypeOf(proto)) chain.push(proto.constructor.name);
    const own = Object.getOwnPropertyDescriptors(powertools.Logger.prototype);
    const methods = Object.keys(own).filter((name) => name !== 'constructor' && typeof own[name].value === 'function');
    return chain.includes('Logger') && methods.every((name) => typeof candidate[name] === 'function');
  }
  process.stdout.write(JSON.stringify({
    isPowertoolsLogger: isPowertoolsLogger(lookout.logger),
    childIsPowertoolsLogger: isPowertoolsLogger(lookout.logger.createChild()),
    redacted: lookout.redact({ password: 'p', note: 'Bearer 0123456789abcdef' }),
  }));
`;

describe('logging exports of the built package', () => {
  it.each([
    [
      'ES modules',
      [
        '--input-type=module',
        '-e',
        `import * as lookout from 'lookout'; import * as powertools from '@aws-lambda-powertools/logger'; ${CHECK}`,
      ],
    ],
    [
      'CommonJS',
      [
        '-e',
        `const lookout = require('lookout'); const powertools = require('@aws-lambda-powertools/logger'); ${CHECK}`,
      ],
    ],
  ])('exports a Powertools logger and redact() under %s', (_name, args) => {
    const output = execFileSync(process.execPath, args, {
      cwd: ROOT,
      encoding: 'utf8',
      env: { PATH: process.env.PATH },
    });
    expect(JSON.parse(output)).toEqual({
      isPowertoolsLogger: true,
      childIsPowertoolsLogger: true,
      redacted: { password: '[REDACTED]', note: 'Bearer [REDACTED]' },
    });
  });
});
