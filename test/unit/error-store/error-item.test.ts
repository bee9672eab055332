import { describe, expect, it } from 'vitest';
import {
  createErrorItem,
  ITEM_LIMITS,
  TRUNCATED_MARK,
  toAttributeMap,
} from '../../../src/lambda/error-store/error-item.js';
import type { ErrorLine } from '../../../src/lambda/error-store/read-error-line.js';

const line: ErrorLine = {
  origin: 'lambda-runtime',
  level: 'ERROR',
  logMessage: undefined,
  errorType: 'Error',
  errorMessage: 'token=abc leaked, card 4111 1111 1111 1111',
  stack: `Error: boom\n    at f (/var/task/a.mjs:1:1)\n${'    at g (/var/task/b.mjs:1:1)\n'.repeat(2000)}`,
  service: undefined,
  environment: undefined,
  functionName: undefined,
  route: undefined,
  requestId: 'r-1',
  functionRequestId: 'r-1',
  traceId: undefined,
  xrayTraceId: undefined,
  coldStart: undefined,
  details: undefined,
};
const event = { id: '3716', timestamp: Date.UTC(2026, 0, 1, 12), message: '' };
const context = { logGroup: '/g', logStream: 's', retentionDays: 90, serviceName: 'payments' };

describe('the error item', () => {
  it('has a stable id per log event, the event time as timestamp, and expires after the retention', () => {
    const item = createErrorItem(line, event, context);

    expect(createErrorItem(line, event, context).errorId).toBe(item.errorId);
    expect(createErrorItem(line, { ...event, id: '3717' }, context).errorId).not.toBe(item.errorId);
    expect(item.timestamp).toBe('2026-01-01T12:00:00.000Z');
    expect(item.expiresAt).toBe(Date.UTC(2026, 0, 1, 12) / 1000 + 90 * 86_400);
  });

  it("redacts the runtime's unredacted message and cuts long values", () => {
    const item = createErrorItem(line, event, context);

    expect(item.message).not.toContain('4111 1111 1111 1111');
    // The redaction policy cuts long strings first (at 10,000 characters); the item's own
    // limit is the backstop for what it lets through.
    expect(item.stack?.length).toBeLessThanOrEqual(ITEM_LIMITS.stack);
    expect(item.stack?.length).toBeLessThan(line.stack?.length ?? 0);
    expect(item.stack).toContain('truncated');
    expect(item.service).toBe('payments');
    expect(item.functionName).toBe('payments');
  });

  it('cuts details to their limit', () => {
    const details = Object.fromEntries(
      Array.from({ length: 40 }, (_, index) => [`key${index}`, 'v'.repeat(900)]),
    );

    const item = createErrorItem({ ...line, details }, event, context);

    expect(item.details?.length).toBe(ITEM_LIMITS.details);
    expect(item.details?.endsWith(TRUNCATED_MARK)).toBe(true);
  });

  it('writes strings as S, numbers as N, booleans as BOOL, and leaves out what is absent', () => {
    const map = toAttributeMap(createErrorItem({ ...line, coldStart: true }, event, context));

    expect(map.expiresAt).toEqual({ N: String(Date.UTC(2026, 0, 1, 12) / 1000 + 90 * 86_400) });
    expect(map.coldStart).toEqual({ BOOL: true });
    expect(map.errorType).toEqual({ S: 'Error' });
    expect(map.traceId).toBeUndefined();
  });
});
