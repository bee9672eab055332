// The alarms watch what the SDK writes, exactly: a real process (the built package, init(),
// the recorder API the adapters use) writes its metrics with the construct's
// runtimeEnvironment, the EMF reader extracts them as CloudWatch would, and every Lookout
// metric an alarm or a dashboard SEARCH reads must be one of those series — same namespace,
// metric name, unit and dimension names and values.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { beforeAll, describe, expect, it } from 'vitest';
import { ServiceObservability } from '../../src/cdk/index.js';
import {
  alarmReferences,
  dashboardSearches,
  type MetricReference,
  resourcesOfType,
  type TemplateJson,
} from '../helpers/cdk-template.js';
import { type MetricSum, readEmf, sumEmf } from '../helpers/emf-reader.js';
import { cleanEnv, fixture, REPO_ROOT } from '../helpers/node-process.js';

const run = promisify(execFile);

interface Written {
  readonly sums: Map<string, MetricSum>;
  readonly invalid: number;
}

async function writeMetrics(
  mode: 'server' | 'lambda',
  env: Readonly<Record<string, string>>,
): Promise<Written> {
  const { stdout } = await run(process.execPath, [fixture('cdk-metrics-writer.mjs'), mode], {
    cwd: REPO_ROOT,
    env: cleanEnv({ ...env, OTEL_TRACES_EXPORTER: 'none', LOOKOUT_HANDLE_SIGNALS: 'false' }),
  });
  const { documents, invalid } = readEmf(stdout);
  return { sums: sumEmf(documents), invalid: invalid.length };
}

function sameDimensions(
  written: Readonly<Record<string, string>>,
  wanted: Readonly<Record<string, unknown>>,
): boolean {
  const keys = Object.keys(wanted);
  return keys.length === Object.keys(written).length && keys.every((key) => written[key] === wanted[key]);
}

/** The written series an alarm metric reads, if any: namespace, name, unit and every dimension equal. */
function seriesFor(written: Written, metric: MetricReference): MetricSum | undefined {
  return [...written.sums.values()].find(
    (sum) =>
      sum.namespace === metric.namespace &&
      sum.name === metric.name &&
      sum.unit === metric.unit &&
      sameDimensions(sum.dimensions, metric.dimensions),
  );
}

let template: TemplateJson;
let server: ServiceObservability;
let worker: ServiceObservability;
let written: { server: Written; lambda: Written };

beforeAll(async () => {
  const app = new App();
  const stack = new Stack(app, 'RuntimeMatch');
  server = new ServiceObservability(stack, 'Server', {
    serviceName: 'orders-api',
    environment: 'itest',
    namespace: 'Lookout/Test',
    platform: 'server',
  });
  worker = new ServiceObservability(stack, 'Worker', {
    serviceName: 'orders-worker',
    environment: 'itest',
    platform: 'lambda',
    functions: [
      new lambda.Function(stack, 'WorkerFunction', {
        runtime: lambda.Runtime.NODEJS_24_X,
        handler: 'index.handler',
        code: lambda.Code.fromInline('exports.handler = async () => ({})'),
      }),
    ],
  });
  // Synthesis and the two processes run side by side.
  const [serverWritten, lambdaWritten] = await Promise.all([
    writeMetrics('server', server.runtimeEnvironment),
    writeMetrics('lambda', worker.runtimeEnvironment),
    Promise.resolve().then(() => {
      template = Template.fromStack(stack).toJSON() as TemplateJson;
    }),
  ]);
  written = { server: serverWritten, lambda: lambdaWritten };
});

function alarmsOf(
  observability: ServiceObservability,
): { name: string; metrics: MetricReference[]; properties: Record<string, unknown> }[] {
  const prefix = `${observability.metricIdentity.service}-${observability.metricIdentity.environment}-`;
  return resourcesOfType(template, 'AWS::CloudWatch::Alarm')
    .filter(([, properties]) => String(properties.AlarmName).startsWith(prefix))
    .map(([, properties]) => ({
      name: String(properties.AlarmName).slice(prefix.length),
      metrics: alarmReferences(properties).metrics.filter(
        (metric) => metric.namespace === observability.metricIdentity.namespace,
      ),
      properties,
    }));
}

describe.each([
  ['server', () => server, () => written.server],
  ['lambda', () => worker, () => written.lambda],
] as const)('alarms of a %s service', (_platform, observability, writtenBy) => {
  it('read only series the running service wrote, valid EMF', () => {
    const alarms = alarmsOf(observability());
    const references = alarms.flatMap(({ name, metrics }) => metrics.map((metric) => ({ name, metric })));

    expect(writtenBy().invalid).toBe(0);
    // error rate (2), latency (1), brute force (1), failed actions (7), deletes (2), access denied (1)
    expect(references).toHaveLength(14);
    for (const { name, metric } of references) {
      expect(seriesFor(writtenBy(), metric), `${name}: ${JSON.stringify(metric)}`).toBeDefined();
    }
  });

  it('cover the error-rate, latency and audit alarms with the values written', () => {
    const byName = new Map(alarmsOf(observability()).map((alarm) => [alarm.name, alarm]));
    const sum = (name: string) =>
      (byName.get(name)?.metrics ?? []).map((metric) => seriesFor(writtenBy(), metric)?.sum ?? Number.NaN);

    // One request or invocation of two faulted: the fault-rate expression reads 1 of 2.
    expect(sum('error-rate').sort()).toEqual([1, 2]);
    expect(sum('latency-p99')).toHaveLength(1);
    expect(sum('brute-force')).toEqual([1]);
    expect(sum('failed-actions')).toEqual([1, 1, 1, 1, 1, 1, 1]);
    expect(sum('excessive-deletes')).toEqual([1, 1]);
    expect(sum('access-denied')).toEqual([1]);
  });

  it('count suspicious requests over the exact dimension set the SDK writes them under', () => {
    const identity = observability().metricIdentity;
    const alarm = alarmsOf(observability()).find(({ name }) => name === 'suspicious-requests');
    const [query] = alarmReferences(alarm?.properties ?? {}).queries;
    const series = [...writtenBy().sums.values()].filter(
      (sum) => sum.namespace === query?.namespace && sum.name === query.name,
    );

    expect(query?.where).toEqual({ Service: identity.service, Environment: identity.environment });
    expect(series).toHaveLength(1);
    expect(Object.keys(series[0]?.dimensions ?? {}).sort()).toEqual(
      [...(query?.dimensionNames ?? [])].sort(),
    );
    expect(series[0]?.dimensions).toMatchObject(query?.where ?? {});
  });

  it('draw dashboard SEARCH lines over series the service wrote', () => {
    const [, dashboard] = resourcesOfType(template, 'AWS::CloudWatch::Dashboard').find(
      ([, properties]) => properties.DashboardName === `${observability().metricIdentity.service}-itest`,
    ) ?? ['', {}];
    const searches = dashboardSearches(dashboard);

    // per operation: requests, faults, latency; audit events; suspicious requests
    expect(searches).toHaveLength(5);
    for (const search of searches) {
      const matches = [...writtenBy().sums.values()].filter(
        (sum) =>
          sum.namespace === search.namespace &&
          sum.name === search.name &&
          Object.keys(sum.dimensions).sort().join() === [...search.dimensionNames].sort().join() &&
          Object.entries(search.where).every(([key, value]) => sum.dimensions[key] === value),
      );
      expect(matches.length, JSON.stringify(search)).toBeGreaterThan(0);
    }
  });
});

describe('the runtime environment', () => {
  it('is what made the processes write under each construct identity', () => {
    const namespaces = (w: Written) => new Set([...w.sums.values()].map((sum) => sum.namespace));

    expect(namespaces(written.server)).toEqual(new Set(['Lookout/Test']));
    expect(namespaces(written.lambda)).toEqual(new Set(['Lookout']));
  });
});
