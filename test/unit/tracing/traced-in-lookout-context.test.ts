import { context, createContextKey, ROOT_CONTEXT, type Span, trace } from '@opentelemetry/api';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { getStoredContext, isStoreGlobalContext } from '../../../src/context/context-storage.js';
import {
  checkStoreIsGlobalContext,
  InvocationContextManager,
} from '../../../src/tracing/invocation-context.js';
import { traced } from '../../../src/tracing/traced.js';

// traced() under Lookout's own context manager, registered as init() registers it: the span
// goes into Lookout's store directly, a few frames shorter per call than through
// `context.with()`, with the same outcome.

const exporter = new InMemorySpanExporter();
let started = 0;
let ended = 0;
const counter: SpanProcessor = {
  onStart: () => started++,
  onEnd: () => ended++,
  forceFlush: async () => {},
  shutdown: async () => {},
};
const provider = new BasicTracerProvider({ spanProcessors: [counter, new SimpleSpanProcessor(exporter)] });
// Spans counted only, not exported: an exporter's own work would run out of stack too.
const countingOnly = new BasicTracerProvider({ spanProcessors: [counter] });
const manager = new InvocationContextManager();
const KEY = createContextKey('caller');
const PADDINGS = 20;

beforeAll(() => {
  manager.enable();
  context.setGlobalContextManager(manager);
  trace.setGlobalTracerProvider(provider);
  checkStoreIsGlobalContext();
});
afterAll(() => {
  trace.disable();
  context.disable();
});
beforeEach(() => {
  exporter.reset();
  started = 0;
  ended = 0;
});

/** Levels a recursion reaches before the stack runs out. */
function levelsReached(recurse: (depth: number, note: (depth: number) => void) => unknown): number {
  let reached = 0;
  try {
    recurse(0, (depth) => {
      reached = depth;
    });
  } catch {
    // RangeError: the stack ran out.
  }
  return reached;
}

describe('traced() under Lookout’s context manager', () => {
  it('runs in Lookout’s store, as `context.with()` would', () => {
    expect(isStoreGlobalContext()).toBe(true);
  });

  it('nests spans and gives the caller its context back, after a return and after a throw', () => {
    // Prepare
    const caller = ROOT_CONTEXT.setValue(KEY, 'caller');

    // Act
    const seen = context.with(caller, () => {
      const inner = traced('outer', (outer: Span) =>
        traced('inner', () => ({
          parent: trace.getActiveSpan() !== outer,
          outerId: outer.spanContext().spanId,
          key: context.active().getValue(KEY),
        })),
      );
      let thrown: unknown;
      try {
        traced('failing', () => {
          throw new Error('boom');
        });
      } catch (error) {
        thrown = error;
      }
      return { inner, thrown, after: getStoredContext() };
    });

    // Assess
    const spans = exporter.getFinishedSpans();
    const byName = new Map(spans.map((span) => [span.name, span]));
    expect(seen.inner.key).toBe('caller');
    expect(byName.get('inner')?.parentSpanContext?.spanId).toBe(seen.inner.outerId);
    expect((seen.thrown as Error).message).toBe('boom');
    expect(byName.get('failing')?.events.map((event) => event.name)).toEqual(['exception']);
    expect(seen.after).toBe(caller);
    expect(getStoredContext()).toBeUndefined();
  });

  it('reaches more than a sixth of the levels a plain recursion reaches (about a thirteenth before)', () => {
    // Prepare: the same recursion, plain and with every level traced.
    const plain = (depth: number, note: (depth: number) => void): number => {
      note(depth);
      return plain(depth + 1, note) + 1;
    };
    const tracedLevels = (depth: number, note: (depth: number) => void): number =>
      traced('level', () => {
        note(depth);
        return tracedLevels(depth + 1, note) + 1;
      });

    // Act
    const plainLevels = levelsReached(plain);
    const withTraced = levelsReached(tracedLevels);

    // Assess: every span started was ended, and the store is as it was.
    expect(withTraced).toBeGreaterThan(plainLevels / 6);
    expect(started).toBeGreaterThan(withTraced);
    expect(exporter.getFinishedSpans()).toHaveLength(started);
    expect(getStoredContext()).toBeUndefined();
  });

  it('completes a recursion of 2,000 traced levels', () => {
    // Prepare
    const recurse = (depth: number): number =>
      depth === 0 ? 0 : traced('level', () => recurse(depth - 1) + 1);

    // Act
    const levels = recurse(2000);

    // Assess
    expect(levels).toBe(2000);
    expect(exporter.getFinishedSpans()).toHaveLength(2000);
  });
  it('ends every span it started, rethrows the RangeError and restores the store, wherever the stack ran out', () => {
    // Prepare: the recursion is started from several depths, so the stack runs out at
    // different points of traced()'s own work; the caller has a context of its own.
    const caller = ROOT_CONTEXT.setValue(KEY, 'caller');
    const recurse = (depth: number): number => traced('level', () => recurse(depth + 1));
    const from = (padding: number): unknown => {
      if (padding > 0) return from(padding - 1);
      try {
        return recurse(0);
      } catch (error) {
        return error;
      }
    };

    // Act
    trace.disable();
    trace.setGlobalTracerProvider(countingOnly);
    const outcomes = context.with(caller, () => {
      const seen: Array<{ error: unknown; started: number; ended: number; store: unknown }> = [];
      for (let padding = 0; padding < PADDINGS; padding++) {
        started = 0;
        ended = 0;
        const error = from(padding);
        seen.push({ error, started, ended, store: getStoredContext() });
      }
      return seen;
    });
    trace.disable();
    trace.setGlobalTracerProvider(provider);

    // Assess
    for (const outcome of outcomes) {
      expect(outcome.error).toBeInstanceOf(RangeError);
      expect(outcome.started).toBeGreaterThan(0);
      expect(outcome.ended).toBe(outcome.started);
      expect(outcome.store).toBe(caller);
    }
    expect(getStoredContext()).toBeUndefined();
  });
  it('hands back the value of work that caught the overflow itself, and ends every span, wherever the stack ran out', () => {
    // Prepare: each level catches what the levels below threw and returns its own depth, so the
    // innermost traced() calls return normally with almost no stack left.
    const walk = (depth: number): number =>
      traced('level', () => {
        try {
          return walk(depth + 1);
        } catch {
          return depth;
        }
      });
    const from = (padding: number): unknown => (padding > 0 ? from(padding - 1) : walk(0));

    // Act
    trace.disable();
    trace.setGlobalTracerProvider(countingOnly);
    const outcomes: Array<{ value: unknown; started: number; ended: number }> = [];
    try {
      for (let padding = 0; padding < PADDINGS; padding++) {
        started = 0;
        ended = 0;
        let value: unknown;
        try {
          value = from(padding);
        } catch (error) {
          value = error;
        }
        // A traced call after the walk ends what the walk's innermost levels could not.
        traced('after', () => undefined);
        outcomes.push({ value, started, ended });
      }
    } finally {
      trace.disable();
      trace.setGlobalTracerProvider(provider);
    }

    // Assess
    for (const outcome of outcomes) {
      expect(typeof outcome.value).toBe('number');
      expect(outcome.ended).toBe(outcome.started);
    }
  });
});
