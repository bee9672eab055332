import { type Context, INVALID_SPAN_CONTEXT, type Span, trace } from '@opentelemetry/api';
import { type RPCMetadata, RPCType, setRPCMetadata } from '@opentelemetry/core';
import { REQUEST_CONTEXT_KEY, type RequestContext } from '../logging/request-context.js';

/**
 * Records the key a context function sets, through the public `Context` interface only: the
 * api and the SDK core name their keys with `createContextKey`, and do not export them.
 */
class KeyRecorder implements Context {
  key: symbol | undefined;

  getValue(): unknown {
    return undefined;
  }

  setValue(key: symbol): Context {
    this.key = key;
    return this;
  }

  deleteValue(): Context {
    return this;
  }
}

function keySetBy(set: (context: Context) => Context): symbol {
  const recorder = new KeyRecorder();
  set(recorder);
  if (recorder.key === undefined) throw new Error('a context function set no key');
  return recorder.key;
}

const PROBE_SPAN = trace.wrapSpanContext(INVALID_SPAN_CONTEXT);
const SPAN_KEY = keySetBy((context) => trace.setSpan(context, PROBE_SPAN));
const RPC_METADATA_KEY = keySetBy((context) =>
  setRPCMetadata(context, { type: RPCType.HTTP, span: PROBE_SPAN }),
);

/**
 * The context of one request or invocation: its span, the RPC metadata and its request keys in
 * one object, over the context the trace came from (its remote span, its baggage). What
 * `setRPCMetadata(trace.setSpan(parent, span), …).setValue(REQUEST_CONTEXT_KEY, keys)` holds,
 * read the same way, without the three copies of the parent's values that chain makes on every
 * request (docs/decisions/0063-lean-invocation-spans.md). A context that sets another span on it
 * is one of these too; any other derivation is an ordinary context, made once from the same
 * values. Without keys (undefined), the keys and anything else it does not hold are the parent's:
 * a Lambda invocation's remote parent is one span over the root context.
 */
export class RequestScopeContext implements Context {
  readonly #parent: Context;
  readonly #span: Span | undefined;
  readonly #rpcMetadata: RPCMetadata | undefined;
  readonly #keys: RequestContext | undefined;
  #expanded: Context | undefined;

  constructor(
    parent: Context,
    span: Span | undefined,
    rpcMetadata: RPCMetadata | undefined,
    keys: RequestContext | undefined,
  ) {
    this.#parent = parent;
    this.#span = span;
    this.#rpcMetadata = rpcMetadata;
    this.#keys = keys;
  }

  getValue(key: symbol): unknown {
    if (key === REQUEST_CONTEXT_KEY && this.#keys !== undefined) return this.#keys;
    if (key === SPAN_KEY && this.#span !== undefined) return this.#span;
    if (key === RPC_METADATA_KEY && this.#rpcMetadata !== undefined) return this.#rpcMetadata;
    return this.#parent.getValue(key);
  }

  setValue(key: symbol, value: unknown): Context {
    // Another span under the request (a client span, a user span) is the common derivation:
    // the same parent, RPC metadata and keys with that span, one small object instead of the
    // expanded context's values copied once more. An undefined span is left to the ordinary
    // context, where it hides the parent's span (here it would not).
    if (key === SPAN_KEY && value !== undefined)
      return new RequestScopeContext(this.#parent, value as Span, this.#rpcMetadata, this.#keys);
    return this.#expand().setValue(key, value);
  }

  deleteValue(key: symbol): Context {
    return this.#expand().deleteValue(key);
  }

  /** The same values as an ordinary context, made on the first derivation. */
  #expand(): Context {
    if (this.#expanded === undefined) {
      let context = this.#parent;
      if (this.#span !== undefined) context = trace.setSpan(context, this.#span);
      if (this.#rpcMetadata !== undefined) context = setRPCMetadata(context, this.#rpcMetadata);
      this.#expanded = this.#keys === undefined ? context : context.setValue(REQUEST_CONTEXT_KEY, this.#keys);
    }
    return this.#expanded;
  }
}
