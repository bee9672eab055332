import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { createRedactionPolicy } from '../../../src/logging/redaction/index.js';

// The policy caches its verdict on each key it meets (log lines repeat the same keys). Keys can
// come from a request (a JSON body's member names), as long as the body: the memory the cache
// holds is measured in bytes, with a collection forced before and after.
setFlagsFromString('--expose-gc');
const collect = runInNewContext('gc') as () => void;

function heapAfterCollection(): number {
  // Twice: objects with finalizers or weak references survive the first.
  collect();
  collect();
  return process.memoryUsage().heapUsed;
}

describe('redaction: the key cache', () => {
  it('keeps no long key alive: 500 lines with distinct 100 KB keys retain far less than the keys', () => {
    // Prepare
    const policy = createRedactionPolicy();
    const redactLongKeys = (count: number) => {
      for (let index = 0; index < count; index += 1) {
        policy.redact({ [`${index}:${'k'.repeat(100_000)}`]: index });
      }
    };
    redactLongKeys(10); // what the first lines compile and allocate once, outside the measure
    const before = heapAfterCollection();

    // Act: 500 keys of 100 KB (50 MB of keys, 55 MB with the written forms).
    redactLongKeys(500);
    const retained = heapAfterCollection() - before;

    // Assess
    expect(retained).toBeLessThan(5_000_000);
  });

  it('still judges a long key by its name every time', () => {
    const policy = createRedactionPolicy();
    const longSecretKey = `${'x'.repeat(300)}_password`;

    expect(policy.redact({ [longSecretKey]: 'hunter2' })).toEqual({ [longSecretKey]: '[REDACTED]' });
    expect(policy.redact({ [longSecretKey]: 'hunter2' })).toEqual({ [longSecretKey]: '[REDACTED]' });
  });
});
