import { EventEmitter } from 'node:events';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { logAudit } from '../../../src/audit/index.js';
import { ANSWER_WAIT_MS, auditMiddleware } from '../../../src/express/audit-middleware.js';
import type { ExpressRequest, ExpressResponse } from '../../../src/express/types.js';
import { captureLogLinesForTesting } from '../../../src/logging/index.js';
import { configureLoggingForTest } from '../../helpers/configure-logging.js';

// The timing of an aborted request's entry, with a stand-in request and response: the wait for
// an answer that never comes lasts a minute, which a real process would spend idle. The answer
// that does come is tested in a real process (test/integration/express.audit.test.ts).

let lines: string[] = [];
let restore = () => {};

beforeEach(() => {
  lines = [];
  restore = captureLogLinesForTesting((line) => lines.push(line));
  configureLoggingForTest({ serviceName: 'audit-unit', environment: 'test' }, {});
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
  restore();
});

/** A DELETE that the middleware has seen, and whose client closes the connection unanswered. */
function abortedDelete() {
  const req = {
    method: 'DELETE',
    url: '/orders/7',
    originalUrl: '/orders/7',
    headers: {},
  } as unknown as ExpressRequest;
  const res = Object.assign(new EventEmitter(), {
    headersSent: false,
    writableFinished: false,
    statusCode: 200,
    statusMessage: '',
  }) as unknown as ExpressResponse & { headersSent: boolean };
  auditMiddleware()(req, res, () => {});
  res.emit('close');
  return { req, res };
}

function entries(): Array<Record<string, unknown>> {
  return lines
    .map((line) => JSON.parse(line) as Record<string, unknown>)
    .filter((line) => line.audit === true);
}

describe('auditMiddleware() when the client hangs up before the answer', () => {
  it('writes the entry with the status the app answers with, once', () => {
    // Prepare
    const { res } = abortedDelete();

    // Act: the route completes its delete after the client has gone.
    res.statusCode = 204;
    res.headersSent = true;
    res.emit('prefinish');
    vi.advanceTimersByTime(ANSWER_WAIT_MS);

    // Assess
    expect(entries().map((entry) => [entry.action, entry.status, entry.details])).toEqual([
      ['DELETE', 'SUCCESS', { statusCode: 204, duration_ms: expect.any(Number), aborted: true }],
    ]);
  });

  it('writes a FAILED 499 entry when the app has not answered within the wait', () => {
    // Prepare
    abortedDelete();

    // Act
    vi.advanceTimersByTime(ANSWER_WAIT_MS - 1);
    const beforeTheWait = entries().length;
    vi.advanceTimersByTime(1);

    // Assess
    expect(beforeTheWait).toBe(0);
    expect(entries().map((entry) => [entry.action, entry.status, entry.details])).toEqual([
      [
        'DELETE',
        'FAILED',
        { statusCode: 499, duration_ms: expect.any(Number), error: 'Error', aborted: true },
      ],
    ]);
  });

  it("adds no entry when the route audits the request itself after the client's hang-up", () => {
    // Prepare
    const { req, res } = abortedDelete();

    // Act
    logAudit({ action: 'DELETE', resource: 'order:7', req });
    res.statusCode = 204;
    res.emit('prefinish');
    vi.advanceTimersByTime(ANSWER_WAIT_MS);

    // Assess
    expect(entries().map((entry) => entry.resource)).toEqual(['order:7']);
  });
});
