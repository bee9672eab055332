import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  checkPrivateAccesses,
  findPrivateAccesses,
  PRIVATE_ACCESSES,
  stripComments,
} from '../../../scripts/lib/private-members.mjs';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const srcDir = `${root}src`;

describe('private members of dependencies', () => {
  it('are reached in src/ only from the one module of each dependency', () => {
    expect(checkPrivateAccesses(srcDir)).toEqual([]);
  });

  it('each have their module, contract test and decision record in the repository', () => {
    for (const access of PRIVATE_ACCESSES) {
      expect(existsSync(`${srcDir}/${access.module}`), access.module).toBe(true);
      expect(existsSync(`${root}${access.contract}`), access.contract).toBe(true);
      expect(existsSync(`${root}${access.decision}`), access.decision).toBe(true);
    }
  });

  it('flags a private member named outside its module, but not in a comment or in the module', () => {
    const source = [
      '// powertoolsLogData is explained here',
      '/* so is setEnvConfig */',
      'const data = (logger as unknown as Internals).powertoolsLogData;',
      "Object.defineProperty(proto, 'setEnvConfig', {});",
      "const url = 'https://example.com//powertoolsLogDataX';",
    ].join('\n');

    expect(findPrivateAccesses('logging/direct-line.ts', source)).toEqual([
      "logging/direct-line.ts names @aws-lambda-powertools/logger's private powertoolsLogData: only src/logging/internals/powertools-logger-internals.ts may (docs/decisions/0051-powertools-logger-internals.md)",
      "logging/direct-line.ts names @aws-lambda-powertools/metrics's private setEnvConfig: only src/metrics/internals/powertools-metrics-internals.ts may (docs/decisions/0052-powertools-metrics-internals.md)",
    ]);
    expect(findPrivateAccesses('logging/internals/powertools-logger-internals.ts', source)).toHaveLength(1);
  });

  it('flags a path inside a package, owned or not, outside its module', () => {
    const source = [
      "import { Segment } from 'aws-xray-sdk-core/dist/lib/segments/segment.js';",
      "const file = 'pino/lib/proto.js';",
      "import { trace } from '@opentelemetry/api';",
    ].join('\n');

    expect(findPrivateAccesses('tracing/x.ts', source)).toEqual([
      "tracing/x.ts names 'aws-xray-sdk-core/dist/lib/segments/segment.js', a path inside aws-xray-sdk-core: reach it from one module listed in PRIVATE_ACCESSES (scripts/lib/private-members.mjs), with a contract test and a decision record",
      "tracing/x.ts names 'pino/lib/proto.js', a path inside pino: only src/logging/app-loggers/pino-correlation.ts may (docs/decisions/0048-trace-ids-in-app-loggers.md)",
    ]);
    expect(findPrivateAccesses('logging/app-loggers/pino-correlation.ts', source)).toHaveLength(1);
  });

  it('keeps strings whole when it drops comments', () => {
    expect(stripComments("const a = '//kept'; // dropped\nconst b = `/* kept */`; /* dropped */")).toBe(
      "const a = '//kept'; \nconst b = `/* kept */`; ",
    );
  });
});
