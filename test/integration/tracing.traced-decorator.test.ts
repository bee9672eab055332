// `@traced()` written as TypeScript 5 decorators, compiled the way an app's build compiles them
// (esbuild, standard decorators lowered for Node 20), run against the built package.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { transformSync } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type OtlpReceiver, startOtlpReceiver } from '../helpers/otlp-receiver.js';
import { REPO_ROOT, spawnApp } from '../helpers/spawn-app.js';

let receiver: OtlpReceiver;
let dir: string;

beforeAll(async () => {
  receiver = await startOtlpReceiver();
  // Inside the repository, so `lookout` resolves to the package by self-reference.
  dir = mkdtempSync(join(REPO_ROOT, 'test', 'fixtures', '.traced-'));
  const source = readFileSync(join(REPO_ROOT, 'test/fixtures/traced-decorators.ts'), 'utf8');
  for (const [form, experimentalDecorators] of [
    ['standard', false],
    ['experimental', true],
  ] as const) {
    const { code } = transformSync(source, {
      loader: 'ts',
      format: 'esm',
      target: 'node20',
      tsconfigRaw: { compilerOptions: { experimentalDecorators } },
    });
    writeFileSync(join(dir, `traced-decorators.${form}.mjs`), code);
  }
});
afterAll(async () => {
  await receiver.close();
  rmSync(dir, { recursive: true, force: true });
});

// The same source compiled both ways an app's build compiles decorators: TypeScript 5's standard
// decorators, and the legacy `experimentalDecorators` (NestJS apps), which call the decorator
// with (prototype, key, descriptor) instead of (method, context).
describe.each([
  ['standard', 'a TypeScript 5 decorator'],
  ['experimental', 'an experimentalDecorators decorator'],
])('@traced() compiled as %s (%s)', (form) => {
  it('makes one span per call, named Class.method after the declaring class or as given, nests traced() inside, and records errors', async () => {
    // Prepare + Act
    receiver.clear();
    const app = await spawnApp({
      args: ['--import', 'lookout/register', join(dir, `traced-decorators.${form}.mjs`)],
      env: { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url },
      readyPattern: /^done /,
    });
    const exit = await app.exited;
    const spans = await receiver.waitForSpans(4);

    // Assess
    expect(exit.code).toBe(0);
    expect(app.stdoutLines()).toContain('done order-7 order 8 rejected place/1');
    const byName = new Map(spans.map((span) => [span.name, span]));
    const place = byName.get('Orders.place');
    expect(place?.status.code).toBe('UNSET');
    expect(byName.get('format id')?.parentSpanId).toBe(place?.spanId);
    const reject = byName.get('reject order');
    expect(reject?.status).toEqual({ code: 'ERROR', message: 'order 8 rejected' });
    expect(reject?.events.map((event) => event.name)).toEqual(['exception']);
    expect(spans.map((span) => span.name)).toContain('Repository.load');
    expect(spans.map((span) => span.name)).not.toContain('OrdersRepository.load');
  });
});
