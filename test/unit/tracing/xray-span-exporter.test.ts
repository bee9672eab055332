import { SpanKind } from '@opentelemetry/api';
import { type ExportResult, ExportResultCode } from '@opentelemetry/core';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { afterEach, describe, expect, it } from 'vitest';
import { createDaemonSender } from '../../../src/tracing/xray/create-daemon-sender.js';
import { XRaySpanExporter } from '../../../src/tracing/xray/xray-span-exporter.js';
import { assembleTraces, startXRayDaemon, type XRayDaemon } from '../../helpers/xray-daemon.js';
import { makeSpan, XRAY_TRACE_ID } from './make-span.js';

function exportSpans(exporter: XRaySpanExporter, spans: unknown[]): Promise<ExportResult> {
  return new Promise((resolve) => exporter.export(spans as ReadableSpan[], resolve));
}

let daemon: XRayDaemon | undefined;
afterEach(async () => {
  await daemon?.close();
  daemon = undefined;
});

describe('the xray span exporter', () => {
  it('sends a batch to the daemon as documents that assemble into the span tree', async () => {
    // Prepare
    daemon = await startXRayDaemon();
    const exporter = new XRaySpanExporter({
      sender: createDaemonSender({ host: '127.0.0.1', port: daemon.port }),
      annotationAttributes: ['http.route'],
    });
    const server = makeSpan({ kind: SpanKind.SERVER, attributes: { 'http.route': '/orders/:id' } });
    const call = makeSpan({ kind: SpanKind.CLIENT, parent: { spanId: server.spanContext().spanId } });

    // Act
    const result = await exportSpans(exporter, [call, server]);
    await daemon.waitForDocuments(1);

    // Assess
    expect(result.code).toBe(ExportResultCode.SUCCESS);
    expect(daemon.problems()).toEqual([]);
    const trace = assembleTraces(daemon.documents()).get(XRAY_TRACE_ID);
    expect(trace?.roots[0]?.document).toMatchObject({
      name: 'orders-api',
      annotations: { http_route: '/orders/:id' },
    });
    expect(trace?.roots[0]?.children.map((node) => node.document.id)).toEqual([call.spanContext().spanId]);
    await exporter.shutdown();
  });

  it('sends a span tree thousands of levels deep, whose nesting would overflow the JSON encoder', async () => {
    // Prepare: a recursive function traced 3,000 calls deep, its spans in one batch (an
    // OTEL_BSP_MAX_EXPORT_BATCH_SIZE raised past 2,000), children first as they end. Ids of
    // its own: make-span's counter repeats ids past a few hundred.
    daemon = await startXRayDaemon();
    const exporter = new XRaySpanExporter({
      sender: createDaemonSender({ host: '127.0.0.1', port: daemon.port }),
      annotationAttributes: [],
    });
    const spanId = (depth: number) => (depth + 1).toString(16).padStart(16, '0');
    const chain = [makeSpan({ kind: SpanKind.SERVER, name: 'GET /tree', spanId: spanId(0) })];
    for (let depth = 1; depth < 3000; depth++)
      chain.push(
        makeSpan({ name: `visit ${depth}`, spanId: spanId(depth), parent: { spanId: spanId(depth - 1) } }),
      );
    const received = () =>
      assembleTraces((daemon as XRayDaemon).documents()).get(XRAY_TRACE_ID)?.nodes.size ?? 0;

    // Act
    const result = await exportSpans(exporter, [...chain].reverse());
    await daemon.waitForDocuments(() => received() >= 3000);
    await exporter.shutdown();

    // Assess: every span arrived, in one tree under the segment.
    expect(result.code).toBe(ExportResultCode.SUCCESS);
    expect(daemon.problems()).toEqual([]);
    const trace = assembleTraces(daemon.documents()).get(XRAY_TRACE_ID);
    expect(trace?.nodes.size).toBe(3000);
    expect(trace?.roots.map((root) => root.document.name)).toEqual(['orders-api']);
  });

  it('reports a send error as a FAILED result without throwing', async () => {
    // Prepare: the kernel refuses datagrams to the broadcast address on a socket without
    // SO_BROADCAST, so every send fails at once.
    const exporter = new XRaySpanExporter({
      sender: createDaemonSender({ host: '255.255.255.255', port: 2000 }),
      annotationAttributes: [],
    });

    // Act
    const result = await exportSpans(exporter, [makeSpan()]);

    // Assess
    expect(result.code).toBe(ExportResultCode.FAILED);
    expect(result.error?.message).toMatch(/EACCES|broadcast|permission/i);
    await expect(exporter.shutdown()).resolves.toBeUndefined();
  });

  it('succeeds with no receiver listening: UDP has no one to refuse it', async () => {
    // Prepare: a port nothing listens on.
    const probe = await startXRayDaemon();
    const port = probe.port;
    await probe.close();
    const exporter = new XRaySpanExporter({
      sender: createDaemonSender({ host: '127.0.0.1', port }),
      annotationAttributes: [],
    });

    // Act
    const results = [await exportSpans(exporter, [makeSpan()]), await exportSpans(exporter, [makeSpan()])];

    // Assess
    expect(results.map((result) => result.code)).toEqual([
      ExportResultCode.SUCCESS,
      ExportResultCode.SUCCESS,
    ]);
    await expect(exporter.forceFlush()).resolves.toBeUndefined();
  });

  it('tells its caller of each batch whose documents had values cut to fit a datagram', async () => {
    // The exporter holds no diagnostics of its own (the CommonJS build loads it apart from the
    // core): the core's register-xray-span-exporter.ts reports what this callback hears.
    daemon = await startXRayDaemon();
    const heard: string[] = [];
    const exporter = new XRaySpanExporter({
      sender: createDaemonSender({ host: '127.0.0.1', port: daemon.port }),
      annotationAttributes: [],
      reportTruncated: () => heard.push('truncated'),
    });

    await exportSpans(exporter, [makeSpan({ attributes: { 'app.small': 'fits' } })]);
    const cut = await exportSpans(exporter, [makeSpan({ attributes: { 'app.big': 'x'.repeat(100_000) } })]);
    await daemon.waitForDocuments(2);

    expect(cut.code).toBe(ExportResultCode.SUCCESS);
    expect(heard).toEqual(['truncated']);
    expect(
      daemon.documents().filter((entry) => JSON.stringify(entry).includes('…[truncated by lookout]')),
    ).toHaveLength(1);
    await exporter.shutdown();
  });

  it('fails exports after shutdown instead of sending', async () => {
    daemon = await startXRayDaemon();
    const exporter = new XRaySpanExporter({
      sender: createDaemonSender({ host: '127.0.0.1', port: daemon.port }),
      annotationAttributes: [],
    });
    await exporter.shutdown();

    const result = await exportSpans(exporter, [makeSpan()]);

    expect(result.code).toBe(ExportResultCode.FAILED);
    expect(daemon.datagrams()).toEqual([]);
  });
});
