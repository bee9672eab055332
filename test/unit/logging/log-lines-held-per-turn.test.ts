// Log lines held until the end of the event loop's turn, as a Lambda function that answers first
// writes them (docs/decisions/0075-lambda-log-lines-after-the-response.md). Holding is
// never undone in a process; vitest gives each test file its own module state, and every test
// here runs with it on. stdout is a spy: what would reach the stream, write by write.
import { setImmediate as nextTurn } from 'node:timers/promises';
import { afterAll, beforeAll, beforeEach, describe, expect, it, type MockInstance, vi } from 'vitest';
import {
  flushLogLines,
  holdLogLinesPerTurn,
  writeHeldLogLines,
  writeLogLine,
} from '../../../src/logging/write-log-line.js';

let stdout: MockInstance;

beforeAll(() => {
  stdout = vi.spyOn(process.stdout, 'write').mockImplementation((...args: unknown[]) => {
    const callback = args.find((arg) => typeof arg === 'function') as (() => void) | undefined;
    callback?.();
    return true;
  });
  holdLogLinesPerTurn();
});
beforeEach(() => {
  writeHeldLogLines();
  stdout.mockClear();
});
afterAll(() => {
  vi.restoreAllMocks();
});

function written(): string[] {
  return stdout.mock.calls.map((call) => String(call[0]));
}

describe('log lines held per turn', () => {
  it('writes nothing while the turn runs, then every line of the turn in one write, in order', async () => {
    // Act
    writeLogLine('{"message":"one"}');
    writeLogLine('{"message":"two"}');
    const duringTheTurn = written();
    await nextTurn();

    // Assess
    expect(duringTheTurn).toEqual([]);
    expect(written()).toEqual(['{"message":"one"}\n{"message":"two"}\n']);
  });

  it('writes the lines of each turn on their own', async () => {
    // Act
    writeLogLine('{"turn":1}');
    await nextTurn();
    writeLogLine('{"turn":2}');
    await nextTurn();

    // Assess
    expect(written()).toEqual(['{"turn":1}\n', '{"turn":2}\n']);
  });

  it('writes what is held when asked, before the turn ends, and nothing twice', async () => {
    // Act
    writeLogLine('{"message":"held"}');
    writeHeldLogLines();
    const afterTheCall = written();
    await nextTurn();

    // Assess
    expect(afterTheCall).toEqual(['{"message":"held"}\n']);
    expect(written()).toEqual(['{"message":"held"}\n']);
  });

  it('writes what is held before flushLogLines waits for the stream', async () => {
    // Act
    writeLogLine('{"message":"flushed"}');
    await flushLogLines();

    // Assess
    expect(written()[0]).toBe('{"message":"flushed"}\n');
  });

  it('writes at once when a turn logs more than the held limit, so memory stays bounded', async () => {
    // Prepare: lines of about 1 KiB, 300 of them (over 256 Ki characters)
    const line = `{"message":"${'x'.repeat(1000)}"}`;

    // Act
    for (let index = 0; index < 300; index++) writeLogLine(line);
    const duringTheTurn = written();
    await nextTurn();

    // Assess: one write when the limit was reached, the rest at the end of the turn; nothing lost
    expect(duringTheTurn.length).toBe(1);
    expect(
      written()
        .join('')
        .split('\n')
        .filter((entry) => entry !== '').length,
    ).toBe(300);
  });

  it('writes what is held when the process exits (the exit listener; a real exit: lambda.delivery)', () => {
    // Prepare: the test runner's own exit listeners are left alone
    const onExit = process.listeners('exit').filter((listener) => listener === writeHeldLogLines);

    // Act
    writeLogLine('{"message":"last words"}');
    for (const listener of onExit) listener(0);

    // Assess
    expect(onExit.length).toBe(1);
    expect(written()).toEqual(['{"message":"last words"}\n']);
  });
});
