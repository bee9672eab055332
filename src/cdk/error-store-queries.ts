// Logs Insights queries over the forwarder's log group: it writes one line per stored error
// with the error's fingerprint, so the counts below are the table's own grouping.
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { STORED_LINE_MESSAGE } from './error-store-contract.js';
import { fitName, NAME_LIMITS } from './fit-name.js';
import type { InsightsQuery } from './insights-queries.js';

/**
 * The error store's Logs Insights queries, run on the forwarder's log group. `topFingerprints`
 * is also the error store's dashboard widget.
 *
 * @example
 * ERROR_STORE_QUERIES.topFingerprints.query; // 'filter message = "error store: error stored"\n| stats ...'
 */
export const ERROR_STORE_QUERIES = {
  topFingerprints: {
    title: 'Top error fingerprints',
    description:
      'Errors grouped by fingerprint (same type, same top frame), most frequent first, with an example to open in the table.',
    query: [
      `filter message = "${STORED_LINE_MESSAGE}"`,
      '| stats count(*) as occurrences, latest(error_type) as type, latest(function_name) as function, latest(error_message) as example, latest(error_id) as latestErrorId, max(@timestamp) as lastSeen by fingerprint',
      '| sort occurrences desc',
      '| limit 20',
    ].join('\n'),
    visualization: 'table',
  },
  errorsByFunction: {
    title: 'Stored errors per hour by function',
    description: 'Errors written to the table, per function (or server) and hour.',
    query: [
      `filter message = "${STORED_LINE_MESSAGE}"`,
      '| stats count(*) as errors by function_name, bin(1h)',
    ].join('\n'),
    visualization: 'table',
  },
  forwarderProblems: {
    title: 'Error store forwarder problems',
    description:
      'Skipped log events, refused items, undecodable deliveries and failed invocations, newest first.',
    query: [
      'fields @timestamp, level, message, reason, log_event_id, error_id, error.message',
      '| filter level in ["WARN", "ERROR", "CRITICAL"]',
      '| sort @timestamp desc',
      '| limit 100',
    ].join('\n'),
    visualization: 'table',
  },
} as const satisfies Record<string, InsightsQuery>;

export type ErrorStoreQueryId = keyof typeof ERROR_STORE_QUERIES;

/** Saves the error store's queries in the console folder `Lookout/<service>/<environment>/Error store`. */
export function createErrorStoreQueries(
  scope: Construct,
  logGroup: logs.ILogGroup,
  folder: string,
): Record<ErrorStoreQueryId, logs.CfnQueryDefinition> {
  const saved = {} as Record<ErrorStoreQueryId, logs.CfnQueryDefinition>;
  for (const id of Object.keys(ERROR_STORE_QUERIES) as ErrorStoreQueryId[]) {
    const { title, query } = ERROR_STORE_QUERIES[id];
    saved[id] = new logs.CfnQueryDefinition(scope, `Query${id[0]?.toUpperCase()}${id.slice(1)}`, {
      name: fitName(`${folder}/${title}`, NAME_LIMITS.queryDefinition),
      queryString: query,
      logGroupNames: [logGroup.logGroupName],
    });
  }
  return saved;
}

/** The dashboard widget for the top fingerprints. */
export function topFingerprintsWidget(logGroup: logs.ILogGroup): cloudwatch.LogQueryWidget {
  const { title, query } = ERROR_STORE_QUERIES.topFingerprints;
  return new cloudwatch.LogQueryWidget({
    title,
    logGroupNames: [logGroup.logGroupName],
    queryString: query,
    view: cloudwatch.LogQueryVisualizationType.TABLE,
    width: 24,
    height: 6,
  });
}
