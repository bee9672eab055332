import type * as apigateway from 'aws-cdk-lib/aws-apigateway';
import type * as apigatewayv2 from 'aws-cdk-lib/aws-apigatewayv2';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type { IConstruct } from 'constructs';
import { LookoutConfigError } from '../core.js';
import { type AlarmId, type AlarmTuning, resolveAlarmSettings } from './alarm-defaults.js';
import { type AlarmContext, alarmNameOf, createAlarm } from './create-alarm.js';
import { guardedRate, minRequestsOf } from './guarded-rate.js';

/** An API that `ServiceObservability.addApi()` watches: a REST API or an HTTP API. */
export type ObservedApi = apigateway.RestApiBase | apigatewayv2.HttpApi;

/**
 * The per-stage metrics a REST stage (`apigateway.Stage`, metric names `5XXError`, `4XXError`,
 * dimensions ApiName and Stage) and an HTTP API stage (`apigatewayv2.IHttpStage`, `5xx`, `4xx`,
 * dimensions ApiId and Stage) both offer under the same method names.
 */
export interface ApiStageMetrics extends IConstruct {
  metricServerError(props?: cloudwatch.MetricOptions): cloudwatch.Metric;
  metricClientError(props?: cloudwatch.MetricOptions): cloudwatch.Metric;
  metricCount(props?: cloudwatch.MetricOptions): cloudwatch.Metric;
  metricLatency(props?: cloudwatch.MetricOptions): cloudwatch.Metric;
  metricIntegrationLatency(props?: cloudwatch.MetricOptions): cloudwatch.Metric;
}

/** Options of `ServiceObservability.addApi()`. */
export interface ApiOptions {
  /**
   * The stage to watch.
   * @default the REST API's `deploymentStage`, or the HTTP API's `defaultStage`
   */
  readonly stage?: apigateway.Stage | apigatewayv2.IHttpStage;
}

/** The alarms of one API stage, on the AWS/ApiGateway metrics. */
export interface ApiAlarms {
  readonly serverErrorRate?: cloudwatch.Alarm;
  readonly clientErrorRate?: cloudwatch.Alarm;
  readonly latencyP99?: cloudwatch.Alarm;
}

/** One API being watched: its stage, what kind it is, and its key in ids and names. */
export interface WatchedApi {
  readonly stage: ApiStageMetrics;
  readonly kind: 'REST' | 'HTTP';
  readonly key: string;
}

/**
 * The stage whose metrics the alarms read: given, or the API's own. Refused at synth when the
 * API has none (a REST API built with `deploy: false`, an HTTP API without a default stage).
 *
 * @example
 * resolveApiStage(restApi, {}); // restApi.deploymentStage
 */
export function resolveApiStage(api: ObservedApi, options: ApiOptions): ApiStageMetrics {
  if (options.stage !== undefined) return options.stage;
  let stage: ApiStageMetrics | undefined;
  try {
    stage = 'restApiId' in api ? api.deploymentStage : api.defaultStage;
  } catch {
    // RestApi's deploymentStage getter throws when the API has no deployment.
    stage = undefined;
  }
  if (stage === undefined) {
    throw new LookoutConfigError({
      option: 'addApi(api, { stage })',
      value: api.node.path,
      accepted: 'an API with a deployment stage (or default stage), or the stage to watch',
    });
  }
  return stage;
}

/**
 * Alarms for one API stage: 5XX and 4XX responses as a share of requests (judged only in
 * periods with enough requests) and p99 Latency.
 *
 * @example
 * createApiAlarms(context, { stage: api.deploymentStage, kind: 'REST', key: 'OrdersApi' }, props.alarms ?? {});
 */
export function createApiAlarms(
  context: AlarmContext,
  api: WatchedApi,
  tuning: Partial<Record<AlarmId, AlarmTuning>>,
): ApiAlarms {
  const alarms: { -readonly [K in keyof ApiAlarms]: ApiAlarms[K] } = {};
  const { stage, key } = api;
  const name = alarmNameOf(key);
  // `Count` is a sample count by default on a REST stage; its Sum is the same number and adds
  // up correctly in metric math (docs/decisions/0037-api-gateway-alarms.md).
  const requests = stage.metricCount({ statistic: 'Sum' });
  const serverErrors = resolveAlarmSettings('apiServerErrorRate', tuning.apiServerErrorRate);
  if (serverErrors.enabled) {
    alarms.serverErrorRate = createAlarm(
      context,
      serverErrors,
      `${key}ServerErrorRateAlarm`,
      `${name}-5xx-rate`,
      guardedRate(
        stage.metricServerError({ statistic: 'Sum' }),
        requests,
        minRequestsOf(serverErrors),
        '5XX rate (%)',
      ),
    );
  }
  const clientErrors = resolveAlarmSettings('apiClientErrorRate', tuning.apiClientErrorRate);
  if (clientErrors.enabled) {
    alarms.clientErrorRate = createAlarm(
      context,
      clientErrors,
      `${key}ClientErrorRateAlarm`,
      `${name}-4xx-rate`,
      guardedRate(
        stage.metricClientError({ statistic: 'Sum' }),
        requests,
        minRequestsOf(clientErrors),
        '4XX rate (%)',
      ),
    );
  }
  const latency = resolveAlarmSettings('apiLatencyP99', tuning.apiLatencyP99);
  if (latency.enabled) {
    alarms.latencyP99 = createAlarm(
      context,
      latency,
      `${key}LatencyP99Alarm`,
      `${name}-latency-p99`,
      stage.metricLatency({ statistic: 'p99' }),
    );
  }
  return alarms;
}
