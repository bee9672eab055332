import { afterEach, describe, expect, it } from 'vitest';
import { diagnostics } from '../../../src/diag/index.js';
import { ERROR_CODES } from '../../../src/errors/index.js';

describe('diagnostics', () => {
  const lines: string[] = [];
  let restore = () => {};

  afterEach(() => {
    restore();
    lines.length = 0;
  });

  it('reports a repeating problem once and counts every occurrence', () => {
    restore = diagnostics.captureForTesting((line) => lines.push(line));

    for (let i = 0; i < 5; i++)
      diagnostics.errorOnce('export', ERROR_CODES.EXPORT_FAILED, 'collector unreachable');

    expect(lines).toEqual(['lookout ERROR [LOOKOUT_EXPORT_FAILED] collector unreachable\n']);
    expect(diagnostics.counts().get('export')).toBe(5);
  });

  it('drops messages below the configured level', () => {
    restore = diagnostics.captureForTesting((line) => lines.push(line));
    diagnostics.setLevel('error');

    diagnostics.warn(ERROR_CODES.ENV_INVALID, 'hidden');
    diagnostics.info('hidden too');
    diagnostics.error(ERROR_CODES.START_FAILED, 'shown');

    expect(lines).toEqual(['lookout ERROR [LOOKOUT_START_FAILED] shown\n']);
  });

  it('never throws when its output fails', () => {
    let attempts = 0;
    restore = diagnostics.captureForTesting(() => {
      attempts += 1;
      throw new Error('stderr closed');
    });

    expect(() => diagnostics.warn(ERROR_CODES.INTERNAL, 'x')).not.toThrow();
    expect(attempts).toBe(1);
  });
});
