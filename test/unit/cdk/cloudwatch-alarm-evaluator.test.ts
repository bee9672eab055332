// The CloudWatch evaluator the alarm tests rely on (test/helpers/cloudwatch-alarm-evaluator.ts),
// checked against the examples of the CloudWatch user guide: the two tables of "How alarm
// state is evaluated when data is missing" and the tables of "Use metric math" (comparison
// operators, the IF forms, arithmetic with missing values and division by zero).
import { describe, expect, it } from 'vitest';
import {
  type AlarmRule,
  evaluateExpression,
  runAlarm,
  stateFrom,
} from '../../helpers/cloudwatch-alarm-evaluator.js';

/** `0` a data point within the threshold, `X` a breaching one, `-` a missing one. */
function range(text: string): (number | undefined)[] {
  return text.split(' ').map((cell) => (cell === '-' ? undefined : cell === 'X' ? 10 : 0));
}

const rule = (evaluationPeriods: number, datapointsToAlarm: number, treatMissingData: string): AlarmRule => ({
  threshold: 5,
  comparison: 'GreaterThanThreshold',
  evaluationPeriods,
  datapointsToAlarm,
  treatMissingData,
});

describe('alarm state with missing data, as the user guide tabulates it', () => {
  it.each([
    // 3 of 3: [data points, BREACHING, NOT BREACHING]
    ['0 - X - X', 'OK', 'OK'],
    ['0 - - - -', 'OK', 'OK'],
    ['- - - - -', 'ALARM', 'OK'],
    ['0 X X - X', 'ALARM', 'ALARM'],
    ['- - - - X', 'ALARM', 'OK'],
    ['X - - - -', 'ALARM', 'OK'],
  ])('3 of 3, %s: %s when missing is breaching, %s when not', (points, breaching, notBreaching) => {
    expect(stateFrom(range(points), rule(3, 3, 'breaching'))).toBe(breaching);
    expect(stateFrom(range(points), rule(3, 3, 'notBreaching'))).toBe(notBreaching);
  });

  it.each([
    // 2 of 3
    ['0 - X - X', 'ALARM', 'ALARM'],
    ['0 0 X 0 X', 'ALARM', 'ALARM'],
    ['0 - X - -', 'ALARM', 'OK'],
    ['- - - - 0', 'ALARM', 'OK'],
    ['- - - - X', 'ALARM', 'OK'],
  ])('2 of 3, %s: %s when missing is breaching, %s when not', (points, breaching, notBreaching) => {
    expect(stateFrom(range(points), rule(3, 2, 'breaching'))).toBe(breaching);
    expect(stateFrom(range(points), rule(3, 2, 'notBreaching'))).toBe(notBreaching);
  });

  it('refuses the treatments it does not model', () => {
    expect(() => stateFrom(range('- - - - -'), rule(3, 3, 'missing'))).toThrow(/not modelled/);
    expect(() => stateFrom(range('- - - - -'), rule(3, 3, 'ignore'))).toThrow(/not modelled/);
  });
});

/** A series from the guide's notation: one value per period of 60 s, `-` for none. */
function series(values: (number | '-')[]): Map<number, number> {
  const result = new Map<number, number>();
  values.forEach((value, index) => {
    if (value !== '-') result.set(index * 60, value);
  });
  return result;
}

/** The series back in the guide's notation over `length` periods. */
function cells(result: Map<number, number>, length: number): (number | '-')[] {
  return Array.from({ length }, (_, index) => result.get(index * 60) ?? '-');
}

describe('metric math, as the user guide tabulates it', () => {
  const metric1 = series([30, 20, 0, 0]);
  const metric2 = series([20, '-', 20, '-']);

  it.each([
    ['metric1 < metric2', [0, 0, 1, 0]],
    ['metric1 >= 30', [1, 0, 0, 0]],
    ['metric1 > 15 AND metric2 > 15', [1, 0, 0, 0]],
  ])('%s gives %o (a missing value compares as 0)', (expression, expected) => {
    const ids = new Map([
      ['metric1', metric1],
      ['metric2', metric2],
    ]);

    expect(cells(evaluateExpression(expression, ids), 4)).toEqual(expected);
  });

  const ifInputs = new Map([
    ['metric1', series([1, 1, 0, 0, '-'])],
    ['metric2', series([30, '-', 0, 0, 30])],
    ['metric3', series([0, 0, 20, '-', 20])],
  ]);

  it.each([
    ['IF(metric1, metric2, metric3)', [30, 0, 20, '-', '-']],
    ['IF(metric1, 5, metric3)', [5, 5, 20, '-', '-']],
    ['IF(metric1, metric2, 5)', [30, 0, 5, 5, '-']],
  ])('%s gives %o', (expression, expected) => {
    expect(cells(evaluateExpression(expression, ifInputs), 5)).toEqual(expected);
  });

  it('reads a value missing from one side of an arithmetic operator as 0, and drops a division by zero', () => {
    const ids = new Map([
      ['faults', series([1, '-', 3, 2])],
      ['requests', series([10, 5, '-', 4])],
    ]);

    expect(cells(evaluateExpression('100 * faults / requests', ids), 4)).toEqual([10, 0, '-', 50]);
  });

  it('sums an array of series over the union of their timestamps', () => {
    const ids = new Map([
      ['a', series([1, '-', 2])],
      ['b', series(['-', 4, 3])],
    ]);

    expect(cells(evaluateExpression('SUM([a, b])', ids), 3)).toEqual([1, 4, 5]);
  });

  it('fills every period of the range with FILL, and gives nothing for a series with no data in it', () => {
    const periods = [0, 60, 120, 180];

    expect(cells(evaluateExpression('FILL(a, 0)', new Map([['a', series(['-', 3])]]), periods), 4)).toEqual([
      0, 3, 0, 0,
    ]);
    expect(evaluateExpression('FILL(a, 0)', new Map([['a', series([])]]), periods).size).toBe(0);
  });

  it('refuses what it does not model rather than guess', () => {
    expect(() => evaluateExpression('RATE(a)', new Map([['a', series([1])]]))).toThrow(/not modelled/);
  });
});

describe('runAlarm', () => {
  const properties = {
    Namespace: 'Test',
    MetricName: 'Latency',
    Dimensions: [{ Name: 'Service', Value: 'api' }],
    ExtendedStatistic: 'p99',
    Unit: 'Milliseconds',
    Period: 60,
    Threshold: 100,
    ComparisonOperator: 'GreaterThanThreshold',
    EvaluationPeriods: 2,
    DatapointsToAlarm: 2,
    TreatMissingData: 'notBreaching',
  };
  const latency = (unit: string, values: number[][]) => ({
    namespace: 'Test',
    name: 'Latency',
    dimensions: { Service: 'api' },
    unit,
    samples: values.flatMap((minute, index) => minute.map((value) => ({ t: index * 60 + 1, value }))),
  });

  it('aggregates samples per period with the statistic and alarms once when 2 of 2 breach', () => {
    const run = runAlarm(properties, [latency('Milliseconds', [[10, 20], [150], [200, 10], [20]])], 0, 240);

    expect([...run.values.values()]).toEqual([20, 150, 200, 20]);
    expect([...run.states.values()]).toEqual(['OK', 'OK', 'ALARM', 'OK']);
    expect(run.alarmedAt).toEqual([120]);
  });

  it('reads only samples of the unit the alarm names', () => {
    const run = runAlarm(properties, [latency('Seconds', [[150], [150]])], 0, 120);

    expect(run.values.size).toBe(0);
    expect(run.alarmedAt).toEqual([]);
  });
});
