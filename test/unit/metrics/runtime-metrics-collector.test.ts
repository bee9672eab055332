import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { RuntimeMetricsCollector } from '../../../src/metrics/runtime-metrics-collector.js';

describe('the runtime metrics collector', () => {
  it('reads the event-loop delay of an idle loop as far less than its sampling period', async () => {
    // Prepare: the histogram's timer fires every 400 ms, and nothing blocks the loop.
    const collector = new RuntimeMetricsCollector({ delayResolutionMs: 400 });

    // Act
    await sleep(2_000);
    const sample = collector.collect();
    collector.stop();

    // Assess: an idle loop is late by a fraction of a millisecond per tick; the 400 ms between
    // ticks is the sampling period, not a delay.
    expect(sample.eventLoopDelayP50).toBeGreaterThanOrEqual(0);
    expect(sample.eventLoopDelayP50).toBeLessThan(0.2);
  });

  it('still reads a stall of the loop as a delay of about its length', async () => {
    // Prepare
    const collector = new RuntimeMetricsCollector({ delayResolutionMs: 20 });
    await sleep(100);

    // Act: block the loop for 600 ms.
    const until = Date.now() + 600;
    while (Date.now() < until);
    await sleep(100);
    const sample = collector.collect();
    collector.stop();

    // Assess
    expect(sample.eventLoopDelayP99).toBeGreaterThanOrEqual(0.5);
  });
});
