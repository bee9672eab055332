import type { Attributes, HrTime, SpanContext, SpanKind, SpanStatus } from '@opentelemetry/api';

/**
 * What the mapping reads from a finished span: a subset of the SDK's `ReadableSpan`, so the
 * pure functions can be tested with plain objects.
 */
export interface XRaySpanInput {
  readonly name: string;
  readonly kind: SpanKind;
  readonly spanContext: () => SpanContext;
  readonly parentSpanContext?: SpanContext | undefined;
  readonly startTime: HrTime;
  readonly endTime: HrTime;
  readonly status: SpanStatus;
  readonly attributes: Attributes;
  readonly events: ReadonlyArray<{ readonly name: string; readonly attributes?: Attributes | undefined }>;
  readonly resource: { readonly attributes: Attributes };
}

/** `http` of a segment document. */
export interface XRayHttp {
  request?: {
    method?: string;
    url?: string;
    user_agent?: string;
    client_ip?: string;
    x_forwarded_for?: boolean;
  };
  response?: { status?: number; content_length?: number };
}

export interface XRayStackFrame {
  path?: string;
  line?: number;
  label?: string;
}

export interface XRayException {
  id: string;
  message?: string;
  type?: string;
  remote?: boolean;
  /** Stack frames left out. */
  truncated?: number;
  stack?: XRayStackFrame[];
}

export interface XRayCause {
  exceptions: XRayException[];
}

export type AnnotationValue = string | number | boolean;

/**
 * A segment or subsegment document, as the X-Ray segment document schema names its fields.
 * `trace_id` and `parent_id` are set on documents sent on their own; `type: 'subsegment'`
 * marks a subsegment sent separately from its parent.
 */
export interface XRayDocument {
  name: string;
  id: string;
  start_time: number;
  end_time?: number;
  in_progress?: boolean;
  trace_id?: string;
  parent_id?: string;
  type?: 'subsegment';
  namespace?: 'aws' | 'remote';
  origin?: string;
  user?: string;
  service?: { version?: string };
  http?: XRayHttp;
  aws?: Record<string, unknown>;
  error?: boolean;
  throttle?: boolean;
  fault?: boolean;
  cause?: XRayCause;
  annotations?: Record<string, AnnotationValue>;
  metadata?: Record<string, Record<string, unknown>>;
  subsegments?: XRayDocument[];
}
