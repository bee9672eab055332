import {
  type Attributes,
  type AttributeValue,
  type Context,
  diag,
  type Exception,
  type HrTime,
  type Link,
  type Span,
  type SpanContext,
  type SpanKind,
  type SpanStatus,
  SpanStatusCode,
  type TimeInput,
  TraceFlags,
  type Tracer,
  trace,
} from '@opentelemetry/api';
import {
  addHrTimes,
  hrTimeDuration,
  type InstrumentationScope,
  isAttributeValue,
  isTimeInput,
  isTimeInputHrTime,
  millisToHrTime,
} from '@opentelemetry/core';
import type { Resource } from '@opentelemetry/resources';
import {
  type IdGenerator,
  type Sampler,
  SamplingDecision,
  type Span as SdkSpan,
  type SpanProcessor,
  type TimedEvent,
} from '@opentelemetry/sdk-trace-base';
import { isValidSpanContext } from '../context/is-valid-span-context.js';
import { textOf } from '../runtime/index.js';
import { UNREADABLE_THROWN_VALUE } from './record-thrown-value.js';

/**
 * The SDK's default span limits (OTEL_SPAN_*_LIMIT unset): the lean span is used only with
 * these, so what it keeps is what an SDK span would keep (docs/decisions/0056-lean-request-spans.md).
 */
const DEFAULT_LIMIT = 128;

/** What a lean span needs from the tracer provider it stands in for: the same parts, shared. */
export interface LeanSpanPipeline {
  readonly sampler: Sampler;
  readonly idGenerator: IdGenerator;
  readonly resource: Resource;
  readonly scope: InstrumentationScope;
  /** The provider's span processors, called in the same order the provider calls them. */
  readonly processors: readonly SpanProcessor[];
}

const NO_LINKS: Link[] = [];

function hasOwn(object: object, key: string): boolean {
  return Object.hasOwn(object, key);
}

/**
 * A span implementing the OpenTelemetry API `Span` and the SDK's `ReadableSpan`, for the spans
 * Lookout starts itself on the request path (the SERVER span, the CLIENT spans of `http` and
 * `fetch()`). It keeps what the SDK span keeps under the default
 * limits, but takes the attributes it is started with as they are (Lookout builds them, all
 * valid), calls the provider's processors without the SDK's dispatcher, and reads the clock
 * once at start. Set in the context with `trace.setSpan`, so user spans and other
 * instrumentations' spans nest under it like under any span.
 */
export class LeanSpan implements Span {
  name: string;
  readonly kind: SpanKind;
  readonly parentSpanContext?: SpanContext;
  readonly startTime: HrTime;
  endTime: HrTime = [0, 0];
  status: SpanStatus = { code: SpanStatusCode.UNSET };
  readonly attributes: Attributes;
  readonly links: Link[] = [];
  readonly events: TimedEvent[] = [];
  duration: HrTime = [-1, -1];
  ended = false;
  readonly resource: Resource;
  readonly instrumentationScope: InstrumentationScope;
  droppedAttributesCount = 0;
  droppedEventsCount = 0;
  droppedLinksCount = 0;
  // TypeScript-private, not `#`: the redacting exporter hands on a view made with
  // Object.create(span) (redact-span.ts), and a `#` field cannot be read through a view.
  private readonly spanContextValue: SpanContext;
  private readonly processors: readonly SpanProcessor[];
  private readonly startedAtPerformance: number;
  private attributeCount: number;

  constructor(
    pipeline: LeanSpanPipeline,
    spanContext: SpanContext,
    parentSpanContext: SpanContext | undefined,
    name: string,
    kind: SpanKind,
    attributes: Attributes,
    attributeCount: number,
  ) {
    this.spanContextValue = spanContext;
    if (parentSpanContext !== undefined) this.parentSpanContext = parentSpanContext;
    this.name = name;
    this.kind = kind;
    this.attributes = attributes;
    this.attributeCount = attributeCount;
    this.resource = pipeline.resource;
    this.instrumentationScope = pipeline.scope;
    this.processors = pipeline.processors;
    // As the SDK span: wall-clock start in milliseconds, end = start + elapsed monotonic time.
    this.startedAtPerformance = performance.now();
    this.startTime = millisToHrTime(Date.now());
  }

  spanContext(): SpanContext {
    return this.spanContextValue;
  }

  setAttribute(key: string, value: AttributeValue | undefined): this {
    if (value === undefined || value === null || this.isEnded()) return this;
    if (key.length === 0) {
      diag.warn(`Invalid attribute key: ${key}`);
      return this;
    }
    if (!isAttributeValue(value)) {
      diag.warn(`Invalid attribute value set for key: ${key}`);
      return this;
    }
    if (!hasOwn(this.attributes, key)) {
      if (this.attributeCount >= DEFAULT_LIMIT) {
        this.droppedAttributesCount++;
        return this;
      }
      this.attributeCount++;
    }
    this.attributes[key] = value;
    return this;
  }

  setAttributes(attributes: Attributes): this {
    for (const key in attributes) if (hasOwn(attributes, key)) this.setAttribute(key, attributes[key]);
    return this;
  }

  addEvent(name: string, attributesOrStartTime?: Attributes | TimeInput, startTime?: TimeInput): this {
    if (this.isEnded()) return this;
    if (this.events.length >= DEFAULT_LIMIT) {
      this.events.shift();
      this.droppedEventsCount++;
    }
    let time = startTime;
    let given: Attributes | undefined;
    if (isTimeInput(attributesOrStartTime)) {
      if (!isTimeInput(time)) time = attributesOrStartTime;
    } else given = attributesOrStartTime;
    const attributes: Attributes = {};
    let kept = 0;
    let dropped = 0;
    if (given !== undefined) {
      for (const key in given) {
        const value = given[key];
        if (!hasOwn(given, key) || key.length === 0 || !isAttributeValue(value) || value === undefined)
          continue;
        if (kept >= DEFAULT_LIMIT) {
          dropped++;
          continue;
        }
        attributes[key] = value;
        kept++;
      }
    }
    this.events.push({ name, attributes, time: this.timeOf(time), droppedAttributesCount: dropped });
    return this;
  }

  addLink(link: Link): this {
    if (this.isEnded()) return this;
    if (this.links.length >= DEFAULT_LIMIT) {
      this.links.shift();
      this.droppedLinksCount++;
    }
    const kept: Link = { context: link.context };
    const given = link.attributes;
    if (given !== undefined) {
      const attributes: Attributes = {};
      let count = 0;
      let dropped = 0;
      for (const key in given) {
        const value = given[key];
        if (!hasOwn(given, key) || key.length === 0 || !isAttributeValue(value) || value === undefined)
          continue;
        if (count >= DEFAULT_LIMIT) {
          dropped++;
          continue;
        }
        attributes[key] = value;
        count++;
      }
      if (count > 0) kept.attributes = attributes;
      if (dropped > 0) kept.droppedAttributesCount = dropped;
    }
    this.links.push(kept);
    return this;
  }

  addLinks(links: Link[]): this {
    for (const link of links) this.addLink(link);
    return this;
  }

  setStatus(status: SpanStatus): this {
    if (this.isEnded() || status.code === SpanStatusCode.UNSET || this.status.code === SpanStatusCode.OK)
      return this;
    const next: SpanStatus = { code: status.code };
    if (status.code === SpanStatusCode.ERROR && typeof status.message === 'string')
      next.message = status.message;
    this.status = next;
    return this;
  }

  updateName(name: string): this {
    if (!this.isEnded()) this.name = name;
    return this;
  }

  end(endTime?: TimeInput): void {
    if (this.ended) {
      const { traceId, spanId } = this.spanContextValue;
      diag.error(`${this.name} ${traceId}-${spanId} - You can only call end() on a span once.`);
      return;
    }
    this.endTime = this.timeOf(endTime);
    this.duration = hrTimeDuration(this.startTime, this.endTime);
    if (this.duration[0] < 0) {
      this.endTime = [this.startTime[0], this.startTime[1]];
      this.duration = [0, 0];
    }
    const processors = this.processors;
    for (const processor of processors) processor.onEnding?.(this as unknown as SdkSpan);
    this.ended = true;
    for (const processor of processors) processor.onEnd(this);
  }

  isRecording(): boolean {
    return !this.ended;
  }

  recordException(exception: Exception, time?: TimeInput): void {
    const attributes: Attributes = {};
    if (typeof exception === 'string') attributes['exception.message'] = exception;
    else if (exception) readException(exception, attributes);
    if (attributes['exception.type'] !== undefined || attributes['exception.message'] !== undefined)
      this.addEvent('exception', attributes, time);
    else diag.warn(`Failed to record an exception ${textOf(exception)}`);
  }

  private isEnded(): boolean {
    if (this.ended) {
      const { traceId, spanId } = this.spanContextValue;
      diag.warn(`Cannot execute the operation on ended Span {traceId: ${traceId}, spanId: ${spanId}}`);
    }
    return this.ended;
  }

  /** A time given to end() or addEvent(), as the SDK span reads it; now when none is given. */
  private timeOf(input: TimeInput | undefined): HrTime {
    const now = performance.now();
    if (typeof input === 'number') {
      // A number no later than performance.now() is a performance timestamp.
      if (input <= now) return addHrTimes(this.startTime, millisToHrTime(input - this.startedAtPerformance));
      return millisToHrTime(input);
    }
    if (input instanceof Date) return millisToHrTime(input.getTime());
    if (input !== undefined && isTimeInputHrTime(input)) return input;
    return addHrTimes(this.startTime, millisToHrTime(now - this.startedAtPerformance));
  }
}

/** `value[key]`, or `failed` when reading it throws (a getter, a Proxy trap). */
function readOr(value: object, key: string, failed: { read: boolean }): unknown {
  try {
    return (value as Record<string, unknown>)[key];
  } catch {
    failed.read = true;
    return undefined;
  }
}

/**
 * What the SDK span records of an exception (its `code` as text, else its `name`, as the type;
 * its message and stack), read so that it never throws: `span.recordException(error)` runs in
 * the app's catch block, where a throw would replace the app's own error (docs/design.md
 * decision 4). A field that cannot be read (a getter or a Proxy trap that throws, a `code` whose
 * `toString` is missing, not a function or throws) is left out; when nothing could be read
 * because of that, the message says so.
 */
function readException(exception: Exclude<Exception, string>, attributes: Attributes): void {
  const failed = { read: false };
  const code = readOr(exception, 'code', failed);
  let type: unknown;
  if (code) {
    try {
      type = (code as { toString(): unknown }).toString();
    } catch {
      failed.read = true;
    }
  }
  if (typeof type !== 'string') {
    const name = readOr(exception, 'name', failed);
    if (name) type = name;
  }
  if (type !== undefined) attributes['exception.type'] = type as AttributeValue;
  const message = readOr(exception, 'message', failed);
  if (message) attributes['exception.message'] = message as AttributeValue;
  const stack = readOr(exception, 'stack', failed);
  if (stack) attributes['exception.stacktrace'] = stack as AttributeValue;
  if (failed.read && type === undefined && !message)
    attributes['exception.message'] = UNREADABLE_THROWN_VALUE;
}

/**
 * Starts a span the way the SDK tracer does — ids from the provider's generator, the parent's
 * trace, the provider's sampler deciding, the processors told at start — but as a LeanSpan.
 * `attributes` is taken over, not copied: every value must already be a valid attribute
 * value (undefined values are left out). `links` are shown to the sampler and kept, as the
 * SDK tracer does with the links it is given. A span the sampler drops is a non-recording span
 * that carries the ids on, as the SDK returns.
 */
export function startLeanSpan(
  pipeline: LeanSpanPipeline,
  name: string,
  kind: SpanKind,
  attributes: Attributes,
  parent: Context,
  links: Link[] = NO_LINKS,
): Span {
  const parentSpanContext = trace.getSpanContext(parent);
  const spanId = pipeline.idGenerator.generateSpanId();
  const validParent =
    parentSpanContext !== undefined && isValidSpanContext(parentSpanContext) ? parentSpanContext : undefined;
  const traceId = validParent?.traceId ?? pipeline.idGenerator.generateTraceId();
  const result = pipeline.sampler.shouldSample(parent, traceId, name, kind, attributes, links);
  const traceState = result.traceState ?? validParent?.traceState;
  const spanContext: SpanContext = {
    traceId,
    spanId,
    traceFlags:
      result.decision === SamplingDecision.RECORD_AND_SAMPLED ? TraceFlags.SAMPLED : TraceFlags.NONE,
  };
  if (traceState !== undefined) spanContext.traceState = traceState;
  if (result.decision === SamplingDecision.NOT_RECORD) return trace.wrapSpanContext(spanContext);
  let count = 0;
  for (const key in attributes) {
    // Never with Lookout's own attributes; a delete would slow every later access.
    if (attributes[key] === undefined) delete attributes[key];
    else count++;
  }
  const span = new LeanSpan(pipeline, spanContext, validParent, name, kind, attributes, count);
  if (result.attributes !== undefined) span.setAttributes(result.attributes);
  // Copied under the SDK's link limits, as the SDK span keeps the links it is started with.
  if (links.length > 0) span.addLinks(links);
  for (const processor of pipeline.processors) processor.onStart(span as unknown as SdkSpan, parent);
  return span;
}

/**
 * Starts one of Lookout's own request spans (the SERVER span, the CLIENT spans of `http` and
 * `fetch()`): a lean span when the provider's parts are given, else the SDK tracer's span (any
 * span limit variable set; docs/decisions/0056-lean-request-spans.md).
 */
export function startOwnSpan(
  tracer: Tracer,
  pipeline: LeanSpanPipeline | undefined,
  name: string,
  kind: SpanKind,
  attributes: Attributes,
  parent: Context,
): Span {
  return pipeline === undefined
    ? tracer.startSpan(name, { kind, attributes }, parent)
    : startLeanSpan(pipeline, name, kind, attributes, parent);
}
