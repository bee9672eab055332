// Lambda's Extensions API from inside the function's own process (an "internal extension"): the
// route by which a wrapped invocation answers first and delivers its telemetry after
// (docs/decisions/0010-lambda-delivery-after-response.md). Lambda freezes the environment only
// when the runtime and every registered extension wait on /next again, so an extension that
// holds its /next until the invocation's telemetry is out lets the runtime post the response at
// once without anything being lost to the freeze.
//
// This module imports nothing from the core: the layer loads it on its own, ahead of the
// function (layer/lookout-extension.mjs), so that a CommonJS function does not load a second
// copy of Lookout. One instance per process, on a global symbol, whichever copy starts it.

// Not the global: holdImmediatesUntil replaces that one while the registration is under way.
import { setImmediate as onNextTurn } from 'node:timers';
import { holdImmediatesUntil } from './hold-immediates-until.js';
import type { Registration } from './registration.js';
import { RuntimeApiConnection } from './runtime-api-connection.js';
import { SharedDeadline } from './shared-deadline.js';

/** The name this extension registers under (internal: no file in /opt/extensions has it). */
export const EXTENSION_NAME = 'lookout';

const INSTANCE = Symbol.for('lookout.lambda.internal-extension');

/** Where the extension stands. */
export type ExtensionState = 'registering' | 'active' | 'off';

/** The process's internal extension. */
export interface InternalExtension {
  /** Resolves once registration is settled: true when Lambda accepted it. */
  readonly registration: Promise<boolean>;
  /**
   * Resolves true once Lambda accepted the registration, in time or after it was given up on:
   * either way Lambda then ends the environment with SIGTERM rather than SIGKILL. Never
   * resolves while the Runtime API has not answered.
   */
  readonly accepted: Promise<boolean>;
  state(): ExtensionState;
  /** Why the extension is off (registration refused, connection lost), for one diagnostic. */
  offReason(): string | undefined;
  /**
   * Wrapped handlers run in this process: from now on each INVOKE waits for its invocation's
   * hand-over. Until then (a streaming handler left unwrapped, a layer with auto-wrap off) the
   * extension goes straight back to /next.
   */
  arm(deadlineMarginMs: number): void;
  /**
   * Hands the invocation's delivery over: `deliver` starts after the current turn of the event
   * loop (the runtime posts the response within it) and the extension returns to /next once it
   * settles. `deliver` must bound itself by the deadline; the extension also stops waiting
   * `deadlineMarginMs` before it.
   */
  handOver(requestId: string, deliver: () => Promise<void>): void;
  /** The invocation has nothing to deliver (an invocation that ran untraced). */
  release(requestId: string): void;
}

interface Deferred {
  readonly promise: Promise<void>;
  readonly settle: () => void;
}

/** Invocations whose hand-over and INVOKE event have not met yet; more means a leak, so the oldest goes. */
const MAX_UNMATCHED = 16;

function deferred(): Deferred {
  let settle = () => {};
  const promise = new Promise<void>((resolve) => {
    settle = resolve;
  });
  return { promise, settle };
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The register request's body. INVOKE only: Lambda refuses SHUTDOWN to internal extensions (the runtime gets SIGTERM at shutdown instead, once any extension is registered). */
const REGISTER_BODY = '{"events":["INVOKE"]}';
/** A registration that takes longer is given up: init must not hang on it. */
const REGISTER_TIMEOUT_MS = 2000;

/**
 * How the registration is made: `awaited` (a preload awaits it before the runtime starts), or
 * `hold-runtime` (made from the handler module while it loads: the runtime's first /next,
 * scheduled with setImmediate, waits for the answer; see hold-immediates-until.ts).
 */
export type RegistrationMode = 'awaited' | 'hold-runtime';

/** A registration under way: settled at its answer or its timeout; answered at its answer only. */
interface RegistrationRequest {
  readonly settled: Promise<Registration>;
  readonly answered: Promise<Registration>;
}

function registerAsync(connection: RuntimeApiConnection): RegistrationRequest {
  let timer: NodeJS.Timeout | undefined;
  let over = false;
  const timeout = new Promise<Registration>((resolve) => {
    // Counted from the event loop's next turn, not from now: a handler module that goes on with
    // synchronous init work after wrap() blocks the loop, and the request is not even sent
    // before the loop turns. The runtime's first /next waits for this turn too.
    onNextTurn(() => {
      if (over) return;
      timer = setTimeout(
        () => resolve({ ok: false, reason: `registration got no answer within ${REGISTER_TIMEOUT_MS} ms` }),
        REGISTER_TIMEOUT_MS,
      );
    });
  });
  const request = connection
    .request(
      'POST',
      '/2020-01-01/extension/register',
      { 'Lambda-Extension-Name': EXTENSION_NAME, 'Content-Type': 'application/json' },
      REGISTER_BODY,
    )
    .then(
      (response): Registration => {
        const identifier = response.headers.get('lambda-extension-identifier');
        return response.status === 200 && identifier !== undefined
          ? { ok: true, identifier }
          : { ok: false, reason: `registration answered ${response.status}: ${response.body}` };
      },
      (error: unknown): Registration => ({ ok: false, reason: `registration failed: ${describe(error)}` }),
    );
  const settled = Promise.race([request, timeout]).finally(() => {
    over = true;
    clearTimeout(timer);
  });
  return { settled, answered: request };
}

function createInternalExtension(runtimeApi: string, mode: RegistrationMode): InternalExtension {
  const separator = runtimeApi.lastIndexOf(':');
  const host = runtimeApi.slice(0, separator);
  const port = Number(runtimeApi.slice(separator + 1));
  const connection = new RuntimeApiConnection(host, port);
  let state: ExtensionState = 'registering';
  let reason: string | undefined;
  let armedMarginMs: number | undefined;
  const invocations = new Map<string, Deferred>();

  const off = (why: string) => {
    state = 'off';
    reason ??= why;
    // Nothing waits on a hand-over any more: let every pending one go.
    for (const invocation of invocations.values()) invocation.settle();
  };
  const invocationOf = (requestId: string): Deferred => {
    let invocation = invocations.get(requestId);
    if (invocation === undefined) {
      invocation = deferred();
      invocations.set(requestId, invocation);
      if (invocations.size > MAX_UNMATCHED) {
        const oldest = invocations.keys().next().value;
        if (oldest !== undefined) invocations.delete(oldest);
      }
    }
    return invocation;
  };

  // When the extension stops waiting for the invocation it holds /next for, at the latest: one
  // timer for every invocation (docs/decisions/0058-lambda-extension-off-the-invocation-path.md).
  const release = new SharedDeadline(Date.now);

  /** Waits for the invocation's delivery, at most until `deadlineMarginMs` before its deadline. */
  const delivered = async (requestId: string, deadlineMs: number): Promise<void> => {
    if (armedMarginMs === undefined) return;
    const invocation = invocationOf(requestId);
    const due = { dueAt: deadlineMs - armedMarginMs, settle: invocation.settle };
    release.wait(due);
    await invocation.promise;
    release.done(due);
    invocations.delete(requestId);
  };

  /** Waits on /next, event after event; `holds: false` goes straight back, holding nothing. */
  const loop = async (identifier: string, holds: boolean): Promise<void> => {
    for (;;) {
      let event: { eventType?: unknown; requestId?: unknown; deadlineMs?: unknown };
      try {
        const response = await connection.request(
          'GET',
          '/2020-01-01/extension/event/next',
          { 'Lambda-Extension-Identifier': identifier },
          '',
          false,
        );
        if (response.status !== 200)
          return off(`/extension/event/next answered ${response.status}: ${response.body}`);
        const parsed: unknown = JSON.parse(response.body);
        // `null` parses too, and reading its eventType would throw outside this try: a rejected
        // loop that nothing awaits, an unhandled rejection that ends the function's process.
        event = typeof parsed === 'object' && parsed !== null ? parsed : {};
      } catch (error) {
        return off(`/extension/event/next failed: ${describe(error)}`);
      }
      if (event.eventType !== 'INVOKE') return off(`the extension received ${String(event.eventType)}`);
      if (holds && typeof event.requestId === 'string')
        await delivered(
          event.requestId,
          typeof event.deadlineMs === 'number' ? event.deadlineMs : Date.now(),
        );
    }
  };

  const request = registerAsync(connection);
  const settleRegistration = (outcome: Registration): boolean => {
    if (!outcome.ok) {
      off(outcome.reason);
      // A registration given up on at its timeout (an event loop that the module's own init
      // blocked, or a slow answer) may still be accepted by Lambda, which then ends the init
      // phase only once this extension waits on /next: it must wait there, holding nothing, or
      // the function never gets an invocation.
      void request.answered.then((late) => {
        if (late.ok) void loop(late.identifier, false);
      });
      return false;
    }
    state = 'active';
    void loop(outcome.identifier, true);
    return true;
  };
  if (mode === 'hold-runtime') holdImmediatesUntil(request.settled);
  const registration = request.settled.then(settleRegistration);

  return {
    registration,
    accepted: request.answered.then((answer) => answer.ok),
    state: () => state,
    offReason: () => reason,
    arm(deadlineMarginMs) {
      armedMarginMs ??= deadlineMarginMs;
    },
    handOver(requestId, deliver) {
      const invocation = invocationOf(requestId);
      setImmediate(() => {
        deliver().then(invocation.settle, invocation.settle);
      });
    },
    release(requestId) {
      invocationOf(requestId).settle();
    },
  };
}

/**
 * Registers the process's internal extension with Lambda, once: later calls (from any copy of
 * Lookout) return the same instance. Undefined outside Lambda (no `AWS_LAMBDA_RUNTIME_API`).
 * Lambda accepts the registration only before the runtime asks for its first invocation, and
 * the runtime asks as soon as the handler module has loaded, so the order is made certain
 * (docs/decisions/0010): the layer awaits the registration in a preload; `wrap()` and `middy()`
 * hold the runtime's first /next until Lambda answered (`mode: 'hold-runtime'`) when nothing
 * registered before them.
 *
 * @example
 * const extension = startInternalExtension(process.env.AWS_LAMBDA_RUNTIME_API);
 * if (await extension?.registration) extension.handOver(requestId, () => flush());
 */
export function startInternalExtension(
  runtimeApi: string | undefined,
  mode: RegistrationMode = 'awaited',
): InternalExtension | undefined {
  const holder = globalThis as { [INSTANCE]?: InternalExtension };
  const existing = holder[INSTANCE];
  if (existing !== undefined) return existing;
  if (runtimeApi === undefined || runtimeApi === '' || !runtimeApi.includes(':')) return undefined;
  const extension = createInternalExtension(runtimeApi, mode);
  holder[INSTANCE] = extension;
  return extension;
}

/** The process's internal extension, if one was started. */
export function getInternalExtension(): InternalExtension | undefined {
  return (globalThis as { [INSTANCE]?: InternalExtension })[INSTANCE];
}
