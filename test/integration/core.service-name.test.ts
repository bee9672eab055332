// One service name on every signal: the span resource's `service.name`, every log line's
// `service` and every EMF document's `Service` dimension, whichever standard variables name
// the service and however they disagree (docs/decisions/0031-one-service-name.md).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readEmf } from '../helpers/emf-reader.js';
import { request } from '../helpers/http.js';
import { readLookoutOutput } from '../helpers/lookout-output.js';
import { type OtlpReceiver, startOtlpReceiver } from '../helpers/otlp-receiver.js';
import { spawnApp } from '../helpers/spawn-app.js';

const CASES = [
  {
    given: 'OTEL_SERVICE_NAME and POWERTOOLS_SERVICE_NAME disagree',
    env: { OTEL_SERVICE_NAME: 'otel-name', POWERTOOLS_SERVICE_NAME: 'powertools-name' },
    expected: 'otel-name',
    unused: ['powertools-name'],
  },
  {
    given: 'only POWERTOOLS_SERVICE_NAME is set',
    env: { POWERTOOLS_SERVICE_NAME: 'powertools-name' },
    expected: 'powertools-name',
    unused: [],
  },
  {
    given: 'LOOKOUT_SERVICE_NAME is set next to both',
    env: {
      LOOKOUT_SERVICE_NAME: 'lookout-name',
      OTEL_SERVICE_NAME: 'otel-name',
      POWERTOOLS_SERVICE_NAME: 'powertools-name',
    },
    expected: 'lookout-name',
    unused: ['otel-name', 'powertools-name'],
  },
  {
    given: 'service.name in OTEL_RESOURCE_ATTRIBUTES disagrees with POWERTOOLS_SERVICE_NAME',
    env: {
      OTEL_RESOURCE_ATTRIBUTES: 'service.name=resource-name',
      POWERTOOLS_SERVICE_NAME: 'powertools-name',
    },
    expected: 'powertools-name',
    unused: ['resource-name'],
  },
  {
    // Resolved from the package.json found above the fixture: this repository's.
    given: 'service.name in OTEL_RESOURCE_ATTRIBUTES is empty',
    env: { OTEL_RESOURCE_ATTRIBUTES: 'service.name=,team=core' },
    expected: 'lookout',
    unused: [],
  },
];

describe('one service name across spans, logs and EMF', () => {
  let receiver: OtlpReceiver;

  beforeAll(async () => {
    receiver = await startOtlpReceiver();
  });
  afterAll(async () => {
    await receiver.close();
  });

  it.each(CASES)('uses $expected everywhere when $given', async ({ env, expected, unused }) => {
    // Prepare
    receiver.clear();
    const app = await spawnApp({
      args: ['--import', 'lookout/register', 'test/fixtures/service-name-app.mjs'],
      env: {
        ...env,
        OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
        POWERTOOLS_METRICS_NAMESPACE: 'ServiceNameTest',
      },
    });

    // Act
    const response = await request(`${app.url}/orders/7`);
    const [server] = await receiver.waitForSpans(
      (span) =>
        span.kind === 'SERVER' &&
        span.attributes['http.route'] === '/orders/:id' &&
        span.resource['service.name'] === expected,
    );
    await app.stop();

    // Assess
    expect(response.status).toBe(200);
    expect(server!.resource['service.name']).toBe(expected);
    const stdout = app.stdoutLines();
    const { logs } = readLookoutOutput(stdout);
    expect(logs.map((line) => line.message)).toEqual(expect.arrayContaining(['order read']));
    for (const line of logs) expect(line.service, JSON.stringify(line)).toBe(expected);
    const { documents, invalid } = readEmf(stdout.join('\n'));
    expect(invalid).toEqual([]);
    const names = documents.flatMap((document) =>
      document.directives.flatMap((directive) => directive.Metrics.map((metric) => metric.Name)),
    );
    expect(names).toEqual(expect.arrayContaining(['OrderRead', 'RequestCount']));
    for (const document of documents) expect(document.root.Service, document.line).toBe(expected);
    for (const name of unused) expect(stdout.join('\n')).not.toContain(name);
  });
});
