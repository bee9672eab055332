import { describe, expect, it } from 'vitest';
import { defineScenario, loadScenarios, selectScenarios } from '../../../benchmarks/lib/scenario.mjs';

const valid = {
  id: 'example',
  letter: 'z',
  title: 'Example',
  summary: 'An example.',
  worker: 'example',
  variants: ['bare', 'lookout-full'],
  baseline: 'bare',
  rounds: { full: 3, quick: 1 },
  timeoutMs: 1000,
  metrics: [{ key: 'ms', label: 'time', unit: 'ms', better: 'lower' as const }],
  columns: [{ metric: 'ms', show: 'value' as const }],
  chart: ['ms'],
};

describe('scenario declarations', () => {
  it('accepts a complete declaration unchanged', () => {
    expect(defineScenario(valid)).toBe(valid);
  });

  it.each([
    ['an unknown variant', { variants: ['bare', 'nope'] }, 'unknown variant "nope"'],
    ['a baseline that is not a variant', { baseline: 'otel-auto' }, 'baseline otel-auto is not a variant'],
    [
      'a column of an undeclared metric',
      { columns: [{ metric: 'rps', show: 'value' }] },
      'column metric rps',
    ],
    [
      'both a worker and a source scenario',
      { derivedFrom: 'other' },
      'exactly one of worker and derivedFrom',
    ],
    ['zero rounds', { rounds: { full: 0, quick: 1 } }, 'rounds must be at least 1'],
  ])('rejects %s, naming the scenario', (_name, change, message) => {
    expect(() => defineScenario({ ...valid, ...change } as typeof valid)).toThrow(`scenario example: `);
    expect(() => defineScenario({ ...valid, ...change } as typeof valid)).toThrow(message);
  });
});

describe('scenario discovery', async () => {
  const all = await loadScenarios();

  it('loads every scenario module, ordered by letter', () => {
    const names = all.map((scenario) => `${scenario.letter} ${scenario.id}`);
    expect(names).toEqual(
      expect.arrayContaining(['a server-cold-start', 'b server-steady-state', 'e memory', 'g footprint']),
    );
    expect(names).toEqual([...names].sort());
  });

  it('gives every scenario at least 10 cold-start spawns and 3 steady-state pairs in full mode', () => {
    const rounds = Object.fromEntries(all.map((scenario) => [scenario.id, scenario.rounds.full]));
    expect(rounds['server-cold-start']).toBeGreaterThanOrEqual(10);
    expect(rounds['server-steady-state']).toBeGreaterThanOrEqual(3);
  });

  it('selects by letter or id and brings in the scenario a derived one reads', () => {
    expect(selectScenarios(all, ['e']).map((scenario) => scenario.id)).toEqual([
      'server-steady-state',
      'memory',
    ]);
    expect(selectScenarios(all, ['footprint', 'a']).map((scenario) => scenario.id)).toEqual([
      'server-cold-start',
      'footprint',
    ]);
    expect(selectScenarios(all, ['a,b'.split(',')].flat()).map((scenario) => scenario.id)).toEqual([
      'server-cold-start',
      'server-steady-state',
    ]);
    expect(selectScenarios(all, [])).toHaveLength(all.length);
  });

  it('names the known scenarios when asked for an unknown one', () => {
    expect(() => selectScenarios(all, ['lambda'])).toThrow(
      /no scenario "lambda"; known: server-cold-start \(a\)/,
    );
  });
});
