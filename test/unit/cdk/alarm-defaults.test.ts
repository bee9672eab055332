import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ALARM_DEFAULTS, type AlarmId, resolveAlarmSettings } from '../../../src/cdk/alarm-defaults.js';
import { describeAlarm } from '../../../src/cdk/describe-alarm.js';
import { LookoutConfigError } from '../../../src/core.js';

describe('alarm defaults', () => {
  it.each([
    ['errorRate', 5, 2, 2],
    ['functionErrorRate', 5, 2, 2],
    ['functionDuration', 80, 2, 2],
    ['apiServerErrorRate', 5, 2, 2],
    ['apiClientErrorRate', 25, 2, 2],
    ['apiLatencyP99', 2000, 2, 2],
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
      'apiServerErrorRate',
      'bruteForce',
      'errorRate',
      'excessiveDeletes',
      'functionErrorRate',
      'functionThrottles',
      'noTraffic',
    ]);
  });

  it('judges the 5 % rate alarms only in periods of at least 20 requests, where one failure is at most 5 %', () => {
    for (const id of ['errorRate', 'functionErrorRate', 'apiServerErrorRate'] as const) {
      const { threshold, minRequests } = resolveAlarmSettings(id);

      expect(minRequests).toBe(20);
      expect((100 * 1) / (minRequests ?? 0)).toBeLessThanOrEqual(threshold);
      expect((100 * 1) / ((minRequests ?? 0) - 1)).toBeGreaterThan(threshold);
    }
  });

  it('leaves the no-traffic alarm off unless it is turned on, and makes it fire below its threshold on silence', () => {
    expect(resolveAlarmSettings('noTraffic').enabled).toBe(false);
    expect(resolveAlarmSettings('noTraffic', { enabled: true })).toMatchObject({
      enabled: true,
      fires: 'below',
      missingData: 'breaching',
    });
  });

  it('gives every alarm a runbook line saying what to do first', () => {
    for (const settings of Object.values(ALARM_DEFAULTS)) {
      expect(settings.runbook.length).toBeGreaterThan(40);
      expect(settings.runbook).toMatch(/\.$/);
    }
  });
});

describe('describeAlarm', () => {
  it('says what is measured, when it fires, the traffic guard and what to do first', () => {
    expect(describeAlarm(resolveAlarmSettings('errorRate', { minRequests: 50 }))).toBe(
      `${ALARM_DEFAULTS.errorRate.summary} Fires above 5 % in 2 of 2 periods of 5 min, in periods with at least 50 requests. First: ${ALARM_DEFAULTS.errorRate.runbook}`,
    );
    expect(describeAlarm(resolveAlarmSettings('noTraffic'))).toContain(
      'Fires below 1 in 3 of 3 periods of 5 min.',
    );
    expect(
      describeAlarm(resolveAlarmSettings('functionDuration'), {
        value: 8000,
        text: '8000 ms (80 % of the 10 s timeout)',
      }),
    ).toContain('Fires above 8000 ms (80 % of the 10 s timeout) in 2 of 2 periods of 5 min.');
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
    [{ minRequests: 10 }, 'alarms.latencyP99.minRequests'],
  ])('refuses %o, naming %s', (tuning, option) => {
    const act = () => resolveAlarmSettings('latencyP99', tuning);

    expect(act).toThrow(LookoutConfigError);
    expect(act).toThrow(`Invalid option "${option}"`);
  });
});

describe('resolveAlarmSettings of the guarded and relative alarms', () => {
  it('takes a minimum request count for a rate alarm', () => {
    expect(resolveAlarmSettings('errorRate', { minRequests: 5 }).minRequests).toBe(5);
  });

  it.each([
    ['errorRate', { minRequests: 0 }, 'alarms.errorRate.minRequests'],
    ['errorRate', { minRequests: 2.5 }, 'alarms.errorRate.minRequests'],
    ['functionDuration', { threshold: 100 }, 'alarms.functionDuration.threshold'],
    ['functionDuration', { threshold: 0 }, 'alarms.functionDuration.threshold'],
  ] as const)('refuses %s %o, naming %s', (id, tuning, option) => {
    expect(() => resolveAlarmSettings(id, tuning)).toThrow(`Invalid option "${option}"`);
  });
});

describe('docs/infrastructure.md', () => {
  const doc = readFileSync(new URL('../../../docs/infrastructure.md', import.meta.url), 'utf8');

  it.each(Object.keys(ALARM_DEFAULTS) as AlarmId[])(
    'states the default of %s as ALARM_DEFAULTS has it',
    (id) => {
      const settings = resolveAlarmSettings(id);
      const { threshold, evaluationPeriods, datapointsToAlarm, periodSeconds, severity } = settings;
      const row = doc.split('\n').find((line) => line.startsWith(`| \`${id}\` |`));
      const cells = (row ?? '').split('|').map((cell) => cell.trim());
      const minutes = periodSeconds / 60;
      const window =
        evaluationPeriods === 1
          ? `in ${minutes} min`
          : `in ${datapointsToAlarm} of ${evaluationPeriods} periods of ${minutes} min`;

      expect(row, `a row for ${id}`).toBeDefined();
      expect(cells[3]).toMatch(
        new RegExp(`^${settings.fires === 'below' ? '<' : '>'} ${threshold}\\b.* ${window}`),
      );
      if (settings.minRequests !== undefined)
        expect(cells[3]).toContain(`at least ${settings.minRequests} requests`);
      expect(cells[4]).toBe(severity);
    },
  );
});
