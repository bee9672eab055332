import * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { fitName, NAME_LIMITS } from './fit-name.js';
import { INSIGHTS_QUERIES, type InsightsQueryId } from './insights-queries.js';

// Query definition names may not hold ":" or "*"; "/" separates folders in the console.
function folderPart(text: string): string {
  return text.replace(/[:*/]/g, '-');
}

/**
 * Saves every Lookout Logs Insights query (AWS::Logs::QueryDefinition) for the service's log
 * group, in the console folder `Lookout/<service>/<environment>`.
 *
 * @example
 * createSavedQueries(this, logGroup, ['orders-api', 'prod']);
 */
export function createSavedQueries(
  scope: Construct,
  logGroup: logs.ILogGroup,
  folder: readonly string[],
): Record<InsightsQueryId, logs.CfnQueryDefinition> {
  const prefix = ['Lookout', ...folder.map(folderPart)].join('/');
  const saved: Partial<Record<InsightsQueryId, logs.CfnQueryDefinition>> = {};
  for (const [id, { title, query }] of Object.entries(INSIGHTS_QUERIES) as [
    InsightsQueryId,
    (typeof INSIGHTS_QUERIES)[InsightsQueryId],
  ][]) {
    saved[id] = new logs.CfnQueryDefinition(scope, `Query${id[0]?.toUpperCase()}${id.slice(1)}`, {
      name: fitName(`${prefix}/${title}`, NAME_LIMITS.queryDefinition),
      queryString: query,
      logGroupNames: [logGroup.logGroupName],
    });
  }
  return saved as Record<InsightsQueryId, logs.CfnQueryDefinition>;
}
