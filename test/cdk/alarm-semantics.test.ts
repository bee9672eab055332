// What the alarms do with realistic traffic, judged by a CloudWatch-semantics evaluator
// (test/helpers/cloudwatch-alarm-evaluator.ts, itself checked against the user guide's
// examples) over the alarms exactly as synthesized: the metric math, the period, evaluation
// periods, datapoints to alarm and missing-data treatment of the template. The day is synthetic:
// raw samples as the SDK, AWS Lambda and API Gateway write them (one per request), quiet at
// night, busy by day. CloudWatch itself is not called (no AWS account in tests).
import { App, type CfnElement, Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as apigatewayv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as integrations from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { beforeAll, describe, expect, it } from 'vitest';
import { ServiceObservability } from '../../src/cdk/index.js';
import { resourcesOfType, type TemplateJson } from '../helpers/cdk-template.js';
import { runAlarm, type Sample, type SyntheticSeries } from '../helpers/cloudwatch-alarm-evaluator.js';

const MINUTE = 60;
const HOUR = 3600;
const DAY = 24 * HOUR;
const PERIOD = 5 * MINUTE;

/** One request: when, whether the server failed it (5xx), refused it (4xx), and how long it took. */
interface Request {
  readonly t: number;
  readonly fault: boolean;
  readonly clientError: boolean;
  readonly ms: number;
}

interface Phase {
  readonly from: number;
  readonly to: number;
  /** Requests in each 5-minute period, spread evenly. */
  readonly perPeriod: number;
  /** Which requests fail and how long they take; `index` counts requests within the phase. */
  readonly shape?: (index: number, t: number) => Partial<Omit<Request, 't'>>;
}

function day(...phases: Phase[]): Request[] {
  const requests: Request[] = [];
  for (const { from, to, perPeriod, shape } of phases) {
    let index = 0;
    for (let start = from; start < to; start += PERIOD) {
      for (let k = 0; k < perPeriod; k += 1) {
        const t = start + Math.floor(((k + 0.5) * PERIOD) / perPeriod);
        requests.push({ t, fault: false, clientError: false, ms: 80, ...shape?.(index, t) });
        index += 1;
      }
    }
  }
  return requests;
}

/** A normal day: 3 requests per 5 minutes at night (00:00-07:00), 200 by day. */
const NIGHT = { from: 0, to: 7 * HOUR, perPeriod: 3 };
const DAYTIME = { from: 7 * HOUR, to: DAY, perPeriod: 200 };

const samples = (requests: readonly Request[], value: (request: Request) => number): Sample[] =>
  requests.map((request) => ({ t: request.t, value: value(request) }));

/** What Lookout's SDK writes per request under [Service, Environment]. */
function lookoutSeries(
  requests: readonly Request[],
  traffic: 'RequestCount' | 'Invocations',
): SyntheticSeries[] {
  const dimensions = { Service: 'orders-api', Environment: 'prod' };
  const metric = (name: string, unit: string, value: (request: Request) => number): SyntheticSeries => ({
    namespace: 'Lookout',
    name,
    dimensions,
    unit,
    samples: samples(requests, value),
  });
  return [
    metric(traffic, 'Count', () => 1),
    metric('Fault', 'Count', (request) => (request.fault ? 1 : 0)),
    metric('Latency', 'Milliseconds', (request) => request.ms),
  ];
}

/** What AWS Lambda writes per invocation of one function. */
function lambdaSeries(requests: readonly Request[], functionRef: unknown): SyntheticSeries[] {
  const dimensions = { FunctionName: functionRef };
  return [
    { namespace: 'AWS/Lambda', name: 'Invocations', dimensions, samples: samples(requests, () => 1) },
    {
      namespace: 'AWS/Lambda',
      name: 'Errors',
      dimensions,
      samples: samples(requests, (r) => (r.fault ? 1 : 0)),
    },
    { namespace: 'AWS/Lambda', name: 'Duration', dimensions, samples: samples(requests, (r) => r.ms) },
  ];
}

/** What API Gateway writes per request of one stage (REST and HTTP APIs name their error metrics differently). */
function gatewaySeries(
  requests: readonly Request[],
  dimensions: Record<string, unknown>,
  names: { readonly serverError: string; readonly clientError: string },
): SyntheticSeries[] {
  const metric = (name: string, value: (request: Request) => number): SyntheticSeries => ({
    namespace: 'AWS/ApiGateway',
    name,
    dimensions,
    samples: samples(requests, value),
  });
  return [
    metric('Count', () => 1),
    metric(names.serverError, (request) => (request.fault ? 1 : 0)),
    metric(names.clientError, (request) => (request.clientError ? 1 : 0)),
    metric('Latency', (request) => request.ms + 15),
    metric('IntegrationLatency', (request) => request.ms),
  ];
}

let json: TemplateJson;
let functionRef: unknown;
let restDimensions: Record<string, unknown>;
let httpDimensions: Record<string, unknown>;

beforeAll(() => {
  const app = new App();
  const stack = new Stack(app, 'Semantics');
  const ref = (element: unknown) => ({ Ref: stack.getLogicalId(element as CfnElement) });
  const fn = new lambda.Function(stack, 'OrdersHandler', {
    runtime: lambda.Runtime.NODEJS_24_X,
    handler: 'index.handler',
    code: lambda.Code.fromInline('exports.handler = async () => ({})'),
    timeout: Duration.seconds(10),
  });
  const observability = new ServiceObservability(stack, 'Lambda', {
    serviceName: 'orders-api',
    environment: 'prod',
    platform: 'lambda',
    functions: [fn],
    dashboard: false,
    savedQueries: false,
  });
  const rest = new apigateway.LambdaRestApi(stack, 'OrdersRest', {
    handler: fn,
    deployOptions: { stageName: 'prod' },
  });
  const http = new apigatewayv2.HttpApi(stack, 'OrdersHttp', {
    defaultIntegration: new integrations.HttpLambdaIntegration('Orders', fn),
  });
  observability.addApi(rest);
  observability.addApi(http);
  // The same service on a server, with the optional no-traffic alarm, and a copy whose
  // guard is off (minRequests 1) to show what the guard prevents.
  new ServiceObservability(stack, 'Server', {
    serviceName: 'orders-api',
    environment: 'prod',
    platform: 'server',
    alarmNamePrefix: 'server',
    alarms: { noTraffic: { enabled: true } },
    dashboard: false,
    savedQueries: false,
  });
  new ServiceObservability(stack, 'Unguarded', {
    serviceName: 'orders-api',
    environment: 'prod',
    platform: 'server',
    alarmNamePrefix: 'unguarded',
    alarms: { errorRate: { minRequests: 1 } },
    dashboard: false,
    savedQueries: false,
  });
  json = Template.fromStack(stack).toJSON() as TemplateJson;
  functionRef = ref(fn.node.defaultChild);
  restDimensions = { ApiName: rest.restApiName, Stage: ref(rest.deploymentStage.node.defaultChild) };
  httpDimensions = { ApiId: ref(http.node.defaultChild), Stage: '$default' };
});

function alarm(name: string): Record<string, unknown> {
  const found = resourcesOfType(json, 'AWS::CloudWatch::Alarm').find(([, p]) => p.AlarmName === name);
  if (found === undefined) throw new Error(`no alarm ${name}`);
  return found[1];
}

const clock = (seconds: number) =>
  `${String(Math.floor(seconds / HOUR)).padStart(2, '0')}:${String((seconds % HOUR) / MINUTE).padStart(2, '0')}`;

/** Runs an alarm over the day and gives the times (hh:mm, start of the period) it went into ALARM. */
function alarmsOver(name: string, series: readonly SyntheticSeries[]): string[] {
  return runAlarm(alarm(name), series, 0, DAY).alarmedAt.map(clock);
}

/** A night with one failed request in each of two consecutive quiet periods (02:00 and 02:05). */
const flakyNight = () =>
  day(
    { ...NIGHT, shape: (_index, t) => ({ fault: t === 2 * HOUR + 50 || t === 2 * HOUR + PERIOD + 50 }) },
    DAYTIME,
  );

/** The database goes down at 14:00 for 20 minutes: 60 % of requests fail. */
const outage = () =>
  day(NIGHT, {
    ...DAYTIME,
    shape: (index, t) => ({ fault: t >= 14 * HOUR && t < 14 * HOUR + 20 * MINUTE && index % 5 < 3 }),
  });

describe('the service error-rate alarm (fault rate with a minimum-traffic guard)', () => {
  it('stays quiet on a night with one failed request', () => {
    const night = day({ ...NIGHT, shape: (index) => ({ fault: index === 40 }) }, DAYTIME);

    expect(alarmsOver('server-error-rate', lookoutSeries(night, 'RequestCount'))).toEqual([]);
  });

  it('stays quiet when a failure in each of two quiet periods reads 33 %, which pages without the guard', () => {
    expect(alarmsOver('server-error-rate', lookoutSeries(flakyNight(), 'RequestCount'))).toEqual([]);
    expect(alarmsOver('unguarded-error-rate', lookoutSeries(flakyNight(), 'RequestCount'))).toEqual([
      '02:05',
    ]);
  });

  it('fires once, at the second bad period, in a real outage', () => {
    expect(alarmsOver('server-error-rate', lookoutSeries(outage(), 'RequestCount'))).toEqual(['14:05']);
  });

  it('watches Invocations the same way on Lambda', () => {
    expect(alarmsOver('orders-api-prod-error-rate', lookoutSeries(flakyNight(), 'Invocations'))).toEqual([]);
    expect(alarmsOver('orders-api-prod-error-rate', lookoutSeries(outage(), 'Invocations'))).toEqual([
      '14:05',
    ]);
  });
});

describe('the function error-rate alarm', () => {
  it('stays quiet on a flaky night and fires in an outage', () => {
    expect(
      alarmsOver('orders-api-prod-orders-handler-error-rate', lambdaSeries(flakyNight(), functionRef)),
    ).toEqual([]);
    expect(
      alarmsOver('orders-api-prod-orders-handler-error-rate', lambdaSeries(outage(), functionRef)),
    ).toEqual(['14:05']);
  });
});

describe('the function duration alarm (p99 against 80 % of the 10 s timeout)', () => {
  it('stays quiet on a night with a cold start and on a normal busy day', () => {
    const normal = day(
      { ...NIGHT, shape: (index) => ({ ms: index === 0 ? 1800 : 120 }) },
      { ...DAYTIME, shape: (index) => ({ ms: index % 100 === 0 ? 900 : 150 }) },
    );

    expect(alarmsOver('orders-api-prod-orders-handler-duration', lambdaSeries(normal, functionRef))).toEqual(
      [],
    );
  });

  it('fires when a slow dependency pushes invocations towards the timeout', () => {
    const slow = day(NIGHT, {
      ...DAYTIME,
      shape: (index, t) => ({
        ms: t >= 16 * HOUR && t < 16 * HOUR + 15 * MINUTE && index % 10 === 0 ? 9500 : 150,
      }),
    });

    expect(alarmsOver('orders-api-prod-orders-handler-duration', lambdaSeries(slow, functionRef))).toEqual([
      '16:05',
    ]);
  });
});

describe.each([
  ['REST', 'orders-rest', () => restDimensions, { serverError: '5XXError', clientError: '4XXError' }],
  ['HTTP', 'orders-http', () => httpDimensions, { serverError: '5xx', clientError: '4xx' }],
] as const)('the %s API alarms', (_kind, name, dimensions, names) => {
  const series = (requests: readonly Request[]) => gatewaySeries(requests, dimensions(), names);

  it('5XX rate: quiet on a flaky night, fires in an outage', () => {
    expect(alarmsOver(`orders-api-prod-${name}-5xx-rate`, series(flakyNight()))).toEqual([]);
    expect(alarmsOver(`orders-api-prod-${name}-5xx-rate`, series(outage()))).toEqual(['14:05']);
  });

  it('4XX rate: quiet with the usual few 404s and a scanner at night, fires when a client release breaks', () => {
    const usual = day(
      { ...NIGHT, shape: (_index, t) => ({ clientError: t >= 3 * HOUR && t < 3 * HOUR + PERIOD }) },
      { ...DAYTIME, shape: (index) => ({ clientError: index % 33 === 0 }) },
    );
    const broken = day(NIGHT, {
      ...DAYTIME,
      shape: (index, t) => ({
        clientError: t >= 11 * HOUR && t < 12 * HOUR ? index % 5 < 2 : index % 33 === 0,
      }),
    });

    expect(alarmsOver(`orders-api-prod-${name}-4xx-rate`, series(usual))).toEqual([]);
    expect(alarmsOver(`orders-api-prod-${name}-4xx-rate`, series(broken))).toEqual(['11:05']);
  });

  it('p99 latency: quiet with cold starts, fires when the API is slow for ten minutes', () => {
    const normal = day(NIGHT, { ...DAYTIME, shape: (index) => ({ ms: index % 150 === 0 ? 1500 : 120 }) });
    const slow = day(NIGHT, {
      ...DAYTIME,
      shape: (index, t) => ({
        ms: t >= 18 * HOUR && t < 18 * HOUR + 10 * MINUTE && index % 20 === 0 ? 4000 : 120,
      }),
    });

    expect(alarmsOver(`orders-api-prod-${name}-latency-p99`, series(normal))).toEqual([]);
    expect(alarmsOver(`orders-api-prod-${name}-latency-p99`, series(slow))).toEqual(['18:05']);
  });
});

describe('the no-traffic alarm (turned on)', () => {
  it('stays quiet through a quiet night with a request every ten minutes', () => {
    const sparse = day({ from: 0, to: 7 * HOUR, perPeriod: 1, shape: () => ({}) }, DAYTIME).filter(
      (request) => request.t >= 7 * HOUR || Math.floor(request.t / PERIOD) % 2 === 0,
    );

    expect(alarmsOver('server-no-traffic', lookoutSeries(sparse, 'RequestCount'))).toEqual([]);
  });

  it('fires at the third silent period when traffic stops at 15:00 (no data points: the SDK writes nothing)', () => {
    const stopped = day(NIGHT, { ...DAYTIME, to: 15 * HOUR });

    expect(alarmsOver('server-no-traffic', lookoutSeries(stopped, 'RequestCount'))).toEqual(['15:10']);
  });

  it('fires at once for a service that never had any traffic in the range', () => {
    expect(alarmsOver('server-no-traffic', [])).toEqual(['00:00']);
  });
});

describe('the service p99 latency alarm', () => {
  it('stays quiet on a night with one slow request and fires when requests are slow for ten minutes', () => {
    const night = day({ ...NIGHT, shape: (index) => ({ ms: index === 7 ? 2500 : 80 }) }, DAYTIME);
    const slow = day(NIGHT, {
      ...DAYTIME,
      shape: (index, t) => ({
        ms: t >= 9 * HOUR && t < 9 * HOUR + 10 * MINUTE && index % 20 === 0 ? 1800 : 80,
      }),
    });

    expect(alarmsOver('server-latency-p99', lookoutSeries(night, 'RequestCount'))).toEqual([]);
    expect(alarmsOver('server-latency-p99', lookoutSeries(slow, 'RequestCount'))).toEqual(['09:05']);
  });
});
