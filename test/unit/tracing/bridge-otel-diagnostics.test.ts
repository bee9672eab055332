import { diag } from '@opentelemetry/api';
import { loggingErrorHandler } from '@opentelemetry/core';
import { afterEach, describe, expect, it } from 'vitest';
import { diagnostics } from '../../../src/diag/index.js';
import { bridgeOtelDiagnostics } from '../../../src/tracing/bridge-otel-diagnostics.js';

let restore: (() => void) | undefined;
afterEach(() => {
  restore?.();
  diag.disable();
});

describe("OpenTelemetry's own diagnostics", () => {
  it('reports a message that names a span once, whichever span it names', () => {
    const lines: string[] = [];
    restore = diagnostics.captureForTesting((line) => lines.push(line));
    bridgeOtelDiagnostics('warn');

    // What the SDK logs when an instrumentation ends a span twice, on two requests.
    diag.error(
      'middleware - stamp 0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331 - You can only call end() on a span once.',
    );
    diag.error(
      'middleware - stamp 4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7 - You can only call end() on a span once.',
    );
    diag.warn(
      'Cannot execute the operation on ended Span {traceId: 0af7651916cd43dd8448eb211c80319c, spanId: b7ad6b7169203331}',
    );
    diag.warn(
      'Cannot execute the operation on ended Span {traceId: 4bf92f3577b34da6a3ce929d0e0e4736, spanId: 00f067aa0ba902b7}',
    );
    // Another span's name is another message.
    diag.error(
      'request handler - /orders 4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7 - You can only call end() on a span once.',
    );

    expect(lines).toHaveLength(3);
    expect(lines[0]).toContain('middleware - stamp 0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331');
    expect(lines[1]).toContain('Cannot execute the operation on ended Span');
    expect(lines[2]).toContain('request handler - /orders');
  });

  it('reports a metrics export that timed out as a failed export, once', () => {
    const lines: string[] = [];
    restore = diagnostics.captureForTesting((line) => lines.push(line));
    bridgeOtelDiagnostics('warn');

    // What the metrics SDK's periodic reader logs at each export past its timeout.
    diag.error('PeriodicExportingMetricReader: metrics export timed out after 200ms');
    diag.error('PeriodicExportingMetricReader: metrics export timed out after 200ms');

    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('[LOOKOUT_EXPORT_FAILED] OpenTelemetry: PeriodicExportingMetricReader');
  });

  // The logs SDK is an optional peer from the app's node_modules: its copy of
  // @opentelemetry/core has the default global error handler, which logs a failed export as the
  // error's JSON, stack and all, through diag.error.
  it("reports an error of another copy's default error handler as a failed export, once, without its JSON", () => {
    // Prepare
    const lines: string[] = [];
    restore = diagnostics.captureForTesting((line) => lines.push(line));
    bridgeOtelDiagnostics('warn');
    const handle = loggingErrorHandler();

    // Act
    handle(new Error('connect ECONNREFUSED 127.0.0.1:4318'));
    handle(new Error('connect ECONNREFUSED 127.0.0.1:4318'));

    // Assess
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(
      '[LOOKOUT_EXPORT_FAILED] OpenTelemetry: Error: connect ECONNREFUSED 127.0.0.1:4318.',
    );
    expect(lines[0]).not.toContain('"stack"');
  });

  it('reports at most 100 distinct messages, each once, and counts the rest under one key', () => {
    // Prepare
    const lines: string[] = [];
    restore = diagnostics.captureForTesting((line) => lines.push(line));
    bridgeOtelDiagnostics('warn');

    // Act: what the SDK logs for an attribute set with an object value, under a key the app took
    // from each request (a request body's keys set as span attributes), 10,000 requests.
    for (let index = 0; index < 10_000; index++)
      diag.warn(`Invalid attribute value set for key: order.${index}`);
    diag.warn('Invalid attribute value set for key: order.0');

    // Assess: one line per distinct message up to the bound, then one saying the rest are counted.
    expect(lines).toHaveLength(101);
    expect(lines[99]).toContain('Invalid attribute value set for key: order.99');
    expect(lines[100]).toContain('past 100 distinct messages');
    const counts = diagnostics.counts();
    expect(counts.size).toBe(101);
    expect([...counts.values()].reduce((sum, count) => sum + count, 0)).toBe(10_001);
    expect(counts.get('otel:Invalid attribute value set for key: order.0')).toBe(2);
  });
});
