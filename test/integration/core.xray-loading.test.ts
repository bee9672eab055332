import { describe, expect, it } from 'vitest';
import { runScript } from '../helpers/node-process.js';

// Which files of aws-xray-sdk-core a process loaded after init(), for each way of starting.
const PROBE = `
const lookout = require('lookout').init();
const loaded = Object.keys(require.cache)
  .filter((path) => path.includes('aws-xray-sdk-core'))
  .map((path) => path.slice(path.indexOf('aws-xray-sdk-core')));
console.log(JSON.stringify({ exporters: lookout.active.exporters, loaded }));
lookout.shutdown();
`;

async function probe(env: Record<string, string>) {
  const result = await runScript(['-e', PROBE], env);
  expect(result.code).toBe(0);
  return JSON.parse(result.stdout) as { exporters: string[]; loaded: string[] };
}

describe('loading the X-Ray exporter only when it is used', () => {
  it('loads nothing of aws-xray-sdk-core when spans go over OTLP', async () => {
    expect(await probe({ OTEL_TRACES_EXPORTER: 'otlp' })).toEqual({ exporters: ['otlp'], loaded: [] });
  });

  it('loads nothing of aws-xray-sdk-core either when spans go to X-Ray: Lookout sends them itself', async () => {
    // docs/decisions/0011-xray-sender-without-sdk-emitter.md
    expect(await probe({ OTEL_TRACES_EXPORTER: 'xray' })).toEqual({ exporters: ['xray'], loaded: [] });
  });
});
