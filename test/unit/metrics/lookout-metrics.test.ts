import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { afterEach, beforeEach, describe, expect, it, type MockInstance, vi } from 'vitest';
import { diagnostics } from '../../../src/diag/index.js';
import { LookoutMetrics } from '../../../src/metrics/index.js';
import { readEmf } from '../../helpers/emf-reader.js';

type Unit = (typeof MetricUnit)[keyof typeof MetricUnit];

let warnings: string[];
let restore: () => void;
let stdout: MockInstance;
let consoleLog: MockInstance;

beforeEach(() => {
  warnings = [];
  restore = diagnostics.captureForTesting((line) => warnings.push(line));
  stdout = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
  consoleLog = vi.spyOn(console, 'log').mockImplementation(() => {});
});
afterEach(() => {
  restore();
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
});

function written(): string {
  return stdout.mock.calls.map(([chunk]) => String(chunk)).join('');
}

function configured(): LookoutMetrics {
  const metrics = new LookoutMetrics();
  metrics.configure({
    namespace: 'Shop',
    defaultDimensions: { Service: 'orders', Environment: 'test' },
    disabled: false,
    defaultResolution: 60,
  });
  return metrics;
}

function unreadableGetter(): Record<string, string> {
  return {
    Region: 'eu',
    get Tenant(): string {
      throw new Error('getter');
    },
  };
}

function unlistable(): Record<string, string> {
  return new Proxy(
    {},
    {
      ownKeys() {
        throw new Error('ownKeys trap');
      },
    },
  );
}

function noPrototype(): object {
  return new Proxy(
    {},
    {
      getPrototypeOf() {
        throw new Error('getPrototypeOf trap');
      },
    },
  );
}

function revoked(): unknown {
  const { proxy, revoke } = Proxy.revocable([], {});
  revoke();
  return proxy;
}

describe('the metrics object', () => {
  it('is a Powertools Metrics that writes EMF straight to stdout, not through console', () => {
    const metrics = configured();

    metrics.addMetric('OrderPlaced', MetricUnit.Count, 1).addMetric('OrderPlaced', MetricUnit.Count, 2);
    metrics.publishStoredMetrics();

    expect(metrics).toBeInstanceOf(Metrics);
    expect(consoleLog).not.toHaveBeenCalled();
    const { documents, invalid } = readEmf(written());
    expect(invalid).toEqual([]);
    expect(documents).toHaveLength(1);
    expect(documents[0]?.root).toMatchObject({ Service: 'orders', Environment: 'test', OrderPlaced: [1, 2] });
    expect(documents[0]?.directives[0]?.Namespace).toBe('Shop');
    expect(documents[0]?.directives[0]?.Dimensions).toEqual([['Service', 'Environment']]);
  });

  it('writes through the global console in POWERTOOLS_DEV mode, as Powertools does', () => {
    vi.stubEnv('POWERTOOLS_DEV', 'yes');
    const metrics = configured();

    metrics.addMetric('OrderPlaced', MetricUnit.Count, 1);
    metrics.publishStoredMetrics();

    expect(written()).toBe('');
    expect(consoleLog).toHaveBeenCalledTimes(1);
    expect(readEmf(`${String(consoleLog.mock.calls[0]?.[0])}\n`).documents[0]?.root).toMatchObject({
      OrderPlaced: 1,
    });
  });

  it.each<[string, (metrics: LookoutMetrics) => void]>([
    ['NaN', (m) => m.addMetric('A', MetricUnit.Count, Number.NaN)],
    ['Infinity', (m) => m.addMetric('A', MetricUnit.Count, Number.POSITIVE_INFINITY)],
    ['-Infinity', (m) => m.addMetric('A', MetricUnit.Count, Number.NEGATIVE_INFINITY)],
    ['a string value', (m) => m.addMetric('A', MetricUnit.Count, '3' as unknown as number)],
    ['an unknown unit', (m) => m.addMetric('A', 'Parsecs' as Unit, 1)],
    ['an empty name', (m) => m.addMetric('', MetricUnit.Count, 1)],
    ['a 256-character name', (m) => m.addMetric('x'.repeat(256), MetricUnit.Count, 1)],
    ['a name that is not a string', (m) => m.addMetric(7 as unknown as string, MetricUnit.Count, 1)],
    ['the reserved name _aws', (m) => m.addMetric('_aws', MetricUnit.Count, 1)],
    ['a resolution of 5', (m) => m.addMetric('A', MetricUnit.Count, 1, 5 as 1)],
    ['a metric named like a default dimension', (m) => m.addMetric('Service', MetricUnit.Count, 1)],
    [
      'a unit changed between two values',
      (m) => m.addMetric('B', MetricUnit.Count, 1).addMetric('B', MetricUnit.Seconds, 1),
    ],
    [
      'a dimension named like a stored metric',
      (m) => m.addMetric('B', MetricUnit.Count, 1).addDimension('B', 'x'),
    ],
    [
      'a metric named like a dimension',
      (m) => m.addDimension('Region', 'eu').addMetric('Region', MetricUnit.Count, 1),
    ],
    ['metadata named _aws', (m) => m.addMetadata('_aws', 'x')],
    ['an empty dimension value', (m) => m.addDimension('Region', '')],
    ['a non-ASCII dimension value', (m) => m.addDimension('Region', 'Zürich')],
    ['a dimension name starting with a colon', (m) => m.addDimension(':x', 'y')],
    // Assigned into a JavaScript object, `__proto__` sets the prototype: it would vanish unsaid.
    ['a dimension named __proto__', (m) => m.addDimension('__proto__', 'x')],
    [
      'a dimension set with a __proto__ member',
      (m) => m.addDimensions(JSON.parse('{"__proto__":"x"}') as Record<string, string>),
    ],
    ['metadata named __proto__', (m) => m.addMetadata('__proto__', 'x')],
    ['a metric named __proto__', (m) => m.addMetric('__proto__', MetricUnit.Count, 1)],
    ['a metric named constructor', (m) => m.addMetric('constructor', MetricUnit.Count, 1)],
    [
      '30 dimensions',
      (m) => {
        for (let i = 0; i < 30; i++) m.addDimension(`D${i}`, 'x');
      },
    ],
    [
      'a dimension set of 30',
      (m) => m.addDimensions(Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`D${i}`, 'x']))),
    ],
    [
      '30 default dimensions',
      (m) => m.setDefaultDimensions(Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`D${i}`, 'x']))),
    ],
    ['a timestamp three weeks old', (m) => m.setTimestamp(Date.now() - 21 * 86_400_000)],
    ['a timestamp that is not a number', (m) => m.setTimestamp(Number.NaN)],
    // Objects the app hands over that cannot be read: a getter or a proxy trap that throws.
    ['dimensions with a getter that throws', (m) => m.addDimensions(unreadableGetter())],
    ['dimensions whose keys cannot be listed', (m) => m.addDimensions(unlistable())],
    ['default dimensions with a getter that throws', (m) => m.setDefaultDimensions(unreadableGetter())],
    ['default dimensions whose keys cannot be listed', (m) => m.setDefaultDimensions(unlistable())],
    ['a timestamp whose prototype cannot be read', (m) => m.setTimestamp(noPrototype() as unknown as Date)],
    ['a metric name that is a revoked proxy', (m) => m.addMetric(revoked() as string, MetricUnit.Count, 1)],
    ['a dimension name that is a revoked proxy', (m) => m.addDimension(revoked() as string, 'x')],
  ])('drops %s without throwing, warns once and keeps the document valid', (_name, misuse) => {
    const metrics = configured();

    expect(() => {
      misuse(metrics);
      misuse(configured());
      metrics.addMetric('Good', MetricUnit.Count, 1);
      metrics.publishStoredMetrics();
    }).not.toThrow();

    const { documents, invalid } = readEmf(written());
    expect(invalid).toEqual([]);
    expect(documents.some((document) => document.root.Good === 1)).toBe(true);
    expect(warnings.length).toBeGreaterThanOrEqual(1);
    expect(warnings.every((line) => line.includes('LOOKOUT_METRIC_INVALID'))).toBe(true);
    expect(new Set(warnings).size).toBe(warnings.length);
  });

  it('says why a metric named like a member of every object (toString) cannot be buffered', () => {
    const metrics = configured();

    metrics.addMetric('toString', MetricUnit.Count, 1);

    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('"toString" cannot be buffered by Powertools Metrics');
  });

  it("writes a metric named like one of Lookout's own, and says once that the two share a series", () => {
    // Prepare: the app's own errors and timings, under names Lookout uses for HTTP 4xx and
    // request latency, in the same namespace and with the same default dimensions.
    const metrics = configured();

    // Act
    metrics.addMetric('Error', MetricUnit.Count, 1);
    metrics.addMetric('Latency', MetricUnit.Milliseconds, 12);
    metrics.addMetric('OrderPlaced', MetricUnit.Count, 1);
    metrics.publishStoredMetrics();

    // Assess
    const { documents, invalid } = readEmf(written());
    expect(invalid).toEqual([]);
    expect(documents[0]?.root).toMatchObject({ Service: 'orders', Error: 1, Latency: 12, OrderPlaced: 1 });
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('[LOOKOUT_METRIC_NAME_SHARED]');
    expect(warnings[0]).toContain('"Error"');
    expect(diagnostics.counts().get('metrics:shared-name')).toBe(2);
  });

  it('reports a repeated cause once and keeps counting it', () => {
    const metrics = configured();

    for (let i = 0; i < 50; i++) metrics.addMetric('A', MetricUnit.Count, Number.NaN);

    expect(warnings).toHaveLength(1);
    expect(diagnostics.counts().get('metrics:value')).toBe(50);
  });

  it('publishes at 100 values as Powertools does, every document valid', () => {
    const metrics = configured();

    for (let i = 0; i < 150; i++) metrics.addMetric('Latency', MetricUnit.Milliseconds, i);
    metrics.publishStoredMetrics();

    const { documents, invalid } = readEmf(written());
    expect(invalid).toEqual([]);
    expect(documents.map((document) => (document.root.Latency as number[]).length)).toEqual([100, 50]);
  });

  it('defaults to high resolution when configured so, and honours an explicit resolution', () => {
    const metrics = configured();
    metrics.configure({
      namespace: 'Shop',
      defaultDimensions: { Service: 'orders' },
      disabled: false,
      defaultResolution: 1,
    });

    metrics.addMetric('Fast', MetricUnit.Count, 1).addMetric('Slow', MetricUnit.Count, 1, 60);
    metrics.publishStoredMetrics();

    const definitions = readEmf(written()).documents[0]?.directives[0]?.Metrics;
    expect(definitions).toEqual([
      { Name: 'Fast', Unit: 'Count', StorageResolution: 1 },
      { Name: 'Slow', Unit: 'Count' },
    ]);
  });

  it('writes the values of one name at two resolutions in documents of their own, each at its resolution', () => {
    // Prepare: a server's buffer is shared by requests; two code paths record CheckoutTime, one at
    // high resolution. A document declares one StorageResolution per name.
    const metrics = configured();
    const timestamp = Date.now() - 60_000;
    metrics.setTimestamp(timestamp);
    metrics.addDimension('Tenant', 'acme');
    metrics.addMetadata('requestId', 'r-1');

    // Act
    metrics.addMetric('CheckoutTime', MetricUnit.Milliseconds, 5);
    metrics.addMetric('Orders', MetricUnit.Count, 1);
    metrics.addMetric('CheckoutTime', MetricUnit.Milliseconds, 7, 1);
    metrics.addMetric('CheckoutTime', MetricUnit.Milliseconds, 9, 1);
    metrics.addMetric('CheckoutTime', MetricUnit.Milliseconds, 11);
    metrics.publishStoredMetrics();

    // Assess: every value, each under the resolution it was added with, with the buffer's
    // dimensions, metadata and timestamp.
    const { documents, invalid } = readEmf(written());
    expect(invalid).toEqual([]);
    expect(
      documents.map((document) => ({
        metrics: document.directives[0]?.Metrics,
        latency: document.root.CheckoutTime,
        tenant: document.root.Tenant,
        requestId: document.root.requestId,
        timestamp: document.timestamp,
      })),
    ).toEqual([
      {
        metrics: [
          { Name: 'CheckoutTime', Unit: 'Milliseconds' },
          { Name: 'Orders', Unit: 'Count' },
        ],
        latency: 5,
        tenant: 'acme',
        requestId: 'r-1',
        timestamp,
      },
      {
        metrics: [{ Name: 'CheckoutTime', Unit: 'Milliseconds', StorageResolution: 1 }],
        latency: [7, 9],
        tenant: 'acme',
        requestId: 'r-1',
        timestamp,
      },
      {
        metrics: [{ Name: 'CheckoutTime', Unit: 'Milliseconds' }],
        latency: 11,
        tenant: 'acme',
        requestId: 'r-1',
        timestamp,
      },
    ]);
    expect(documents[0]?.directives[0]?.Dimensions).toEqual([['Service', 'Environment', 'Tenant']]);
    expect(documents[2]?.directives[0]?.Dimensions).toEqual([['Service', 'Environment', 'Tenant']]);
    expect(warnings).toEqual([]);
  });

  it.each([
    [
      '100 values of one metric',
      (metrics: LookoutMetrics) => {
        for (let i = 0; i < 150; i++) metrics.addMetric('CheckoutTime', MetricUnit.Milliseconds, i);
      },
      [100, 50],
    ],
    [
      '100 metrics',
      (metrics: LookoutMetrics) => {
        for (let i = 0; i < 150; i++) metrics.addMetric(`Step${i}`, MetricUnit.Count, 1);
      },
      [100, 50],
    ],
  ] as const)(
    'keeps the dimensions, metadata and timestamp for the rest of the buffer when it publishes at %s',
    (_case, add, metricsPerDocument) => {
      // Prepare: one invocation's dimension, metadata and timestamp, then more than a document holds.
      const metrics = configured();
      const timestamp = Date.now() - 60_000;
      metrics.setTimestamp(timestamp);
      metrics.addDimension('Tenant', 'acme');
      metrics.addMetadata('requestId', 'r-1');

      // Act
      add(metrics);
      metrics.publishStoredMetrics();

      // Assess: the values past the automatic publish are the same invocation's.
      const { documents, invalid } = readEmf(written());
      expect(invalid).toEqual([]);
      expect(
        documents.map((document) => {
          const directive = document.directives[0];
          const values = directive?.Metrics.reduce(
            (count, { Name }) => count + [document.root[Name]].flat().length,
            0,
          );
          return [
            values,
            directive?.Dimensions,
            document.root.Tenant,
            document.root.requestId,
            document.timestamp,
          ];
        }),
      ).toEqual(
        metricsPerDocument.map((count) => [
          count,
          [['Service', 'Environment', 'Tenant']],
          'acme',
          'r-1',
          timestamp,
        ]),
      );
      // The next invocation starts clean, as after any publish.
      metrics.addMetric('CheckoutTime', MetricUnit.Milliseconds, 1);
      metrics.publishStoredMetrics();
      const last = readEmf(written()).documents.at(-1);
      expect(last?.directives[0]?.Dimensions).toEqual([['Service', 'Environment']]);
      expect(last?.root.requestId).toBeUndefined();
    },
  );

  it('writes no empty document when a metric published at 100 values comes back at the other resolution', () => {
    // Prepare
    const metrics = configured();

    // Act
    for (let i = 0; i < 100; i++) metrics.addMetric('CheckoutTime', MetricUnit.Milliseconds, i);
    metrics.addMetric('CheckoutTime', MetricUnit.Milliseconds, 7, 1);
    metrics.publishStoredMetrics();

    // Assess
    const { documents, invalid } = readEmf(written());
    expect(invalid).toEqual([]);
    expect(documents.map((document) => document.directives[0]?.Metrics)).toEqual([
      [{ Name: 'CheckoutTime', Unit: 'Milliseconds' }],
      [{ Name: 'CheckoutTime', Unit: 'Milliseconds', StorageResolution: 1 }],
    ]);
  });

  it("drops a timestamp set in a buffer that published nothing, with that buffer's dimensions and metadata", () => {
    // Prepare: one invocation (or flush interval) sets a timestamp, a dimension and metadata
    // but adds no metric; Lookout's flush then ends the buffer without a publish.
    const metrics = configured();
    const stale = Date.now() - 3_600_000;
    metrics.setTimestamp(stale);
    metrics.addDimension('Tenant', 'acme');
    metrics.addMetadata('requestId', 'r-1');
    metrics.publishOrDiscard();

    // Act: the next one adds a metric and sets nothing.
    const before = Date.now();
    metrics.addMetric('OrderPlaced', MetricUnit.Count, 1);
    metrics.publishStoredMetrics();

    // Assess: written now, under the next one's dimensions only.
    const [document] = readEmf(written()).documents;
    expect(document?.timestamp).toBeGreaterThanOrEqual(before);
    expect(document?.root.Tenant).toBeUndefined();
    expect(document?.root.requestId).toBeUndefined();
  });

  it('writes nothing when disabled', () => {
    const metrics = configured();
    metrics.configure({ namespace: 'Shop', defaultDimensions: {}, disabled: true, defaultResolution: 60 });

    metrics.addMetric('A', MetricUnit.Count, 1);
    metrics.publishStoredMetrics();

    expect(written()).toBe('');
  });

  it('gives single metrics the configured namespace and dimensions, not Powertools’ "service"', () => {
    const metrics = configured();

    const single = metrics.singleMetric();
    single.addMetric('Once', MetricUnit.Count, 1);

    expect(single).toBeInstanceOf(LookoutMetrics);
    const [document] = readEmf(written()).documents;
    expect(document?.directives[0]?.Namespace).toBe('Shop');
    expect(document?.directives[0]?.Dimensions).toEqual([['Service', 'Environment']]);
    expect(document?.root.service).toBeUndefined();
  });

  it('writes each dimension set once, however many times it was added: CloudWatch extracts the metric once per set', () => {
    // Prepare: one tenant tagged per request, the same keys every time (on a server many
    // requests share the buffer), and a set given in another order.
    const metrics = configured();

    // Act
    for (let request = 0; request < 3; request++) {
      metrics.addDimensions({ Tenant: 'alpha' });
      metrics.addMetric('OrderPlaced', MetricUnit.Count, 1);
    }
    metrics.addDimensions({ Region: 'eu', Tenant: 'alpha' });
    metrics.addDimensions({ Tenant: 'alpha', Region: 'eu' });
    metrics.publishStoredMetrics();

    // Assess: three values, each extracted once per distinct set, not once per call.
    const { documents, invalid } = readEmf(written());
    expect(invalid).toEqual([]);
    expect(documents).toHaveLength(1);
    expect(documents[0]?.root.OrderPlaced).toEqual([1, 1, 1]);
    const [directive] = documents[0]?.directives ?? [];
    expect(directive?.Dimensions).toEqual([
      ['Service', 'Environment', 'Tenant'],
      ['Service', 'Environment', 'Region', 'Tenant'],
    ]);
  });

  it('writes metrics without dimensions as one empty dimension set, as the EMF specification asks', () => {
    // Powertools writes "Dimensions": [] once the default dimensions are cleared: a directive
    // the specification refuses (at least one dimension set), so its metrics would be lost.
    const metrics = configured();
    metrics.clearDefaultDimensions();

    metrics.addMetric('Plain', MetricUnit.Count, 1);
    metrics.publishStoredMetrics();
    metrics.singleMetric().addMetric('Single', MetricUnit.Count, 1);

    const { documents, invalid } = readEmf(written());
    expect(invalid).toEqual([]);
    expect(documents.map((document) => document.directives[0]?.Dimensions)).toEqual([[[]], [[]]]);
    expect(documents.map((document) => Object.keys(document.root))).toEqual([
      ['_aws', 'Plain'],
      ['_aws', 'Single'],
    ]);
  });

  it('survives a POWERTOOLS_METRICS_DISABLED that Powertools itself throws on', () => {
    vi.stubEnv('POWERTOOLS_METRICS_DISABLED', 'maybe');

    expect(() => new Metrics()).toThrow();
    expect(() => new LookoutMetrics()).not.toThrow();
    expect(warnings.some((line) => line.includes('POWERTOOLS_METRICS_DISABLED'))).toBe(true);
  });

  it('still throws on an empty publish when the app asked for that with setThrowOnEmptyMetrics', () => {
    const metrics = configured().setThrowOnEmptyMetrics(true);

    expect(() => metrics.publishStoredMetrics()).toThrow(RangeError);
  });

  it('routes Powertools’ own warnings to Lookout diagnostics, not stdout', () => {
    const metrics = configured();

    metrics.publishStoredMetrics();

    expect(written()).toBe('');
    expect(warnings.some((line) => line.includes('No application metrics to publish'))).toBe(true);
  });
});

describe('the metrics object: documents within CloudWatch limits', () => {
  it('splits a buffer that would make a document over one CloudWatch Logs event', () => {
    const metrics = configured();
    // 99 metrics with 255-character names and 99 values of 24 characters: about 290 KB as one
    // document (Powertools itself publishes at 100 metrics or 100 values, not by size).
    const names = Array.from(
      { length: 99 },
      (_, index) => `${String(index).padStart(3, '0')}${'m'.repeat(252)}`,
    );
    for (const name of names)
      for (let sample = 0; sample < 99; sample += 1)
        metrics.addMetric(name, MetricUnit.Milliseconds, -(sample + 1) * 1.2345678901234567e-100);

    metrics.publishStoredMetrics();

    const { documents, invalid } = readEmf(written());
    expect(invalid).toEqual([]);
    expect(documents.length).toBeGreaterThan(1);
    const values = documents.flatMap((document) =>
      names.flatMap((name) => {
        const value = document.root[name];
        return value === undefined ? [] : Array.isArray(value) ? value : [value];
      }),
    );
    expect(values).toHaveLength(99 * 99);
  });

  it('drops metadata too large for any document, keeps the metrics and says so once', () => {
    const metrics = configured();
    // Each value is cut at logging.maxStringLength (10,000) like any logged string; thirty of
    // them still make more than one event can hold.
    const addPayload = (fill: string) => {
      for (let index = 0; index < 30; index += 1) metrics.addMetadata(`payload${index}`, fill.repeat(10_000));
    };
    addPayload('x');
    metrics.addMetric('OrderPlaced', MetricUnit.Count, 1);

    metrics.publishStoredMetrics();
    addPayload('y');
    metrics.addMetric('OrderPlaced', MetricUnit.Count, 1);
    metrics.publishStoredMetrics();

    const { documents, invalid } = readEmf(written());
    expect(invalid).toEqual([]);
    expect(documents.map((document) => document.root.OrderPlaced)).toEqual([1, 1]);
    expect(warnings.filter((line) => line.includes('metadata'))).toHaveLength(1);
    expect(diagnostics.counts().get('metrics:document-size')).toBe(2);
  });

  it.each([
    ['1e200', 1e200],
    ['-1e200', -1e200],
    ['5e-324', 5e-324],
    ['1e-200', 1e-200],
  ])('refuses %s, a value CloudWatch rejects, with a diagnostic', (_name, value) => {
    const metrics = configured();

    metrics.addMetric('Weight', MetricUnit.Count, value).addMetric('Weight', MetricUnit.Count, 2);
    metrics.publishStoredMetrics();

    const { documents, invalid } = readEmf(written());
    expect(invalid).toEqual([]);
    expect(documents[0]?.root.Weight).toBe(2);
    expect(warnings.join('')).toContain('LOOKOUT_METRIC_INVALID');
  });
});

describe('the metrics object: metadata', () => {
  it('redacts metadata like a log entry: sensitive keys, URL tokens and e-mail addresses', () => {
    const metrics = configured();
    metrics.addMetadata('apiKey', 'sk_live_metadata_1');
    metrics.addMetadata('callback', 'https://x.test/cb?token=t0k3n-metadata&ok=1');
    metrics.addMetadata('customer', 'jane.doe@example.com');
    metrics.addMetric('OrderPlaced', MetricUnit.Count, 1);

    metrics.publishStoredMetrics();

    const text = written();
    expect(text).not.toContain('sk_live_metadata_1');
    expect(text).not.toContain('t0k3n-metadata');
    expect(text).not.toContain('jane.doe');
    const { documents } = readEmf(text);
    expect(documents[0]?.root).toMatchObject({
      apiKey: '[REDACTED]',
      callback: 'https://x.test/cb?token=[REDACTED]&ok=1',
      customer: 'ja***@example.com',
    });
  });
});
