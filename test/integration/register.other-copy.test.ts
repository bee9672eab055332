// Two copies of Lookout of different versions in one process (the Lambda layer's, preloaded, and
// the function's own; or two installs in node_modules) do not share a core
// (docs/decisions/0016-one-core-per-process.md). The second one to start must not trace too:
// every request would get two SERVER and two CLIENT spans in two traces. The other copy here is
// this build, copied to a temporary folder with its core registered under another version,
// which is all that tells two versions apart at run time.
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type OtlpReceiver, startOtlpReceiver } from '../helpers/otlp-receiver.js';
import { REPO_ROOT, spawnApp } from '../helpers/spawn-app.js';

const VERSION = (JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string })
  .version;
const OTHER_VERSION = `${VERSION}-other-copy`;

describe('a second copy of Lookout, of another version, in the same process', () => {
  let receiver: OtlpReceiver;
  let copy: string;

  beforeAll(async () => {
    receiver = await startOtlpReceiver();
    copy = mkdtempSync(join(tmpdir(), 'lookout-other-copy-'));
    cpSync(join(REPO_ROOT, 'dist'), join(copy, 'dist'), { recursive: true });
    cpSync(join(REPO_ROOT, 'package.json'), join(copy, 'package.json'));
    symlinkSync(join(REPO_ROOT, 'node_modules'), join(copy, 'node_modules'));
    const core = join(copy, 'dist/cjs/core.js');
    writeFileSync(
      core,
      readFileSync(core, 'utf8').replaceAll(`lookout.core/${VERSION}`, `lookout.core/${OTHER_VERSION}`),
    );
  });
  afterAll(async () => {
    await receiver?.close();
    if (copy !== undefined) rmSync(copy, { recursive: true, force: true });
  });

  it('leaves tracing to the copy that started first, and says so once', async () => {
    // Prepare: the other copy is preloaded first, as the layer's is; this one second.
    const app = await spawnApp({
      args: [
        '--require',
        join(copy, 'dist/cjs/register.js'),
        '--import',
        'lookout/register',
        'test/fixtures/one-request-then-end.mjs',
      ],
      env: { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_SERVICE_NAME: 'two-copies' },
      readyPattern: null,
    });

    // Act
    const exit = await app.exited;

    // Assess: one trace, the CLIENT span the SERVER span's parent.
    expect(exit.code, app.stderrLines().join('\n')).toBe(0);
    const [client] = await receiver.waitForSpans((span) => span.kind === 'CLIENT');
    const spans = receiver.spans().filter((span) => span.resource['service.name'] === 'two-copies');
    expect(spans.map((span) => span.kind).sort()).toEqual(['CLIENT', 'SERVER']);
    expect(spans.find((span) => span.kind === 'SERVER')?.parentSpanId).toBe(client?.spanId);
    const lines = app.stderrLines().filter((line) => line.startsWith('lookout '));
    expect(lines).toEqual([
      `lookout WARN [LOOKOUT_INIT_REPEATED] Another copy of Lookout (${OTHER_VERSION}) traces this process; this one (${VERSION}) does not.`,
    ]);
  });
});
