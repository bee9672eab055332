// Contract test for the OpenTelemetry OTLP export delegate member Lookout reaches
// (src/otlp/export-delegate-internals.ts, docs/decisions/0054-other-dependency-internals.md):
// the delegate of the pinned @opentelemetry/otlp-exporter-base keeps its retrying transport in
// `_transport`, and that one the HTTP transport in its own; the pinned OTLP exporters of every
// signal keep their delegate in `_delegate`. An upgrade that changes this fails here, before
// exports start holding the process through their retries again.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { OTLPLogExporter as JsonLogExporter } from '@opentelemetry/exporter-logs-otlp-http';
import { OTLPLogExporter as ProtobufLogExporter } from '@opentelemetry/exporter-logs-otlp-proto';
import { OTLPMetricExporter as JsonMetricExporter } from '@opentelemetry/exporter-metrics-otlp-http';
import { OTLPMetricExporter as ProtobufMetricExporter } from '@opentelemetry/exporter-metrics-otlp-proto';
import { OTLPTraceExporter as JsonTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { createOtlpHttpExportDelegate } from '@opentelemetry/otlp-exporter-base/node-http';
import { describe, expect, it } from 'vitest';
import { BackgroundRetryingTransport } from '../../../src/otlp/background-retrying-transport.js';
import { exportInTheBackground, retryInTheBackground } from '../../../src/otlp/export-delegate-internals.js';

function delegateFor(url: string) {
  return createOtlpHttpExportDelegate(
    {
      url,
      headers: async () => ({ 'Content-Type': 'application/x-protobuf' }),
      agentFactory: async (protocol: string) =>
        new (await import(protocol === 'https:' ? 'node:https' : 'node:http')).Agent(),
      compression: 'none',
      concurrencyLimit: 2,
      timeoutMillis: 10_000,
    },
    { serializeRequest: () => new Uint8Array([1]), deserializeResponse: () => ({}) },
    'otlp_http_span_exporter',
    { name: 'span', countItems: (items: unknown[]) => items.length },
    undefined,
  );
}

describe("the OTLP export delegate's transports", () => {
  it('are replaced by retries that wait in the background, and still send through the HTTP transport', async () => {
    // Prepare: a collector that answers 503 once, then 200
    const statuses: number[] = [];
    const server = createServer((request, response) => {
      request.resume();
      const status = statuses.length === 0 ? 503 : 200;
      statuses.push(status);
      response.writeHead(status, status === 503 ? { 'retry-after': '0' } : {}).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const delegate = delegateFor(`http://127.0.0.1:${port}/v1/traces`);

    // Act
    const replaced = retryInTheBackground(delegate);
    const result = await new Promise<{ code: number }>((resolve) => delegate.export([{}], resolve));
    server.close();

    // Assess
    expect(replaced).toBe(true);
    expect((delegate as unknown as { _transport: unknown })._transport).toBeInstanceOf(
      BackgroundRetryingTransport,
    );
    expect(statuses).toEqual([503, 200]);
    expect(result.code).toBe(0);
  });

  it('leave a delegate of another shape as it is', () => {
    // Prepare
    const delegate = { _transport: { send: () => undefined } };

    // Act
    const replaced = retryInTheBackground(delegate);

    // Assess
    expect(replaced).toBe(false);
    expect(delegate._transport).not.toBeInstanceOf(BackgroundRetryingTransport);
  });
});

describe("the OTLP exporters' delegates", () => {
  it.each([
    ['metrics over OTLP/protobuf', ProtobufMetricExporter],
    ['metrics over OTLP/JSON', JsonMetricExporter],
    ['log records over OTLP/protobuf', ProtobufLogExporter],
    ['log records over OTLP/JSON', JsonLogExporter],
    ['spans over OTLP/JSON', JsonTraceExporter],
  ] as const)('have their retries replaced for %s', (_name, Exporter) => {
    // Prepare
    const exporter = new Exporter({ url: 'http://127.0.0.1:4318/v1/any' });

    // Act
    const returned = exportInTheBackground(exporter);

    // Assess
    expect(returned).toBe(exporter);
    const delegate = (exporter as unknown as { _delegate: { _transport: unknown } })._delegate;
    expect(delegate._transport).toBeInstanceOf(BackgroundRetryingTransport);
  });

  it('leave an exporter of another shape as it is', () => {
    // Prepare
    const exporter = { _delegate: { _transport: {} } };

    // Act
    const returned = exportInTheBackground(exporter);

    // Assess
    expect(returned).toBe(exporter);
    expect(exporter._delegate._transport).not.toBeInstanceOf(BackgroundRetryingTransport);
  });
});
