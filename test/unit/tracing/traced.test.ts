import { context, SpanStatusCode, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { traced } from '../../../src/tracing/traced.js';

const exporter = new InMemorySpanExporter();
const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
const contextManager = new AsyncLocalStorageContextManager();

beforeAll(() => {
  contextManager.enable();
  context.setGlobalContextManager(contextManager);
  trace.setGlobalTracerProvider(provider);
});
afterAll(() => {
  trace.disable();
  context.disable();
});
beforeEach(() => exporter.reset());

class OrderRejectedError extends Error {}

// The decorator applied by hand, as TypeScript 5's emit calls it (the syntax itself is compiled
// and run in test/integration/tracing.traced-decorator.test.ts).
function decorate<This, Args extends unknown[], Return>(
  name: string,
  method: (this: This, ...args: Args) => Return,
  decorator: ReturnType<typeof traced>,
): (this: This, ...args: Args) => Return {
  const initializers: Array<(this: This) => void> = [];
  const decoratorContext = {
    kind: 'method',
    name,
    static: false,
    private: false,
    access: { has: () => true, get: () => method },
    metadata: {},
    addInitializer: (initializer: (this: This) => void) => initializers.push(initializer),
  } as unknown as ClassMethodDecoratorContext<This, (this: This, ...args: Args) => Return>;
  const replaced = decorator(method, decoratorContext);
  return function (this: This, ...args: Args) {
    for (const initializer of initializers.splice(0)) initializer.call(this);
    return replaced.apply(this, args);
  };
}

class Payments {
  readonly fee = 3;

  async charge(amount: number): Promise<number> {
    await new Promise((resolve) => setImmediate(resolve));
    if (amount < 0) throw new OrderRejectedError(`negative amount ${amount}`);
    return amount + this.fee;
  }

  refund(amount: number): number {
    return -amount;
  }
}
Payments.prototype.charge = decorate('charge', Payments.prototype.charge, traced());
Payments.prototype.refund = decorate('refund', Payments.prototype.refund, traced('refund money'));

function finished() {
  return exporter.getFinishedSpans().map((span) => ({
    name: span.name,
    parent: span.parentSpanContext?.spanId,
    status: span.status.code,
    exceptions: span.events.filter((event) => event.name === 'exception').length,
  }));
}

describe('traced(name, fn)', () => {
  it('runs the work in a child span of the active one and returns its value', async () => {
    // Act
    const result = await trace.getTracer('test').startActiveSpan('request', async (parent) => {
      const value = await traced('load order', async (span) => {
        expect(trace.getActiveSpan()).toBe(span);
        return 42;
      });
      parent.end();
      return { value, parentId: parent.spanContext().spanId };
    });

    // Assess
    expect(result.value).toBe(42);
    expect(finished()).toEqual([
      { name: 'load order', parent: result.parentId, status: SpanStatusCode.UNSET, exceptions: 0 },
      { name: 'request', parent: undefined, status: SpanStatusCode.UNSET, exceptions: 0 },
    ]);
  });

  it('records a thrown or rejected error on the span and rethrows it unchanged', async () => {
    // Prepare
    const thrown = new OrderRejectedError('sync');
    const rejected = new OrderRejectedError('async');

    // Act
    const syncOutcome = (() => {
      try {
        return traced('sync work', () => {
          throw thrown;
        });
      } catch (error) {
        return error;
      }
    })();
    const asyncOutcome = await traced('async work', async () => {
      throw rejected;
    }).catch((error: unknown) => error);

    // Assess
    expect(syncOutcome).toBe(thrown);
    expect(asyncOutcome).toBe(rejected);
    expect(finished()).toEqual([
      { name: 'sync work', parent: undefined, status: SpanStatusCode.ERROR, exceptions: 1 },
      { name: 'async work', parent: undefined, status: SpanStatusCode.ERROR, exceptions: 1 },
    ]);
  });
});

describe('traced() with a thrown value that cannot be turned into text', () => {
  it('rethrows that very value and still ends the span in error', async () => {
    // A null-prototype object has no toString: String() of it throws a TypeError, which must
    // not take the place of what the app threw, nor leave the span unended.
    const bare = Object.create(null) as object;

    const syncOutcome = (() => {
      try {
        return traced('sync bare', () => {
          throw bare;
        });
      } catch (error) {
        return error;
      }
    })();
    const asyncOutcome = await traced('async bare', () => Promise.reject(bare)).catch(
      (error: unknown) => error,
    );

    expect(syncOutcome).toBe(bare);
    expect(asyncOutcome).toBe(bare);
    expect(finished().map(({ name, status, exceptions }) => [name, status, exceptions])).toEqual([
      ['sync bare', SpanStatusCode.ERROR, 1],
      ['async bare', SpanStatusCode.ERROR, 1],
    ]);
    // Said to be what it is, as a Lambda invocation's span says it (record-thrown-value.ts).
    const [span] = exporter.getFinishedSpans();
    expect(span?.status.message).toBe('a value that cannot be described');
    expect(span?.events[0]?.attributes?.['exception.message']).toBe('a value that cannot be described');
  });

  it('records an Error whose fields throw as a value that could not be read', () => {
    const hostile = new Proxy(new Error('x'), {
      get: () => {
        throw new Error('trap');
      },
    });

    let caught: unknown;
    try {
      traced('hostile', () => {
        throw hostile;
      });
    } catch (error) {
      caught = error;
    }

    expect(caught).toBe(hostile);
    const [span] = exporter.getFinishedSpans();
    expect(span?.status).toEqual({
      code: SpanStatusCode.ERROR,
      message: 'a thrown value that could not be read',
    });
    expect(span?.events.map((event) => event.attributes?.['exception.message'])).toEqual([
      'a thrown value that could not be read',
    ]);
  });
});

describe('traced() in a recursion that runs out of stack', () => {
  it('ends every span it started and rethrows the RangeError, at whatever depth the stack ran out', () => {
    // Prepare: a provider that counts starts and ends; the recursion is started from several
    // depths, so the stack runs out at different points of traced()'s own work.
    let started = 0;
    let ended = 0;
    const counting = new BasicTracerProvider({
      spanProcessors: [
        {
          onStart: () => started++,
          onEnd: () => ended++,
          forceFlush: async () => {},
          shutdown: async () => {},
        },
      ],
    });
    trace.disable();
    trace.setGlobalTracerProvider(counting);
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
    const outcomes: Array<{ error: unknown; started: number; ended: number }> = [];
    try {
      for (let padding = 0; padding < 20; padding++) {
        started = 0;
        ended = 0;
        const error = from(padding);
        outcomes.push({ error, started, ended });
      }
    } finally {
      trace.disable();
      trace.setGlobalTracerProvider(provider);
    }

    // Assess
    for (const outcome of outcomes) {
      expect(outcome.error).toBeInstanceOf(RangeError);
      expect(outcome.started).toBeGreaterThan(0);
      expect(outcome.ended).toBe(outcome.started);
    }
  });
});

describe('traced() with a name that cannot be turned into text', () => {
  it('still runs the work and returns its value, in a span named after the tracer', () => {
    // Prepare: plain JavaScript can pass anything; String() of this throws a TypeError.
    const bare = Object.create(null) as string;

    // Act
    let outcome: unknown;
    try {
      outcome = traced(bare, () => 42);
    } catch (error) {
      outcome = error;
    }

    // Assess
    expect(outcome).toBe(42);
    expect(finished()).toEqual([
      { name: 'lookout/traced', parent: undefined, status: SpanStatusCode.UNSET, exceptions: 0 },
    ]);
  });
});

describe('traced() with a returned value that cannot be looked at', () => {
  it.each([
    [
      'a then getter that throws',
      () => ({
        // biome-ignore lint/suspicious/noThenProperty: a thenable whose then cannot be read is the point
        get then(): never {
          throw new Error('then getter');
        },
      }),
    ],
    [
      'a revoked Proxy',
      () => {
        const { proxy, revoke } = Proxy.revocable({}, {});
        revoke();
        return proxy;
      },
    ],
    [
      'a promise whose constructor getter throws',
      () =>
        Object.defineProperty(Promise.resolve(1), 'constructor', {
          get: () => {
            throw new Error('constructor getter');
          },
        }),
    ],
  ])('hands back %s as it is and ends the span', (_, make) => {
    // Prepare
    const returned = make();

    // Act
    let outcome: unknown;
    try {
      outcome = traced('hostile result', () => returned);
    } catch (error) {
      outcome = error;
    }

    // Assess
    expect(outcome).toBe(returned);
    expect(finished()).toEqual([
      { name: 'hostile result', parent: undefined, status: SpanStatusCode.UNSET, exceptions: 0 },
    ]);
  });
});

describe('traced() as a method decorator', () => {
  it('leaves a field it is put on as it is, instead of throwing whenever the class is constructed', () => {
    // Prepare: what a JavaScript compiler's standard decorators pass for a field (TypeScript
    // refuses the use); the runtime calls a returned function as the field's initializer.
    const handler = () => 'handled';
    const decoratorContext = {
      kind: 'field',
      name: 'handler',
      static: false,
      private: false,
      addInitializer: () => {},
    } as unknown as ClassMethodDecoratorContext<unknown, () => string>;

    // Act
    const returned: unknown = traced()(undefined as unknown as () => string, decoratorContext);
    const initialized = typeof returned === 'function' ? returned.call({}, handler) : handler;

    // Assess
    expect(initialized).toBe(handler);
  });

  it("keeps the method's length and name, which frameworks read (an Express error handler has four parameters)", () => {
    // Prepare
    function handleError(_error: unknown, _request: unknown, _response: unknown, _next: unknown): void {}
    const decoratorContext = {
      kind: 'method',
      name: 'handleError',
      addInitializer: () => {},
    } as unknown as ClassMethodDecoratorContext<unknown, typeof handleError>;

    // Act
    const replaced = traced()(handleError, decoratorContext);

    // Assess
    expect(replaced.length).toBe(4);
    expect(replaced.name).toBe('handleError');
  });

  it('makes a span per call named Class.method (or the given name), keeping this and the result', async () => {
    // Prepare
    const payments = new Payments();

    // Act
    const charged = await payments.charge(10);
    const refunded = payments.refund(5);
    const failed = await payments.charge(-1).catch((error: unknown) => error);

    // Assess
    expect(charged).toBe(13);
    expect(refunded).toBe(-5);
    expect(failed).toBeInstanceOf(OrderRejectedError);
    expect(finished()).toEqual([
      { name: 'Payments.charge', parent: undefined, status: SpanStatusCode.UNSET, exceptions: 0 },
      { name: 'refund money', parent: undefined, status: SpanStatusCode.UNSET, exceptions: 0 },
      { name: 'Payments.charge', parent: undefined, status: SpanStatusCode.ERROR, exceptions: 1 },
    ]);
  });
});
