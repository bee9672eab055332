import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ALARM_DEFAULTS, type AlarmId, resolveAlarmSettings } from '../../../src/cdk/alarm-defaults.js';
import { LookoutConfigError } from '../../../src/core.js';

describe('alarm defaults', () => {
  it.each([
    ['errorRate', 5, 2, 2],
    ['functionErrorRate', 5, 2, 2],
    ['functionDuration', 500, 2, 2],
    ['functionThrottles', 5, 1, 1],
    ['bruteForce', 20, 1, 1],
    ['failedActions', 50, 1, 1],
    ['excessiveDeletes', 30, 1, 1],
  ] as const)(
    '%s fires above %d over %d period(s) of 5 minutes (%d breaching)',
    (id, threshold, periods, datapoints) => {
      const settings = resolveAlarmSettings(id);

      expect(settings).toMatchObject({
        threshold,
        evaluationPeriods: periods,
        datapointsToAlarm: datapoints,
        periodSeconds: 300,
      });
      expect(settings.enabled).toBe(true);
    },
  );

  it('sends failures of the service and the security alarms that need someone now to the critical topic', () => {
    const critical = (Object.keys(ALARM_DEFAULTS) as AlarmId[]).filter(
      (id) => ALARM_DEFAULTS[id].severity === 'critical',
    );

    expect(critical.sort()).toEqual([
      'bruteForce',
      'errorRate',
      'excessiveDeletes',
      'functionErrorRate',
      'functionThrottles',
    ]);
  });
});

describe('resolveAlarmSettings', () => {
  it('keeps the defaults it is not told to change', () => {
    const settings = resolveAlarmSettings('bruteForce', { threshold: 100, severity: 'warning' });

    expect(settings).toMatchObject({
      threshold: 100,
      severity: 'warning',
      evaluationPeriods: 1,
      periodSeconds: 300,
    });
  });

  it('lowers datapointsToAlarm with evaluationPeriods when only the periods are tuned', () => {
    expect(resolveAlarmSettings('errorRate', { evaluationPeriods: 1 }).datapointsToAlarm).toBe(1);
    expect(resolveAlarmSettings('errorRate', { evaluationPeriods: 5 }).datapointsToAlarm).toBe(2);
  });

  it('turns an alarm off with enabled: false', () => {
    expect(resolveAlarmSettings('accessDenied', { enabled: false }).enabled).toBe(false);
  });

  it.each([
    [{ threshold: -1 }, 'alarms.latencyP99.threshold'],
    [{ threshold: Number.NaN }, 'alarms.latencyP99.threshold'],
    [{ evaluationPeriods: 0 }, 'alarms.latencyP99.evaluationPeriods'],
    [{ evaluationPeriods: 2, datapointsToAlarm: 3 }, 'alarms.latencyP99.datapointsToAlarm'],
    [{ periodSeconds: 90 }, 'alarms.latencyP99.periodSeconds'],
    [{ periodSeconds: 3600, evaluationPeriods: 25 }, 'alarms.latencyP99.periodSeconds'],
    [{ severity: 'page' as never }, 'alarms.latencyP99.severity'],
  ])('refuses %o, naming %s', (tuning, option) => {
    const act = () => resolveAlarmSettings('latencyP99', tuning);

    expect(act).toThrow(LookoutConfigError);
    expect(act).toThrow(`Invalid option "${option}"`);
  });
});

describe('docs/infrastructure.md', () => {
  const doc = readFileSync(new URL('../../../docs/infrastructure.md', import.meta.url), 'utf8');

  it.each(Object.keys(ALARM_DEFAULTS) as AlarmId[])(
    'states the default of %s as ALARM_DEFAULTS has it',
    (id) => {
      const { threshold, evaluationPeriods, datapointsToAlarm, periodSeconds, severity } = ALARM_DEFAULTS[id];
      const row = doc.split('\n').find((line) => line.startsWith(`| \`${id}\` |`));
      const cells = (row ?? '').split('|').map((cell) => cell.trim());
      const minutes = periodSeconds / 60;
      const window =
        evaluationPeriods === 1
          ? `in ${minutes} min`
          : `in ${datapointsToAlarm} of ${evaluationPeriods} periods of ${minutes} min`;

      expect(row, `a row for ${id}`).toBeDefined();
      expect(cells[3]).toMatch(new RegExp(`^> ${threshold}\\b.* ${window}$`));
      expect(cells[4]).toBe(severity);
    },
  );
});
