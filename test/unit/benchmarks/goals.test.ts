import { describe, expect, it } from 'vitest';
import { evaluateGoal, GOALS } from '../../../benchmarks/lib/goals.mjs';

const coldStartGoal = GOALS.find((goal) => goal.scenario === 'server-cold-start')!;
const helloGoal = GOALS.find(
  (goal) => goal.metric === 'helloRps' && goal.variant === 'lookout-full' && goal.against === 'bare',
)!;

function coldStart(bare: number[], lookout: number[]) {
  return {
    metrics: [{ key: 'firstResponseMs', label: 'x', unit: 'ms', better: 'lower' as const }],
    runs: [
      ...bare.map((ms, index) => ({ round: index + 1, variant: 'bare', metrics: { firstResponseMs: ms } })),
      ...lookout.map((ms, index) => ({
        round: index + 1,
        variant: 'lookout-full',
        metrics: { firstResponseMs: ms },
      })),
    ],
  };
}

describe('goals', () => {
  it('meets a "adds at most" goal on the median per-round difference', () => {
    const results = new Map([['server-cold-start', coldStart([200, 210, 400], [220, 235, 425])]]);
    const evaluation = evaluateGoal(coldStartGoal, results);
    expect(evaluation.status).toBe('met');
    expect(evaluation.measured).toBe('+25 ms (+20 ms to +25 ms)');
    expect(evaluation.margin).toBe('5 ms to spare');
  });

  it('says by how much a difference goal is missed', () => {
    const results = new Map([['server-cold-start', coldStart([200, 200, 200], [300, 290, 310])]]);
    const evaluation = evaluateGoal(coldStartGoal, results);
    expect(evaluation.status).toBe('missed');
    expect(evaluation.margin).toBe('over by 70 ms');
  });

  it('checks ratio goals on per-round ratios and reports the shortfall', () => {
    const results = new Map([
      [
        'server-steady-state',
        {
          metrics: [{ key: 'helloRps', label: 'x', unit: 'req/s', better: 'higher' as const }],
          runs: [
            { round: 1, variant: 'bare', metrics: { helloRps: 1000 } },
            { round: 1, variant: 'lookout-full', metrics: { helloRps: 600 } },
            { round: 2, variant: 'bare', metrics: { helloRps: 2000 } },
            { round: 2, variant: 'lookout-full', metrics: { helloRps: 1200 } },
          ],
        },
      ],
    ]);
    const evaluation = evaluateGoal(helloGoal, results);
    expect(evaluation.status).toBe('missed');
    expect(evaluation.measured).toBe('0.60x (0.60x–0.60x)');
    expect(evaluation.margin).toBe('short by 0.20x (25 %)');
  });

  it('reports a goal without results as not measured, never as met', () => {
    const evaluation = evaluateGoal(coldStartGoal, new Map());
    expect(evaluation.status).toBe('not measured');
    expect(evaluation.measured).toContain('server-cold-start');
  });

  it('reports a goal whose variant never produced a sample as not measured', () => {
    const results = new Map([['server-cold-start', coldStart([200], [])]]);
    expect(evaluateGoal(coldStartGoal, results).status).toBe('not measured');
  });

  describe('decided by every round (runtime metrics, 2 µs)', () => {
    const runtimeGoal = GOALS.find((goal) => goal.variant === 'server-with-runtime-metrics')!;
    function metricsCost(withMetrics: number[], withRuntime: number[]) {
      return {
        metrics: [{ key: 'appCpuUsPerRequest', label: 'x', unit: 'µs', better: 'lower' as const }],
        runs: withMetrics.flatMap((us, index) => [
          { round: index + 1, variant: 'server-with-metrics', metrics: { appCpuUsPerRequest: us } },
          {
            round: index + 1,
            variant: 'server-with-runtime-metrics',
            metrics: { appCpuUsPerRequest: withRuntime[index]! },
          },
        ]),
      };
    }

    it('is not resolved when the rounds fall on both sides of the target, whatever the median', () => {
      const results = new Map([['metrics-cost', metricsCost([200, 200, 200], [90, 95, 300])]]);
      const evaluation = evaluateGoal(runtimeGoal, results);
      expect(evaluation.status).toBe('not resolved');
      expect(evaluation.measured).toBe('−105.00 µs (−110.00 µs to +100.00 µs)');
      expect(evaluation.margin).toBe('rounds span 210.00 µs, the target is 2.00 µs');
    });

    it('is met only when every round is within the target', () => {
      const results = new Map([['metrics-cost', metricsCost([200, 200, 200], [201, 200.5, 201.5])]]);
      const evaluation = evaluateGoal(runtimeGoal, results);
      expect(evaluation.status).toBe('met');
      expect(evaluation.margin).toBe('0.50 µs to spare');
    });

    it('is missed when every round is over the target', () => {
      const results = new Map([['metrics-cost', metricsCost([200, 200, 200], [203, 205, 210])]]);
      expect(evaluateGoal(runtimeGoal, results).status).toBe('missed');
    });
  });

  it('covers every goal of the issue', () => {
    expect(GOALS.map((goal) => goal.scenario)).toEqual([
      'server-cold-start',
      'lambda-init',
      'server-steady-state',
      'server-steady-state',
      'server-steady-state',
      'server-steady-state',
      'server-steady-state',
      'server-steady-state',
      'lambda-overhead',
      'lambda-overhead',
      'lambda-overhead',
      'lambda-overhead',
      'lambda-overhead',
      'lambda-overhead',
      'memory',
      'logging-throughput',
      'footprint',
      'metrics-cost',
      'runtime-metrics-cost',
    ]);
  });

  describe("scenario d's warm window", () => {
    const lambdaGoals = GOALS.filter((goal) => goal.scenario === 'lambda-overhead');
    const primary = lambdaGoals.filter((goal) => goal.additional === undefined);
    const additional = lambdaGoals.filter((goal) => goal.additional !== undefined);

    function lambdaOverhead(fresh: number[], warm: number[]) {
      const metrics = (cpuUs: number, warmCpuUs: number) => ({ cpuUs, warmCpuUs });
      return {
        metrics: [
          { key: 'cpuUs', label: 'CPU', unit: 'µs', better: 'lower' as const },
          { key: 'warmCpuUs', label: 'warm: CPU', unit: 'µs', better: 'lower' as const },
        ],
        runs: fresh.flatMap((cpuUs, index) => [
          { round: index + 1, variant: 'bare', metrics: metrics(200, 150) },
          { round: index + 1, variant: 'lookout-wrap-xray', metrics: metrics(cpuUs, warm[index]!) },
        ]),
      };
    }

    it('keeps the goals on the fresh window and adds the warm one as a labelled additional measurement', () => {
      expect(primary.map((goal) => goal.metric)).toEqual(['callerUs', 'callerUs', 'cpuUs']);
      expect(additional.map((goal) => goal.metric)).toEqual(['warmCallerUs', 'warmCallerUs', 'warmCpuUs']);
      for (const [index, goal] of additional.entries()) {
        const { metric: _warmMetric, additional: label, ...rest } = goal;
        const { metric: _freshMetric, ...original } = primary[index]!;
        expect(rest).toEqual(original);
        expect(label).toMatch(/warm window/);
      }
    });

    it('judges each window from its own metric', () => {
      const results = new Map([['lambda-overhead', lambdaOverhead([1200, 1300, 1250], [190, 180, 230])]]);
      const fresh = evaluateGoal(primary[2]!, results);
      const warm = evaluateGoal(additional[2]!, results);
      expect(fresh.status).toBe('missed');
      expect(fresh.measured).toBe('+1,050.0 µs (+1,000.0 µs to +1,100.0 µs)');
      expect(warm.status).toBe('met');
      expect(warm.measured).toBe('+40.0 µs (+30.0 µs to +80.0 µs)');
    });
  });
});
