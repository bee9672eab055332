import { describe, expect, it } from 'vitest';
import { createProgress } from '../../../benchmarks/lib/progress.mjs';

function fakeStream(isTTY: boolean) {
  const writes: string[] = [];
  return { writes, stream: { isTTY, columns: 60, write: (text: string) => writes.push(text) } };
}

describe('progress display', () => {
  it('writes one plain line per finished run when not on a terminal', () => {
    const { writes, stream } = fakeStream(false);
    let now = 0;
    const progress = createProgress({ total: 2, stream: stream as never, now: () => now });
    progress.start('a · bare');
    now = 1000;
    progress.finish('a · bare', '200 ms');
    progress.stop();
    expect(writes).toEqual(['[1/2 0:01, ~0:01 left] a · bare: 200 ms\n']);
  });

  it('rewrites one live line on a terminal and keeps notes on their own lines', () => {
    const { writes, stream } = fakeStream(true);
    const progress = createProgress({ total: 3, stream: stream as never, now: () => 0 });
    progress.start('a · round 1/1 · a-very-long-variant-name-that-does-not-fit-the-terminal-width');
    progress.note('a. Server cold start');
    progress.stop();
    expect(writes[0]!.startsWith('\r\x1b[2K[0/3 0:00] a · round')).toBe(true);
    expect(writes[0]!.length).toBeLessThanOrEqual(60 + 5);
    expect(writes[0]!.endsWith('…')).toBe(true);
    expect(writes).toContain('a. Server cold start\n');
    expect(writes.at(-1)).toBe('\r\x1b[2K');
  });
});
