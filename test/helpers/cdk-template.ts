// Reads synthesized CloudFormation templates for the CDK tests: the metrics each alarm
// watches (plain metrics, metric-math members, Metrics Insights queries), the SEARCH
// expressions of a dashboard, and the dashboard body as JSON.

/** A CloudFormation template, as `Template.toJSON()` returns it. */
export interface TemplateJson {
  readonly Resources: Readonly<
    Record<string, { readonly Type: string; readonly Properties?: Record<string, unknown> }>
  >;
}

/** One metric an alarm reads, with exact dimensions. */
export interface MetricReference {
  readonly namespace: string;
  readonly name: string;
  readonly dimensions: Readonly<Record<string, unknown>>;
  readonly unit: string | undefined;
  readonly statistic: string | undefined;
}

/** A Metrics Insights query `SELECT FN(metric) FROM SCHEMA("ns", dims...) WHERE a = 'x' AND ...`. */
export interface InsightsQueryReference {
  readonly namespace: string;
  readonly name: string;
  readonly dimensionNames: readonly string[];
  readonly where: Readonly<Record<string, string>>;
}

/** A SEARCH expression `SEARCH('{"ns",dims...} MetricName="X" a="v"', 'Stat', period)`. */
export interface SearchReference {
  readonly namespace: string;
  readonly name: string;
  readonly dimensionNames: readonly string[];
  readonly where: Readonly<Record<string, string>>;
  readonly statistic: string;
}

export function resourcesOfType(template: TemplateJson, type: string): [string, Record<string, unknown>][] {
  return Object.entries(template.Resources)
    .filter(([, resource]) => resource.Type === type)
    .map(([id, resource]) => [id, resource.Properties ?? {}]);
}

interface RawDimension {
  readonly Name: string;
  readonly Value: unknown;
}

function toDimensions(list: readonly RawDimension[] | undefined): Record<string, unknown> {
  return Object.fromEntries((list ?? []).map(({ Name, Value }) => [Name, Value]));
}

const unquote = (text: string): string => text.trim().replace(/^"(.*)"$/, '$1');

/** Parses the Metrics Insights queries the constructs write; undefined for anything else. */
export function parseInsightsQuery(expression: string): InsightsQueryReference | undefined {
  const match = /^SELECT \w+\(("?[\w ]+"?)\) FROM SCHEMA\((.+?)\) WHERE (.+)$/.exec(expression);
  if (match === null) return undefined;
  const [, name = '', schema = '', condition = ''] = match;
  const [namespace = '', ...dimensionNames] = schema.split(',').map(unquote);
  const where: Record<string, string> = {};
  for (const term of condition.split(' AND ')) {
    const pair = /^("?[\w ]+"?) = '([^']*)'$/.exec(term.trim());
    if (pair === null) throw new Error(`unexpected WHERE term: ${term}`);
    where[unquote(pair[1] ?? '')] = pair[2] ?? '';
  }
  return { namespace, name: unquote(name), dimensionNames, where };
}

/** Parses the SEARCH expressions the constructs write; undefined for anything else. */
export function parseSearch(expression: string): SearchReference | undefined {
  const match = /^SEARCH\('\{(.+?)\} (.+)', '([^']+)', \d+\)$/.exec(expression);
  if (match === null) return undefined;
  const [, schema = '', terms = '', statistic = ''] = match;
  const [namespace = '', ...dimensionNames] = schema.split(',').map(unquote);
  const where: Record<string, string> = {};
  for (const term of terms.matchAll(/("?[\w ]+"?)="([^"]*)"/g)) where[unquote(term[1] ?? '')] = term[2] ?? '';
  const { MetricName: name = '', ...filter } = where;
  return { namespace, name, dimensionNames, where: filter, statistic };
}

/** What one alarm watches: its plain metrics (also the members of a math expression) and its Metrics Insights queries. */
export function alarmReferences(properties: Record<string, unknown>): {
  metrics: MetricReference[];
  queries: InsightsQueryReference[];
  expressions: string[];
} {
  const metrics: MetricReference[] = [];
  const queries: InsightsQueryReference[] = [];
  const expressions: string[] = [];
  if (typeof properties.MetricName === 'string') {
    metrics.push({
      namespace: properties.Namespace as string,
      name: properties.MetricName,
      dimensions: toDimensions(properties.Dimensions as RawDimension[] | undefined),
      unit: properties.Unit as string | undefined,
      statistic: (properties.ExtendedStatistic ?? properties.Statistic) as string | undefined,
    });
  }
  for (const query of (properties.Metrics as Record<string, unknown>[] | undefined) ?? []) {
    const stat = query.MetricStat as
      | {
          Metric: { Namespace: string; MetricName: string; Dimensions?: RawDimension[] };
          Unit?: string;
          Stat: string;
        }
      | undefined;
    if (stat !== undefined) {
      metrics.push({
        namespace: stat.Metric.Namespace,
        name: stat.Metric.MetricName,
        dimensions: toDimensions(stat.Metric.Dimensions),
        unit: stat.Unit,
        statistic: stat.Stat,
      });
    }
    if (typeof query.Expression === 'string') {
      expressions.push(query.Expression);
      const parsed = parseInsightsQuery(query.Expression);
      if (parsed !== undefined) queries.push(parsed);
    }
  }
  return { metrics, queries, expressions };
}

/** The dashboard body as JSON, each CloudFormation token (Ref, GetAtt) replaced by `<token>`. */
export function dashboardBody(properties: Record<string, unknown>): {
  widgets: {
    type: string;
    width: number;
    height: number;
    x: number;
    y: number;
    properties: Record<string, unknown>;
  }[];
} {
  const body = properties.DashboardBody as string | { 'Fn::Join': [string, unknown[]] };
  const text =
    typeof body === 'string'
      ? body
      : body['Fn::Join'][1].map((part) => (typeof part === 'string' ? part : '<token>')).join('');
  return JSON.parse(text);
}

/** Every SEARCH expression in a dashboard's metric widgets. */
export function dashboardSearches(properties: Record<string, unknown>): SearchReference[] {
  const found: SearchReference[] = [];
  for (const widget of dashboardBody(properties).widgets) {
    for (const row of (widget.properties.metrics as unknown[][] | undefined) ?? []) {
      for (const item of row) {
        const expression = (item as { expression?: unknown }).expression;
        if (typeof expression !== 'string') continue;
        const parsed = parseSearch(expression);
        if (parsed !== undefined) found.push(parsed);
      }
    }
  }
  return found;
}
