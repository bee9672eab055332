import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { DIMENSION_NAMES, LOOKOUT_METRICS } from '../core.js';
import type { WatchedApi } from './api-alarms.js';
import type { AuditMetrics } from './audit-metrics.js';
import { INSIGHTS_QUERIES, type InsightsQueryId, type InsightsVisualization } from './insights-queries.js';
import { LazyWidget } from './lazy-widget.js';
import { lookoutMetric, operationSearch, searchMetric } from './lookout-metric.js';
import type { MetricIdentity } from './metric-identity.js';
import type { TrafficMetric } from './service-alarms.js';

/** Everything the dashboard shows. */
export interface DashboardInputs {
  readonly identity: MetricIdentity;
  readonly traffic: TrafficMetric;
  /** Read at synth: functions added after the dashboard was created are included. */
  readonly functions: () => readonly { readonly fn: lambda.IFunction; readonly key: string }[];
  /** Read at synth, like `functions`. */
  readonly apis: () => readonly WatchedApi[];
  readonly audit: AuditMetrics;
  readonly logGroup: logs.ILogGroup;
  /** Read at synth, like `functions`. */
  readonly alarms: () => readonly cloudwatch.IAlarm[];
  readonly dashboardName: string;
}

const PERIOD = 300;
const FULL = 24;
const HALF = 12;
const THIRD = 8;
const HEIGHT = 6;

/**
 * The Logs Insights queries the dashboard shows, in order.
 *
 * @example
 * DASHBOARD_QUERIES.map((id) => INSIGHTS_QUERIES[id].title); // ['Failed logins by user and IP', ...]
 */
export const DASHBOARD_QUERIES: readonly InsightsQueryId[] = [
  'failedLogins',
  'errorsPer15Minutes',
  'recentAuditEvents',
  'slowestEndpoints',
  'deletes',
];

const VIEWS: Record<InsightsVisualization, cloudwatch.LogQueryVisualizationType> = {
  table: cloudwatch.LogQueryVisualizationType.TABLE,
  line: cloudwatch.LogQueryVisualizationType.LINE,
  bar: cloudwatch.LogQueryVisualizationType.BAR,
};

function graph(title: string, left: cloudwatch.IMetric[], width = THIRD): cloudwatch.GraphWidget {
  return new cloudwatch.GraphWidget({ title, left, width, height: HEIGHT });
}

function serviceRow({ identity, traffic }: DashboardInputs): cloudwatch.IWidget[] {
  const level = (definition: Parameters<typeof lookoutMetric>[1], statistic: string, label: string) =>
    lookoutMetric(identity, definition, {}, statistic, PERIOD).with({ label });
  const requests = level(traffic, 'Sum', traffic.name);
  const errors = level(LOOKOUT_METRICS.Error, 'Sum', 'Error (4xx)');
  const faults = level(LOOKOUT_METRICS.Fault, 'Sum', 'Fault (5xx)');
  const rate = (expression: string, label: string) =>
    new cloudwatch.MathExpression({ expression, usingMetrics: { errors, faults, requests }, label });
  return [
    graph(`${traffic.name}, errors and faults`, [requests, errors, faults]),
    graph('Error and fault rate (%)', [
      rate('100 * faults / requests', 'Fault rate'),
      rate('100 * errors / requests', 'Error rate'),
    ]),
    graph(
      'Latency (ms)',
      ['p50', 'p90', 'p99'].map((statistic) => level(LOOKOUT_METRICS.Latency, statistic, statistic)),
    ),
  ];
}

function operationRow({ identity, traffic }: DashboardInputs): cloudwatch.IWidget[] {
  return [
    graph(`${traffic.name} by operation`, [operationSearch(identity, traffic, 'Sum', PERIOD)]),
    graph('Faults by operation', [operationSearch(identity, LOOKOUT_METRICS.Fault, 'Sum', PERIOD)]),
    graph('p99 latency by operation (ms)', [
      operationSearch(identity, LOOKOUT_METRICS.Latency, 'p99', PERIOD),
    ]),
  ];
}

function functionRow(fn: lambda.IFunction, key: string): cloudwatch.IWidget {
  return new cloudwatch.Row(
    graph(
      `${key}: invocations, errors, throttles`,
      [
        fn.metricInvocations({ statistic: 'Sum', label: 'Invocations' }),
        fn.metricErrors({ statistic: 'Sum', label: 'Errors' }),
        fn.metricThrottles({ statistic: 'Sum', label: 'Throttles' }),
      ],
      HALF,
    ),
    graph(
      `${key}: duration (ms)`,
      [
        fn.metricDuration({ statistic: 'p50', label: 'p50' }),
        fn.metricDuration({ statistic: 'p99', label: 'p99' }),
      ],
      HALF,
    ),
  );
}

function apiRow({ stage, key, kind }: WatchedApi): cloudwatch.IWidget {
  return new cloudwatch.Row(
    graph(
      `${key} (${kind} API): requests, 4XX, 5XX`,
      [
        stage.metricCount({ statistic: 'Sum', label: 'Requests' }),
        stage.metricClientError({ statistic: 'Sum', label: '4XX' }),
        stage.metricServerError({ statistic: 'Sum', label: '5XX' }),
      ],
      HALF,
    ),
    graph(
      `${key}: latency (ms)`,
      [
        stage.metricLatency({ statistic: 'p50', label: 'Latency p50' }),
        stage.metricLatency({ statistic: 'p99', label: 'Latency p99' }),
        stage.metricIntegrationLatency({ statistic: 'p99', label: 'Integration latency p99' }),
      ],
      HALF,
    ),
  );
}

// An AlarmStatusWidget shows about four alarms per line of height.
function alarmStatus(alarms: readonly cloudwatch.IAlarm[]): cloudwatch.IWidget {
  if (alarms.length === 0) return new cloudwatch.Column();
  const height = Math.max(3, 1 + Math.ceil(alarms.length / 4));
  return new cloudwatch.AlarmStatusWidget({ title: 'Alarms', alarms: [...alarms], width: FULL, height });
}

function securityRow({ identity, audit }: DashboardInputs): cloudwatch.IWidget[] {
  const { service, environment, rule } = DIMENSION_NAMES;
  return [
    graph('Audit events by action and status', [audit.search(PERIOD)], HALF),
    graph(
      'Suspicious requests by rule',
      [
        searchMetric(
          {
            namespace: identity.namespace,
            filter: { [service]: identity.service, [environment]: identity.environment },
          },
          LOOKOUT_METRICS.SuspiciousRequest,
          [service, environment, rule],
          'Sum',
          PERIOD,
        ),
      ],
      HALF,
    ),
  ];
}

function queryWidgets(logGroup: logs.ILogGroup): cloudwatch.IWidget[] {
  return DASHBOARD_QUERIES.map((id) => {
    const { title, query, visualization } = INSIGHTS_QUERIES[id];
    return new cloudwatch.LogQueryWidget({
      title,
      logGroupNames: [logGroup.logGroupName],
      queryString: query,
      view: VIEWS[visualization],
      width: HALF,
      height: HEIGHT,
    });
  });
}

/**
 * The service dashboard: alarm states; requests, error and fault rates and latency for the
 * service and per operation; requests, 4XX, 5XX and latency per API; invocations, errors, throttles and duration per Lambda function;
 * audit events and suspicious requests; and Logs Insights widgets (failed logins, errors per
 * 15 minutes, recent audit events, slowest endpoints, deletes).
 *
 * @example
 * createObservabilityDashboard(this, 'Dashboard', { identity, traffic, functions, audit, logGroup, alarms, dashboardName });
 */
export function createObservabilityDashboard(
  scope: Construct,
  id: string,
  inputs: DashboardInputs,
): cloudwatch.Dashboard {
  const dashboard = new cloudwatch.Dashboard(scope, id, { dashboardName: inputs.dashboardName });
  const { identity } = inputs;
  dashboard.addWidgets(
    new cloudwatch.TextWidget({
      markdown: `# ${identity.service} (${identity.environment})\nLookout metrics in namespace \`${identity.namespace}\`; Logs Insights widgets read the service log group.`,
      width: FULL,
      height: 2,
    }),
  );
  dashboard.addWidgets(new LazyWidget(() => alarmStatus(inputs.alarms())));
  dashboard.addWidgets(...serviceRow(inputs));
  dashboard.addWidgets(...operationRow(inputs));
  dashboard.addWidgets(new LazyWidget(() => new cloudwatch.Column(...inputs.apis().map(apiRow))));
  dashboard.addWidgets(
    new LazyWidget(
      () => new cloudwatch.Column(...inputs.functions().map(({ fn, key }) => functionRow(fn, key))),
    ),
  );
  dashboard.addWidgets(...securityRow(inputs));
  const queries = queryWidgets(inputs.logGroup);
  for (let index = 0; index < queries.length; index += 2)
    dashboard.addWidgets(...queries.slice(index, index + 2));
  return dashboard;
}
