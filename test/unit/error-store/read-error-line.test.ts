import { describe, expect, it } from 'vitest';
import { readErrorLine } from '../../../src/lambda/error-store/read-error-line.js';

const lookoutLine = {
  level: 'ERROR',
  message: 'request failed',
  timestamp: '2026-11-23T12:31:42.029Z',
  service: 'orders-api',
  environment: 'prod',
  trace_id: '6b04322ed388f1ff6b3876231f1dbf4f',
  span_id: '8526d0d8a9719a26',
  request_id: 'req-1',
  method: 'POST',
  path: '/orders/42',
  status: 500,
  error: {
    name: 'TypeError',
    message: 'x is undefined',
    stack: 'TypeError: x is undefined\n    at f (/app/a.js:1:2)',
  },
};

describe('reading error lines', () => {
  it("reads Lookout's line: error, route, both trace id forms, the other keys as details", () => {
    const result = readErrorLine(JSON.stringify(lookoutLine));

    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.line).toMatchObject({
      origin: 'lookout',
      errorType: 'TypeError',
      errorMessage: 'x is undefined',
      route: 'POST /orders/42',
      requestId: 'req-1',
      traceId: '6b04322ed388f1ff6b3876231f1dbf4f',
      xrayTraceId: '1-6b04322e-d388f1ff6b3876231f1dbf4f',
      details: { method: 'POST', path: '/orders/42', status: 500 },
    });
  });

  it('derives the W3C trace id from the X-Ray one when only that is on the line', () => {
    const { trace_id: _, span_id: __, ...line } = lookoutLine;
    const result = readErrorLine(
      JSON.stringify({ ...line, xray_trace_id: '1-6b04322e-d388f1ff6b3876231f1dbf4f' }),
    );

    expect(result.ok && result.line.traceId).toBe('6b04322ed388f1ff6b3876231f1dbf4f');
  });

  it('reads a thrown non-Error value as an UnknownError with its text', () => {
    const result = readErrorLine(
      JSON.stringify({ level: 'ERROR', message: 'Lambda invocation failed', error: 'plain string' }),
    );

    expect(result.ok && [result.line.errorType, result.line.errorMessage]).toEqual([
      'UnknownError',
      'plain string',
    ]);
  });

  it('reads an error whose message is nested too deep to write back as JSON, without throwing', () => {
    const deep = `${'['.repeat(5_000)}${']'.repeat(5_000)}`;

    const result = readErrorLine(`{"level":"ERROR","error":{"name":"BadRequest","message":${deep}}}`);

    expect(result.ok && [result.line.errorType, result.line.errorMessage]).toEqual([
      'BadRequest',
      '[nested too deep to write]',
    ]);
  });

  it('keeps what an error object without a message says, instead of an empty message', () => {
    const result = readErrorLine(
      JSON.stringify({
        level: 'ERROR',
        message: 'payment failed',
        error: { code: 'card_declined', decline_code: 'insufficient_funds' },
      }),
    );

    expect(result.ok && [result.line.errorType, result.line.errorMessage]).toEqual([
      'UnknownError',
      '{"code":"card_declined","decline_code":"insufficient_funds"}',
    ]);
  });

  it('reads an Error logged with an empty message as an empty message', () => {
    const result = readErrorLine(
      JSON.stringify({
        level: 'ERROR',
        error: { name: 'Error', message: '', stack: 'Error\n    at f (/a.js:1:1)' },
      }),
    );

    expect(result.ok && result.line.errorMessage).toBe('');
  });

  it("reads the Lambda runtime's uncaught-error line", () => {
    const line = {
      timestamp: '2026-11-23T12:31:42.029Z',
      level: 'ERROR',
      requestId: 'abc',
      message: {
        errorType: 'TypeError',
        errorMessage: 'boom',
        stackTrace: ['TypeError: boom', '    at f (/var/task/a.mjs:1:1)'],
      },
    };

    const result = readErrorLine(JSON.stringify(line));

    expect(result.ok && result.line).toMatchObject({
      origin: 'lambda-runtime',
      errorType: 'TypeError',
      stack: 'TypeError: boom\n    at f (/var/task/a.mjs:1:1)',
      functionRequestId: 'abc',
    });
  });

  it.each([
    ['a line cut short', JSON.stringify(lookoutLine).slice(0, 50), 'not a JSON line'],
    ['text', 'Task timed out after 3.00 seconds', 'not a JSON line'],
    ['an array', '[1,2]', 'not a JSON object'],
    ['an INFO line', JSON.stringify({ ...lookoutLine, level: 'INFO' }), 'not at level ERROR'],
    [
      'a 5xx access-log line',
      JSON.stringify({ level: 'ERROR', message: 'request completed', status: 503 }),
      'no error',
    ],
  ])('refuses %s, saying why', (_what, message, reason) => {
    const result = readErrorLine(message);

    expect(result.ok).toBe(false);
    expect(!result.ok && result.reason).toContain(reason);
  });
});
