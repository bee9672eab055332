// A CloudWatch alarm evaluator for the CDK tests: it reads an AWS::CloudWatch::Alarm as
// synthesized (a plain metric, or metric math over MetricStat members) and runs it over
// synthetic raw samples the way CloudWatch does, so a test can say "a night with one failed
// request: no alarm; a real outage: alarm" about the alarm that would be deployed.
//
// What it models, from the CloudWatch user guide:
// - statistics per period over raw samples: Sum, SampleCount, Average, Minimum, Maximum, pNN
//   (nearest rank), with the Unit filter (a unit given in the alarm reads only samples of it);
// - metric math ("Use metric math"): + - * / between scalars and time series, a value missing
//   in one series read as 0, a division by zero dropping the data point; comparisons and
//   AND / OR giving 0 or 1, a missing value read as 0; IF(condition, a, b) with the
//   documented rules (true and `a` missing: 0; false and `b` missing or absent: dropped);
//   SUM([...]) of time series; FILL(series, value), which fills every period of the query's
//   range when the series has data in it, and gives nothing when it has none (the reading
//   that makes an alarm depend on its missing-data treatment, the cautious one);
// - alarm evaluation ("How alarm state is evaluated when data is missing"): the evaluation
//   range is the most recent N + 2 periods (5 for 3 evaluation periods, as in the guide's
//   tables); if it holds at least N data points the most recent N are judged and missing data
//   plays no part; otherwise every data point in the range is judged, plus as many missing
//   ones, treated as `treatMissingData` says, as make N; ALARM when at least
//   `datapointsToAlarm` of them breach. `breaching` and `notBreaching` are modelled;
//   `missing` and `ignore` are not (no Lookout alarm uses them) and are refused.
// Each evaluation computes the expression over its own evaluation range, as CloudWatch queries
// it. Not modelled, and refused: Metrics Insights queries, SEARCH, anomaly bands, the other math
// functions, and percentile alarms set to ignore low sample counts.

/** One raw value written to a metric at `t` (seconds since any origin). */
export interface Sample {
  readonly t: number;
  readonly value: number;
}

/** A metric and the raw samples written to it. */
export interface SyntheticSeries {
  readonly namespace: string;
  readonly name: string;
  /** Dimension values as the template has them (a string, or a `{ Ref }` token). */
  readonly dimensions: Readonly<Record<string, unknown>>;
  readonly unit?: string;
  readonly samples: readonly Sample[];
}

export type AlarmState = 'OK' | 'ALARM' | 'INSUFFICIENT_DATA';

/** The parts of an alarm that decide its state. */
export interface AlarmRule {
  readonly threshold: number;
  readonly comparison: string;
  readonly evaluationPeriods: number;
  readonly datapointsToAlarm: number;
  readonly treatMissingData: string;
}

/** A time series: period start (seconds) -> value. */
type TimeSeries = Map<number, number>;
type Value = number | TimeSeries | TimeSeries[];

const stableKey = (value: unknown): string =>
  JSON.stringify(value, (_key, inner: unknown) =>
    inner !== null && typeof inner === 'object' && !Array.isArray(inner)
      ? Object.fromEntries(
          Object.entries(inner as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1)),
        )
      : inner,
  );

function percentileOf(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1] ?? Number.NaN;
}

function statistic(values: readonly number[], stat: string): number {
  switch (stat) {
    case 'Sum':
      return values.reduce((sum, value) => sum + value, 0);
    case 'SampleCount':
      return values.length;
    case 'Average':
      return values.reduce((sum, value) => sum + value, 0) / values.length;
    case 'Minimum':
      return Math.min(...values);
    case 'Maximum':
      return Math.max(...values);
    default: {
      const percentile = /^p(\d+(?:\.\d+)?)$/.exec(stat);
      if (percentile === null) throw new Error(`statistic ${stat} is not modelled`);
      return percentileOf(values, Number(percentile[1]));
    }
  }
}

interface MetricStat {
  readonly namespace: string;
  readonly name: string;
  readonly dimensions: Record<string, unknown>;
  readonly unit: string | undefined;
  readonly stat: string;
  readonly period: number;
}

/** One data point per period that has at least one sample, between `from` and `to`. */
function aggregate(
  series: readonly SyntheticSeries[],
  metric: MetricStat,
  from: number,
  to: number,
): TimeSeries {
  const wanted = stableKey(metric.dimensions);
  const buckets = new Map<number, number[]>();
  for (const candidate of series) {
    if (candidate.namespace !== metric.namespace || candidate.name !== metric.name) continue;
    if (stableKey(candidate.dimensions) !== wanted) continue;
    if (metric.unit !== undefined && candidate.unit !== metric.unit) continue;
    for (const sample of candidate.samples) {
      if (sample.t < from || sample.t >= to) continue;
      const start = Math.floor(sample.t / metric.period) * metric.period;
      const bucket = buckets.get(start) ?? [];
      bucket.push(sample.value);
      buckets.set(start, bucket);
    }
  }
  const result: TimeSeries = new Map();
  for (const [start, values] of buckets) result.set(start, statistic(values, metric.stat));
  return result;
}

// --- metric math ---------------------------------------------------------------------------

type Node =
  | { readonly kind: 'number'; readonly value: number }
  | { readonly kind: 'id'; readonly name: string }
  | { readonly kind: 'unary'; readonly operand: Node }
  | { readonly kind: 'binary'; readonly op: string; readonly left: Node; readonly right: Node }
  | { readonly kind: 'call'; readonly name: string; readonly args: Node[] }
  | { readonly kind: 'array'; readonly items: Node[] };

const TOKEN = /\s*(\d+(?:\.\d+)?|[A-Za-z_][A-Za-z0-9_]*|>=|<=|==|!=|&&|\|\||[-+*/^()<>,[\]])/y;

function tokenize(expression: string): string[] {
  const tokens: string[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < expression.length) {
    if (/^\s*$/.test(expression.slice(TOKEN.lastIndex))) break;
    const match = TOKEN.exec(expression);
    if (match === null) throw new Error(`cannot read "${expression.slice(TOKEN.lastIndex)}"`);
    tokens.push(match[1] ?? '');
  }
  return tokens;
}

/** Parses a metric math expression (the subset the constructs write). */
export function parseExpression(expression: string): Node {
  const tokens = tokenize(expression);
  let index = 0;
  const peek = () => tokens[index];
  const take = (expected?: string): string => {
    const token = tokens[index++];
    if (token === undefined || (expected !== undefined && token !== expected))
      throw new Error(`expected ${expected ?? 'a token'} in "${expression}", found ${token ?? 'the end'}`);
    return token;
  };
  const levels: string[][] = [
    ['OR', '||'],
    ['AND', '&&'],
    ['==', '!=', '>=', '<=', '>', '<'],
    ['+', '-'],
    ['*', '/'],
  ];
  const binary = (level: number): Node => {
    if (level === levels.length) return power();
    let left = binary(level + 1);
    while (levels[level]?.includes(peek() ?? '')) {
      const op = take();
      left = {
        kind: 'binary',
        op: op === '&&' ? 'AND' : op === '||' ? 'OR' : op,
        left,
        right: binary(level + 1),
      };
    }
    return left;
  };
  const power = (): Node => {
    const base = unary();
    if (peek() !== '^') return base;
    take('^');
    return { kind: 'binary', op: '^', left: base, right: power() };
  };
  const unary = (): Node => {
    if (peek() === '-') {
      take('-');
      return { kind: 'unary', operand: unary() };
    }
    return primary();
  };
  const list = (close: string): Node[] => {
    const items: Node[] = [];
    while (peek() !== close) {
      items.push(binary(0));
      if (peek() === ',') take(',');
    }
    take(close);
    return items;
  };
  const primary = (): Node => {
    const token = take();
    if (token === '(') {
      const inner = binary(0);
      take(')');
      return inner;
    }
    if (token === '[') return { kind: 'array', items: list(']') };
    if (/^\d/.test(token)) return { kind: 'number', value: Number(token) };
    if (/^[A-Z][A-Z_]*$/.test(token) && peek() === '(') {
      take('(');
      return { kind: 'call', name: token, args: list(')') };
    }
    if (/^[a-z]/.test(token)) return { kind: 'id', name: token };
    throw new Error(`unexpected ${token} in "${expression}"`);
  };
  const node = binary(0);
  if (index !== tokens.length) throw new Error(`unexpected ${tokens[index]} in "${expression}"`);
  return node;
}

const isSeries = (value: Value): value is TimeSeries => value instanceof Map;

function arithmetic(op: string, a: number, b: number): number | undefined {
  switch (op) {
    case '+':
      return a + b;
    case '-':
      return a - b;
    case '*':
      return a * b;
    case '/':
      return b === 0 ? undefined : a / b;
    case '^':
      return a ** b;
    case '==':
      return a === b ? 1 : 0;
    case '!=':
      return a !== b ? 1 : 0;
    case '>=':
      return a >= b ? 1 : 0;
    case '<=':
      return a <= b ? 1 : 0;
    case '>':
      return a > b ? 1 : 0;
    case '<':
      return a < b ? 1 : 0;
    case 'AND':
      return a !== 0 && b !== 0 ? 1 : 0;
    case 'OR':
      return a !== 0 || b !== 0 ? 1 : 0;
    default:
      throw new Error(`operator ${op} is not modelled`);
  }
}

/** Applies a binary operator: over the union of two series' timestamps, a missing value being 0. */
function combine(op: string, left: Value, right: Value): Value {
  if (Array.isArray(left) || Array.isArray(right))
    throw new Error('operators on arrays of series are not modelled');
  if (!isSeries(left) && !isSeries(right)) {
    const result = arithmetic(op, left, right);
    if (result === undefined) throw new Error('a scalar division by zero');
    return result;
  }
  const times = new Set<number>([
    ...(isSeries(left) ? left.keys() : []),
    ...(isSeries(right) ? right.keys() : []),
  ]);
  const result: TimeSeries = new Map();
  for (const t of [...times].sort((a, b) => a - b)) {
    const a = isSeries(left) ? (left.get(t) ?? 0) : left;
    const b = isSeries(right) ? (right.get(t) ?? 0) : right;
    const value = arithmetic(op, a, b);
    if (value !== undefined) result.set(t, value);
  }
  return result;
}

function conditional(condition: Value, whenTrue: Value, whenFalse: Value | undefined): Value {
  if (Array.isArray(condition) || Array.isArray(whenTrue) || Array.isArray(whenFalse))
    throw new Error('IF over arrays of series is not modelled');
  if (!isSeries(condition)) {
    if (condition !== 0) return whenTrue;
    return whenFalse ?? new Map();
  }
  const result: TimeSeries = new Map();
  for (const [t, value] of condition) {
    if (value !== 0) {
      result.set(t, isSeries(whenTrue) ? (whenTrue.get(t) ?? 0) : whenTrue);
    } else if (whenFalse !== undefined) {
      const other = isSeries(whenFalse) ? whenFalse.get(t) : whenFalse;
      if (other !== undefined) result.set(t, other);
    }
  }
  return result;
}

interface MathContext {
  readonly ids: ReadonlyMap<string, TimeSeries>;
  /** Period starts of the query's range, for FILL; undefined outside an alarm run. */
  readonly periods: readonly number[] | undefined;
}

function fill(
  series: Value | undefined,
  filler: Value | undefined,
  periods: readonly number[] | undefined,
): Value {
  if (series === undefined || !isSeries(series) || typeof filler !== 'number')
    throw new Error('only FILL(series, number) is modelled');
  if (periods === undefined) throw new Error('FILL needs the range of the query');
  if (series.size === 0) return new Map();
  return new Map(periods.map((t) => [t, series.get(t) ?? filler]));
}

function evaluateNode(node: Node, context: MathContext): Value {
  const { ids } = context;
  switch (node.kind) {
    case 'number':
      return node.value;
    case 'id': {
      const series = ids.get(node.name);
      if (series === undefined) throw new Error(`no metric with id ${node.name}`);
      return series;
    }
    case 'unary':
      return combine('-', 0, evaluateNode(node.operand, context));
    case 'binary':
      return combine(node.op, evaluateNode(node.left, context), evaluateNode(node.right, context));
    case 'array':
      return node.items.map((item) => {
        const value = evaluateNode(item, context);
        if (!isSeries(value)) throw new Error('arrays of scalars are not modelled');
        return value;
      });
    case 'call': {
      const args = node.args.map((arg) => evaluateNode(arg, context));
      if (node.name === 'IF') {
        const [condition, whenTrue, whenFalse] = args;
        if (condition === undefined || whenTrue === undefined)
          throw new Error('IF needs a condition and a value');
        return conditional(condition, whenTrue, whenFalse);
      }
      if (node.name === 'SUM') {
        const [array] = args;
        if (!Array.isArray(array))
          throw new Error('SUM of a single series gives a scalar: not usable in an alarm');
        return array.reduce<Value>((sum, series) => combine('+', sum, series), new Map());
      }
      if (node.name === 'FILL') return fill(args[0], args[1], context.periods);
      throw new Error(`function ${node.name} is not modelled`);
    }
  }
}

/**
 * Evaluates a metric math expression over named time series (period start -> value);
 * `periods` is the query's range (the period starts FILL fills).
 *
 * @example
 * evaluateExpression('IF(r >= 20, 100 * f / r, 0)', new Map([['r', r], ['f', f]]));
 */
export function evaluateExpression(
  expression: string,
  ids: ReadonlyMap<string, TimeSeries>,
  periods?: readonly number[],
): TimeSeries {
  const value = evaluateNode(parseExpression(expression), { ids, periods });
  if (!isSeries(value)) throw new Error(`"${expression}" does not give one time series`);
  return value;
}

// --- the alarm -----------------------------------------------------------------------------

function breaches(value: number, rule: AlarmRule): boolean {
  switch (rule.comparison) {
    case 'GreaterThanThreshold':
      return value > rule.threshold;
    case 'GreaterThanOrEqualToThreshold':
      return value >= rule.threshold;
    case 'LessThanThreshold':
      return value < rule.threshold;
    case 'LessThanOrEqualToThreshold':
      return value <= rule.threshold;
    default:
      throw new Error(`comparison ${rule.comparison} is not modelled`);
  }
}

/**
 * The state an alarm takes from the data points of its evaluation range, oldest first
 * (`undefined` for a period without a data point). The range is the N + 2 most recent periods.
 *
 * @example
 * stateFrom([0, undefined, 9, undefined, 9], { threshold: 5, comparison: 'GreaterThanThreshold', evaluationPeriods: 3, datapointsToAlarm: 2, treatMissingData: 'notBreaching' });
 * // 'ALARM'
 */
export function stateFrom(range: readonly (number | undefined)[], rule: AlarmRule): AlarmState {
  if (rule.treatMissingData !== 'breaching' && rule.treatMissingData !== 'notBreaching')
    throw new Error(`treatMissingData ${rule.treatMissingData} is not modelled`);
  const existing = range.filter((value): value is number => value !== undefined);
  const judged =
    existing.length >= rule.evaluationPeriods
      ? existing.slice(-rule.evaluationPeriods).map((value) => breaches(value, rule))
      : [
          ...existing.map((value) => breaches(value, rule)),
          ...Array.from(
            { length: rule.evaluationPeriods - existing.length },
            () => rule.treatMissingData === 'breaching',
          ),
        ];
  const breaching = judged.filter(Boolean).length;
  return breaching >= rule.datapointsToAlarm ? 'ALARM' : 'OK';
}

/** What the alarm read and how it was judged, period by period. */
export interface AlarmRun {
  /**
   * The value of the alarm's metric or expression per period start, as computed when that
   * period was the latest of the range (missing periods absent).
   */
  readonly values: ReadonlyMap<number, number>;
  /** The state after each period ends, by the period's start. */
  readonly states: ReadonlyMap<number, AlarmState>;
  /** Period starts at which the alarm went into ALARM (each is one notification). */
  readonly alarmedAt: readonly number[];
  readonly period: number;
}

function metricStatOf(raw: Record<string, unknown>, period: number): MetricStat {
  const metric = raw.Metric as {
    Namespace: string;
    MetricName: string;
    Dimensions?: { Name: string; Value: unknown }[];
  };
  return {
    namespace: metric.Namespace,
    name: metric.MetricName,
    dimensions: Object.fromEntries((metric.Dimensions ?? []).map(({ Name, Value }) => [Name, Value])),
    unit: raw.Unit as string | undefined,
    stat: raw.Stat as string,
    period,
  };
}

/**
 * What an alarm judges, from its properties: the period, and the values over a range of
 * periods (the expression is computed over that range only, as CloudWatch queries it).
 */
function alarmQuery(
  properties: Record<string, unknown>,
  series: readonly SyntheticSeries[],
  from: number,
  to: number,
): { period: number; valuesOver: (periods: readonly number[]) => TimeSeries } {
  if (properties.EvaluateLowSampleCountPercentile === 'ignore')
    throw new Error('percentile alarms that ignore low sample counts are not modelled');
  const within = (values: TimeSeries, periods: readonly number[]): TimeSeries =>
    new Map(periods.flatMap((t) => (values.has(t) ? [[t, values.get(t) ?? 0] as const] : [])));
  if (typeof properties.MetricName === 'string') {
    const period = Number(properties.Period);
    const stat = (properties.ExtendedStatistic ?? properties.Statistic) as string;
    const metric = metricStatOf(
      {
        Metric: {
          Namespace: properties.Namespace,
          MetricName: properties.MetricName,
          Dimensions: properties.Dimensions,
        },
        Unit: properties.Unit,
        Stat: stat,
      },
      period,
    );
    const values = aggregate(series, metric, from, to);
    return { period, valuesOver: (periods) => within(values, periods) };
  }
  const queries = (properties.Metrics as Record<string, unknown>[] | undefined) ?? [];
  const ids = new Map<string, TimeSeries>();
  let period: number | undefined;
  for (const query of queries) {
    const stat = query.MetricStat as Record<string, unknown> | undefined;
    if (stat === undefined) continue;
    const statPeriod = Number(stat.Period);
    if (period !== undefined && period !== statPeriod)
      throw new Error('every metric of an alarm expression must have the same period');
    period = statPeriod;
    ids.set(String(query.Id), aggregate(series, metricStatOf(stat, statPeriod), from, to));
  }
  const returned = queries.filter((query) => query.ReturnData !== false);
  const expression = returned[0]?.Expression;
  if (returned.length !== 1 || typeof expression !== 'string')
    throw new Error('the alarm must return exactly one expression');
  if (period === undefined)
    throw new Error('the expression reads no metric (Metrics Insights is not modelled)');
  return {
    period,
    valuesOver: (periods) =>
      evaluateExpression(
        expression,
        new Map([...ids].map(([id, values]) => [id, within(values, periods)])),
        periods,
      ),
  };
}

/**
 * Runs a synthesized alarm over synthetic samples: evaluated at the end of every period from
 * `from` to `to` (seconds), starting in INSUFFICIENT_DATA.
 *
 * @example
 * const run = runAlarm(alarmProperties, [{ namespace: 'Lookout', name: 'Fault', dimensions, samples }], 0, 86_400);
 * run.alarmedAt; // [] on a quiet night
 */
export function runAlarm(
  properties: Record<string, unknown>,
  series: readonly SyntheticSeries[],
  from: number,
  to: number,
): AlarmRun {
  const rule: AlarmRule = {
    threshold: Number(properties.Threshold),
    comparison: String(properties.ComparisonOperator),
    evaluationPeriods: Number(properties.EvaluationPeriods),
    datapointsToAlarm: Number(properties.DatapointsToAlarm ?? properties.EvaluationPeriods),
    treatMissingData: String(properties.TreatMissingData ?? 'missing'),
  };
  const { period, valuesOver } = alarmQuery(properties, series, from, to);
  const values = new Map<number, number>();
  const states = new Map<number, AlarmState>();
  const alarmedAt: number[] = [];
  let state: AlarmState = 'INSUFFICIENT_DATA';
  const rangeSize = rule.evaluationPeriods + 2;
  for (let start = Math.floor(from / period) * period; start + period <= to; start += period) {
    const periods = Array.from({ length: rangeSize }, (_, k) => start - (rangeSize - 1 - k) * period);
    const evaluated = valuesOver(periods);
    const latest = evaluated.get(start);
    if (latest !== undefined) values.set(start, latest);
    const next = stateFrom(
      periods.map((t) => evaluated.get(t)),
      rule,
    );
    if (next === 'ALARM' && state !== 'ALARM') alarmedAt.push(start);
    state = next;
    states.set(start, state);
  }
  return { values, states, alarmedAt, period };
}
