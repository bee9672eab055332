// Never break (issue "Never break, never leak"): each hostile input a real app can hand to
// Lookout (test/fixtures/hostile-inputs.mjs) goes through the logger, redact(), the audit trail,
// a span and the metrics, in its own process. The process must survive (exit 0 after
// shutdown()), and everything it wrote must be valid and bounded: every line one JSON object of
// at most one CloudWatch Logs event (the 256,000-byte line budget), every EMF document valid.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readEmf } from '../helpers/emf-reader.js';
import { runScript } from '../helpers/node-process.js';
import { type OtlpReceiver, startOtlpReceiver } from '../helpers/otlp-receiver.js';

const INPUTS = [
  'shared-graph',
  'deep-chain',
  'wide-object',
  'sparse-array',
  'throwing-proxy',
  'lazy-proxy',
  'throwing-getter-argument',
  'throwing-tojson',
  'endless-tojson',
  'hostile-map',
  'big-set',
  'huge-string',
  'many-strings',
  'circular-error',
  'aggregate-error',
  'exotic-values',
  'throwing-error-fields',
  'big-buffer',
  'unicode-garbage',
  'odd-messages',
  'huge-span',
  'metric-values',
  'metric-document',
  'audit-graph',
  'redact-api',
];

const MAX_LINE_BYTES = 256_000;

describe('hostile inputs', () => {
  let receiver: OtlpReceiver;
  beforeAll(async () => {
    receiver = await startOtlpReceiver();
  });
  afterAll(async () => {
    await receiver.close();
  });

  it.each(INPUTS)('survives "%s" and writes only valid, bounded lines', async (name) => {
    // Act: a 512 MB heap, so that an input that makes Lookout's work grow with its shape rather
    // than its size fails by running out of memory instead of slowing the whole suite.
    const { code, stdout, stderr } = await runScript(
      ['--max-old-space-size=512', '--import', 'lookout/register', 'test/fixtures/hostile-inputs.mjs', name],
      { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_SERVICE_NAME: 'hostile-inputs' },
      60_000,
    );

    // Assess
    expect(stderr).toContain(`survived ${name}`);
    expect(code).toBe(0);
    const lines = stdout.split('\n').filter((line) => line !== '');
    expect(lines.length).toBeGreaterThan(0);
    const oversized = lines.filter((line) => Buffer.byteLength(line) > MAX_LINE_BYTES).length;
    const notJson = lines.filter((line) => {
      try {
        const parsed: unknown = JSON.parse(line);
        return parsed === null || typeof parsed !== 'object';
      } catch {
        return true;
      }
    }).length;
    expect({ oversized, notJson }).toEqual({ oversized: 0, notJson: 0 });
    expect(lines.some((line) => line.includes('"message":"input done"'))).toBe(true);
    expect(readEmf(stdout).invalid).toEqual([]);
  });
});
