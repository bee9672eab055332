// `npm run demo -- --once`: the example app under `lookout dev`, a burst of traffic, a summary
// of what the viewer received, and a clean exit.
import { describe, expect, it } from 'vitest';
import { spawnApp } from '../helpers/spawn-app.js';

describe('npm run demo -- --once', () => {
  it('prints the viewer address and counts of traces, spans, log lines, metrics and audit events, then exits', async () => {
    // Prepare: free ports, so the demo does not need 4318, 2000 or the viewer's default port.
    const demo = await spawnApp({
      args: ['examples/demo.mjs', '--once', '--port', '0', '--otlp-port', '0', '--xray-port', '0'],
      readyPattern: null,
    });

    // Act
    const exit = await demo.exited;

    // Assess
    const output = demo.stdoutLines().join('\n');
    expect(exit, `${output}\n${demo.stderrLines().join('\n')}`).toEqual({ code: 0, signal: null });
    expect(output).toMatch(/the viewer is at http:\/\/127\.0\.0\.1:\d+/);
    const count = (pattern: RegExp) => Number(pattern.exec(output)?.[1] ?? Number.NaN);
    const requests = count(/requests\s+(\d+)/);
    expect(requests).toBeGreaterThan(0);
    // One trace per request: every request's telemetry was flushed before the counts were read.
    expect(count(/traces\s+(\d+) \(/)).toBe(requests);
    expect(count(/\((\d+) spans/)).toBeGreaterThan(requests);
    expect(count(/spans, (\d+) with errors/)).toBeGreaterThan(0);
    expect(count(/log lines\s+(\d+)/)).toBeGreaterThan(0);
    expect(count(/metrics\s+(\d+) points/)).toBeGreaterThan(0);
    expect(count(/audit\s+(\d+) events/)).toBeGreaterThan(0);
    // The app went with the viewer: nothing is left listening.
    const appUrl = /app\s+\S+ at (http:\/\/\S+)/.exec(output)?.[1];
    await expect(fetch(`${appUrl}/orders/1`)).rejects.toThrow();
  });
});
