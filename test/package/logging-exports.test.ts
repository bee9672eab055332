import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// The built package, loaded by a real Node process the way an app loads it, in both module
// systems: `logger` must be an instance of the Powertools Logger the app itself would import.
const ROOT = fileURLToPath(new URL('../..', import.meta.url));

const CHECK = `
  process.stdout.write(JSON.stringify({
    isPowertoolsLogger: lookout.logger instanceof powertools.Logger,
    childIsPowertoolsLogger: lookout.logger.createChild() instanceof powertools.Logger,
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
