import { describe, expect, it } from 'vitest';
import { errorFingerprint, topFrameOf } from '../../../src/lambda/error-store/error-fingerprint.js';

const stackAt = (type: string, frame: string, message = 'x') =>
  `${type}: ${message}\n    at ${frame}\n    at next (/var/task/b.mjs:1:1)`;

describe('error fingerprint', () => {
  it('takes the first frame without line and column', () => {
    expect(topFrameOf(stackAt('TypeError', 'charge (/var/task/pay.mjs:12:5)'))).toBe(
      'charge (/var/task/pay.mjs)',
    );
    expect(topFrameOf(stackAt('TypeError', 'file:///var/task/pay.mjs:12:5'))).toBe('/var/task/pay.mjs');
    expect(topFrameOf('TypeError: no frames')).toBeUndefined();
  });

  it('is the same for the same type and top frame, whatever the message and line numbers', () => {
    const one = errorFingerprint(
      'TypeError',
      stackAt('TypeError', 'charge (/var/task/pay.mjs:12:5)', 'order 1'),
    );
    const two = errorFingerprint(
      'TypeError',
      stackAt('TypeError', 'charge (/var/task/pay.mjs:40:9)', 'order 2'),
    );

    expect(one).toMatch(/^[0-9a-f]{16}$/);
    expect(two).toBe(one);
  });

  it('differs when the type or the top frame differs', () => {
    const base = errorFingerprint('TypeError', stackAt('TypeError', 'charge (/var/task/pay.mjs:12:5)'));

    expect(errorFingerprint('RangeError', stackAt('RangeError', 'charge (/var/task/pay.mjs:12:5)'))).not.toBe(
      base,
    );
    expect(errorFingerprint('TypeError', stackAt('TypeError', 'refund (/var/task/pay.mjs:12:5)'))).not.toBe(
      base,
    );
    expect(errorFingerprint('TypeError', undefined)).not.toBe(base);
  });
});
