import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type LambdaFunction, startLambdaFunction } from '../helpers/lambda-function.js';
import { startLambdaRuntimeApi } from '../helpers/lambda-runtime-api.js';
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

describe('Lambda: a wide trace sent straight to the X-Ray daemon', () => {
  let fn: LambdaFunction | undefined;
  afterEach(async () => {
    await fn?.kill();
    fn = undefined;
  });

  it('packs 400 child spans into a few datagrams, and the daemon loses none at its default buffer size', async () => {
    // Prepare: the daemon's socket keeps the kernel's default receive buffer (208 KiB)
    const wide = await startXRayDaemon({ recvBufferSize: 'system' });
    const api = await startLambdaRuntimeApi();
    const { root, parent, header } = lambdaHeader(1);
    try {
      fn = await startLambdaFunction({
        api,
        taskRoot: fixture('lambda'),
        handler: 'handlers.manyChildren',
        env: { AWS_XRAY_DAEMON_ADDRESS: wide.address, LOOKOUT_SERVICE_NAME: 'wide' },
      });

      // Act
      const outcome = await api.invoke({ event: { children: 400 }, traceHeader: header });
      await api.frozen(outcome.requestId);
      const nodes = () => assembleTraces(wide.documents()).get(root)?.nodes.size ?? 0;
      const datagrams = await wide.waitForDocuments(() => nodes() >= 401);

      // Assess: every span arrived, in the invocation's trace, under the facade segment
      expect(outcome.status).toBe('success');
      expect(wide.problems()).toEqual([]);
      const trace = assembleTraces(wide.documents()).get(root);
      expect(trace?.nodes.size).toBe(401);
      expect(trace?.roots.map((node) => node.document.parent_id)).toEqual([parent]);
      expect(trace?.roots[0]?.children).toHaveLength(400);
      // and they came in as few datagrams as their bytes allow: one body per datagram, up to 64,000 bytes
      const bytes = datagrams.reduce((sum, entry) => sum + JSON.stringify(entry.document).length, 0);
      expect(bytes).toBeGreaterThan(64_000 * 2);
      expect(wide.datagramCount()).toBeLessThanOrEqual(Math.ceil(bytes / 60_000) + 1);
    } finally {
      await api.close();
      await wide.close();
    }
  });
});
