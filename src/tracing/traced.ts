import { context, type Span, trace } from '@opentelemetry/api';
import {
  enterContext,
  getStoredContext,
  isStoreGlobalContext,
  restoreContext,
} from '../context/context-storage.js';
import { isThenable, textOf } from '../runtime/index.js';
import { VERSION } from '../version.js';
import { recordThrownValue } from './record-thrown-value.js';

const TRACER_NAME = 'lookout/traced';

/**
 * Spans whose ending ran out of stack. A recursion of traced calls that overflows unwinds one
 * RangeError through every level, and the innermost levels have no frames left to record it
 * and end their span: each such span is kept here (a plain assignment, which needs no frame)
 * and ended, with the error, by the next traced() call that ends its own, usually the level
 * just above. The caller still gets the work's own error, never a second overflow.
 */
let unended: { readonly span: Span; readonly error: unknown; readonly next: typeof unended } | undefined;

/** Stands for the error of an unended span whose work returned: there is none to record. */
const RETURNED: unique symbol = Symbol('returned');

function endUnended(): void {
  try {
    while (unended !== undefined) {
      const { span, error, next } = unended;
      if (span.isRecording()) {
        reserveStack(STACK_RESERVE);
        if (error !== RETURNED) recordThrownValue(span, error);
        span.end();
      }
      unended = next;
    }
  } catch {
    // Still short of stack here: what is left is ended by a level further up.
  }
}

// Calls deep enough to cover a span's end (the processors' onEnd, an exporter's queueing).
const STACK_RESERVE = 128;

/**
 * Throws a RangeError, before a span's ending starts, when the stack could run out during it.
 * A span marks itself ended before it calls the processors: an overflow in between would leave
 * a span that no processor sees and that `unended` could not end again. Only on the error path.
 */
function reserveStack(levels: number): number {
  return levels === 0 ? 0 : reserveStack(levels - 1) + 1;
}

/**
 * A method decorator, as `@traced()` returns it: a TypeScript 5 (standard, stage 3) decorator,
 * and a legacy one for code compiled with `experimentalDecorators` (NestJS and others).
 */
export type TracedMethodDecorator = (<This, Args extends unknown[], Return>(
  method: (this: This, ...args: Args) => Return,
  context: ClassMethodDecoratorContext<This, (this: This, ...args: Args) => Return>,
) => (this: This, ...args: Args) => Return) &
  (<T>(
    target: object,
    propertyKey: string | symbol,
    descriptor: TypedPropertyDescriptor<T>,
  ) => TypedPropertyDescriptor<T> | undefined);

type AnyMethod = (this: unknown, ...args: unknown[]) => unknown;

/**
 * Makes a child span of the active span around some work, with errors recorded.
 *
 * - `traced(name, fn)` runs `fn(span)` now, in a span named `name`, and returns what it returns
 *   (a promise is followed until it settles).
 * - `@traced()` or `@traced(name)` decorates a class method (TypeScript 5 decorators, or
 *   `experimentalDecorators`): each call runs in a span named `name`, by default
 *   `ClassName.method`.
 *
 * The span ends when the work ends; an error thrown or rejected is recorded on it (an
 * `exception` event, status ERROR) and reaches the caller unchanged. Spans nest under the
 * request's or invocation's span and carry over to log lines written inside them.
 *
 * @example
 * const order = await traced('load order', () => db.getOrder(id));
 *
 * class Payments {
 *   @traced()
 *   async charge(card: Card) { ... }   // span "Payments.charge"
 * }
 */
export function traced<T>(name: string, fn: (span: Span) => T): T;
export function traced(name?: string): TracedMethodDecorator;
export function traced<T>(name?: string, fn?: (span: Span) => T): T | TracedMethodDecorator {
  // The name as text, whatever the app passed: `String()` throws for a value with no prototype
  // or whose `toString` throws, and the work would not run at all, the app getting Lookout's
  // TypeError. Such a name becomes the tracer's own, off the common (string) path.
  const text = typeof name === 'string' || name === undefined ? name : textOf(name) || TRACER_NAME;
  if (typeof fn !== 'function') return decorator(text);

  // Asked for per call, not once at load: a tracer taken before init() would stay a no-op.
  const span = trace.getTracer(TRACER_NAME, VERSION).startSpan(text ?? 'undefined');
  let result: T;
  try {
    const active = trace.setSpan(context.active(), span);
    if (isStoreGlobalContext()) {
      // Lookout's manager is the global one: what `context.with()` does through it, without its
      // four frames (the API's with, the manager's, the store's run and its Reflect.apply)
      // between this call and `fn`. Every frame there is paid once per level of a recursion of
      // traced calls. Node's run() is this: enter the store, call, restore the prior one.
      const prior = getStoredContext();
      enterContext(active);
      try {
        result = fn(span);
      } finally {
        restoreContext(prior);
      }
    } else {
      result = context.with(active, fn, undefined, span);
    }
  } catch (error) {
    try {
      if (unended !== undefined) endUnended();
      reserveStack(STACK_RESERVE);
      recordThrownValue(span, error);
      span.end();
    } catch {
      // Out of stack: see `unended`. Keeping the span takes no call, so cannot overflow again.
      unended = { span, error, next: unended };
    }
    throw error;
  }
  try {
    return settle(span, result);
  } catch {
    // Out of stack once the work has returned (work that caught an overflow itself returns with
    // almost none left): its value is handed back as it is, never Lookout's RangeError, and the
    // span is ended by a traced() call further up (see `unended`).
    unended = { span, error: RETURNED, next: unended };
    return result;
  }
}

/**
 * Ends `span` when the work's `result` is ready: now, or when a promise settles. A rejection is
 * recorded on the span (an `exception` event, status ERROR) and passed on unchanged; the value
 * is returned unchanged. Apart from traced() so that its frame, paid once per level of a
 * recursion of traced calls, holds only what the call itself needs.
 */
function settle<T>(span: Span, result: T): T {
  let followed: Promise<unknown> | undefined;
  try {
    followed = isThenable(result) ? Promise.resolve(result) : undefined;
  } catch {
    // The work has returned; a value that cannot be looked at (a `then` or `constructor` getter
    // that throws, a revoked Proxy) is not a promise to follow but the app's own value, handed
    // back as it is. Looking must neither throw into the caller nor leave the span open.
    followed = undefined;
  }
  if (followed === undefined) {
    span.end();
    if (unended !== undefined) endUnended();
    return result;
  }
  return followed.then(
    (value) => {
      span.end();
      return value;
    },
    (error: unknown) => {
      recordThrownValue(span, error);
      span.end();
      throw error;
    },
  ) as T;
}

/**
 * `@traced()`: both decorator forms, told apart by their second argument: a context object
 * (standard) or the property key (experimentalDecorators). Taking the legacy call for a
 * standard one would throw when the class is defined, before the app has run a line: NestJS
 * apps compile with experimentalDecorators.
 */
function decorator(text: string | undefined): TracedMethodDecorator {
  return function decorate(method: unknown, second: unknown, descriptor?: PropertyDescriptor): unknown {
    if (typeof second === 'object' && second !== null) {
      // Only functions are wrapped. On a field the runtime would call the returned function as
      // the field's initializer and, with no method to run, it would throw in every `new` of the
      // class; on an auto-accessor or a class it would fail when the class is defined. TypeScript
      // refuses those uses, JavaScript compilers do not: the decorator then leaves them as they are.
      const kind = (second as { kind?: unknown }).kind;
      if (kind !== 'method' && kind !== 'getter' && kind !== 'setter') return undefined;
      return decorateStandard(
        text,
        method as AnyMethod,
        second as ClassMethodDecoratorContext<unknown, AnyMethod>,
      );
    }
    return decorateLegacy(text, method as object, second as string | symbol, descriptor);
  } as TracedMethodDecorator;
}

function decorateStandard(
  name: string | undefined,
  method: AnyMethod,
  decoratorContext: ClassMethodDecoratorContext<unknown, AnyMethod>,
): AnyMethod {
  let spanName = name;
  const tracedMethod = function (this: unknown, ...args: unknown[]): unknown {
    return traced(spanName ?? String(decoratorContext.name), () => method.apply(this, args));
  };
  decoratorContext.addInitializer(function (this: unknown) {
    if (spanName !== undefined) return;
    const owner = declaringClassName(this, decoratorContext, tracedMethod);
    spanName = `${owner || 'anonymous'}.${String(decoratorContext.name)}`;
  });
  return keepShape(tracedMethod, method);
}

/**
 * The name of the class that declares the decorated method. A standard decorator learns its
 * class only from the initializers, which run with the class (a static method) or with the
 * first instance constructed (an instance method): that instance's class may be a subclass, and
 * naming every call of `Repo.load` after whichever of `OrdersRepo` or `UsersRepo` came first
 * would send the user looking for the wrong code. So the prototype chain is walked up to the
 * prototype that holds the method itself. A private method is on no prototype: the instance's
 * class names it. Runs once per method, in the app's constructor: it never throws.
 */
function declaringClassName(
  receiver: unknown,
  decoratorContext: ClassMethodDecoratorContext<unknown, AnyMethod>,
  wrapper: AnyMethod,
): string | undefined {
  try {
    if (typeof receiver === 'function') return (receiver as { name?: string }).name;
    if (receiver === null || typeof receiver !== 'object') return undefined;
    if (!decoratorContext.private) {
      for (
        let proto = Object.getPrototypeOf(receiver);
        proto !== null;
        proto = Object.getPrototypeOf(proto)
      ) {
        if (Object.getOwnPropertyDescriptor(proto, decoratorContext.name)?.value === wrapper)
          return (proto as { constructor?: { name?: string } }).constructor?.name;
      }
    }
    return (receiver as { constructor?: { name?: string } }).constructor?.name;
  } catch {
    return undefined;
  }
}

/**
 * The `experimentalDecorators` form: called with the prototype (or, for a static method, the
 * class), the key and the property descriptor, it returns the descriptor with the method
 * wrapped. The class is known here, so the span name is fixed now. Anything but a method (an
 * accessor, a field) is left as it is.
 */
function decorateLegacy(
  name: string | undefined,
  target: object,
  key: string | symbol,
  descriptor: PropertyDescriptor | undefined,
): PropertyDescriptor | undefined {
  const method: unknown = descriptor?.value;
  if (typeof method !== 'function') return descriptor;
  const owner =
    typeof target === 'function'
      ? (target as { name?: string }).name
      : (target as { constructor?: { name?: string } } | null)?.constructor?.name;
  const spanName = name ?? `${owner || 'anonymous'}.${String(key)}`;
  const tracedMethod = function (this: unknown, ...args: unknown[]): unknown {
    return traced(spanName, () => (method as AnyMethod).apply(this, args));
  };
  return { ...descriptor, value: keepShape(tracedMethod, method) };
}

/**
 * Gives the wrapper the method's `length` and `name`. Frameworks read a function's arity:
 * Express takes a four-parameter function for an error handler and calls one with fewer as plain
 * middleware (the error then skips it), and test runners and routers do the like; stack traces
 * and logs show the name. A wrapper of length 0 named `tracedMethod` would change what the app
 * does. Done once, when the class is defined.
 */
function keepShape<F extends (...args: never[]) => unknown>(
  wrapper: F,
  method: { readonly length: number; readonly name: string },
): F {
  try {
    Object.defineProperty(wrapper, 'length', { value: method.length, configurable: true });
    Object.defineProperty(wrapper, 'name', { value: method.name, configurable: true });
  } catch {
    // A method whose own `length` or `name` cannot be read keeps the wrapper's: still traced.
  }
  return wrapper;
}
