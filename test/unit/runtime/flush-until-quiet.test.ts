import { describe, expect, it } from 'vitest';
import { flushUntilQuiet, noteTelemetry, onTelemetry, telemetryCount } from '../../../src/runtime/index.js';

describe('flushUntilQuiet', () => {
  it('flushes again while each flush finds new telemetry, and stops at the first quiet one', async () => {
    // Requests finish during the first two flushes, as they do under load.
    let rounds = 0;
    const flush = async () => {
      rounds += 1;
      if (rounds <= 2) noteTelemetry();
    };

    const outcome = await flushUntilQuiet(flush, 5000);

    expect(outcome).toBe('quiet');
    expect(rounds).toBe(3);
  });

  it('gives up at the deadline when a flush never ends', async () => {
    const outcome = await flushUntilQuiet(() => new Promise(() => {}), 20);

    expect(outcome).toBe('timeout');
  });
});

describe('telemetry activity', () => {
  it('counts every record and tells a listener until it is removed', () => {
    const heard: number[] = [];
    const before = telemetryCount();
    const stop = onTelemetry(() => heard.push(telemetryCount()));

    noteTelemetry();
    noteTelemetry();
    stop();
    noteTelemetry();

    expect(telemetryCount()).toBe(before + 3);
    expect(heard).toEqual([before + 1, before + 2]);
  });
});
