import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fixture, runScript } from '../helpers/node-process.js';
import { assembleTraces, startXRayDaemon, type XRayDaemon } from '../helpers/xray-daemon.js';

let daemon: XRayDaemon;
beforeEach(async () => {
  daemon = await startXRayDaemon();
});
afterEach(async () => {
  await daemon.close();
});

function lambdaHeader(sampled: 0 | 1) {
  // AWS itself would be the one sending these: this header stands in for the one the Lambda
  // service sets for an invocation with active tracing.
  const root = `1-${Math.floor(Date.now() / 1000).toString(16)}-${randomBytes(12).toString('hex')}`;
  const parent = randomBytes(8).toString('hex');
  return { root, parent, header: `Root=${root};Parent=${parent};Sampled=${sampled}` };
}

describe('Lambda: spans sent straight to the X-Ray daemon', () => {
  it('chooses xray when no collector is configured and parents spans to the facade segment', async () => {
    // Prepare
    const { root, parent, header } = lambdaHeader(1);

    // Act
    const result = await runScript([fixture('xray-lambda-script.mjs')], {
      AWS_LAMBDA_FUNCTION_NAME: 'orders-fn',
      AWS_REGION: 'eu-west-1',
      _X_AMZN_TRACE_ID: header,
      AWS_XRAY_DAEMON_ADDRESS: daemon.address,
    });
    await daemon.waitForDocuments((datagrams) => datagrams.some((entry) => entry.document.trace_id === root));

    // Assess
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({
      exporters: ['xray'],
      source: 'derived: AWS Lambda with no collector configured',
    });
    expect(daemon.problems()).toEqual([]);
    const trace = assembleTraces(daemon.documents()).get(root);
    expect(trace?.roots).toHaveLength(1);
    const work = trace!.roots[0]!;
    expect(work.document).toMatchObject({
      name: 'work',
      type: 'subsegment',
      parent_id: parent,
      trace_id: root,
    });
    expect(work.children.map((node) => node.document.name)).toEqual(['step']);
    expect(work.children[0]?.document.metadata?.default?.['order.id']).toBe('42');
    expect(daemon.segments()).toEqual([]);
  });

  it('sends nothing for an invocation Lambda does not sample', async () => {
    const { header } = lambdaHeader(0);

    const result = await runScript([fixture('xray-lambda-script.mjs')], {
      AWS_LAMBDA_FUNCTION_NAME: 'orders-fn',
      _X_AMZN_TRACE_ID: header,
      AWS_XRAY_DAEMON_ADDRESS: daemon.address,
    });
    // The script flushed (every send completed) before it exited; a datagram sent now from
    // here lands behind anything it sent, so once it arrives nothing else is on the way.
    const { createSocket } = await import('node:dgram');
    const probe = createSocket('udp4');
    const marker =
      '{"format":"json","version":1}\n{"name":"marker","id":"0000000000000001","trace_id":"1-00000000-000000000000000000000000","start_time":1,"end_time":1}';
    await new Promise<void>((resolve) => probe.send(marker, daemon.port, '127.0.0.1', () => resolve()));
    probe.close();
    await daemon.waitForDocuments(1);

    expect(result.code).toBe(0);
    expect(daemon.documents().map((document) => document.name)).toEqual(['marker']);
  });
});
