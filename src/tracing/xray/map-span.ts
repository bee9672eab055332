import { type Attributes, type AttributeValue, type HrTime, SpanKind } from '@opentelemetry/api';
import { fitRequestField } from './fit-http-request.js';
import { AWS_ATTRIBUTE_NAMES, isAwsSdkSpan, mapAwsCall, mapAwsResource, mapOrigin } from './map-aws.js';
import { mapCause } from './map-cause.js';
import { HTTP_ATTRIBUTE_NAMES, mapFailureFlags, mapHttp } from './map-http.js';
import { toAnnotationKey, toSegmentName } from './sanitize-names.js';
import type { AnnotationValue, XRayDocument, XRaySpanInput } from './xray-document.js';

/** Where a span lands in X-Ray: its role and, in X-Ray format, its trace and parent. */
export interface SpanPlacement {
  readonly role: 'segment' | 'subsegment';
  /** `1-<8 hex>-<24 hex>`. */
  readonly traceId: string;
  /** The parent segment or subsegment id (16 hex), if any. */
  readonly parentId: string | undefined;
}

export interface MapSpanOptions {
  /** Span attributes recorded as annotations, in order of preference. */
  readonly annotationAttributes: readonly string[];
  /**
   * Grants an annotation key in a trace. X-Ray indexes at most 50 annotations per trace; a key
   * refused here is recorded as metadata instead.
   */
  readonly admitAnnotation: (traceId: string, key: string) => boolean;
  /** Makes a 16-hex id (for exception ids). */
  readonly newId: () => string;
}

/** X-Ray's limit on one annotation value. */
export const MAX_ANNOTATION_VALUE_LENGTH = 1000;
/** Metadata namespace for span attributes that are not annotations, as the ADOT collector names it. */
export const DEFAULT_METADATA_NAMESPACE = 'default';

function toSeconds(time: HrTime): number {
  // Microsecond precision, which is what a double holds for current epoch seconds anyway.
  return Math.round(time[0] * 1e6 + time[1] / 1e3) / 1e6;
}

function annotationValue(value: AttributeValue | undefined): AnnotationValue | undefined {
  if (typeof value === 'string') return value.slice(0, MAX_ANNOTATION_VALUE_LENGTH);
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  return undefined;
}

function metadataValue(value: AttributeValue | undefined): unknown {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  return value;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function hostOf(url: string | undefined): string | undefined {
  if (url === undefined) return undefined;
  try {
    return new URL(url).hostname || undefined;
  } catch {
    return undefined;
  }
}

function subsegmentName(span: XRaySpanInput, isAws: boolean, url: string | undefined): string {
  const { attributes } = span;
  const named =
    text(attributes['peer.service']) ??
    (isAws ? text(attributes['rpc.service']) : undefined) ??
    (span.kind === SpanKind.CLIENT
      ? (text(attributes['server.address']) ?? text(attributes['net.peer.name']) ?? hostOf(url))
      : undefined);
  return toSegmentName(named ?? span.name);
}

/**
 * Maps one finished span to one X-Ray document, without nesting: name, ids and times, `http`,
 * `aws`, the error/throttle/fault flags, `cause`, annotations from the configured attributes
 * and every other attribute as metadata. Pure: the same input gives the same document, except
 * for exception ids from `newId`.
 *
 * @example
 * mapSpanToDocument(span, { role: 'segment', traceId: '1-5759e988-bd862e3fe1be46a994272793', parentId: undefined }, options);
 */
export function mapSpanToDocument(
  span: XRaySpanInput,
  placement: SpanPlacement,
  options: MapSpanOptions,
): XRayDocument {
  const { attributes } = span;
  const resource = span.resource.attributes;
  const isSegment = placement.role === 'segment';
  const isAws = isAwsSdkSpan(attributes);
  const http = mapHttp(span);

  const start = toSeconds(span.startTime);
  const document: XRayDocument = {
    name: isSegment ? toSegmentName(text(resource['service.name']) ?? span.name) : '',
    id: span.spanContext().spanId,
    start_time: start,
    // A clock step can make a span end before it starts; X-Ray refuses such a document.
    end_time: Math.max(start, toSeconds(span.endTime)),
    trace_id: placement.traceId,
  };
  if (placement.parentId !== undefined) document.parent_id = placement.parentId;
  if (!isSegment) {
    document.name = subsegmentName(span, isAws, http?.request?.url);
    if (isAws) document.namespace = 'aws';
    else if (span.kind === SpanKind.CLIENT || span.kind === SpanKind.PRODUCER) document.namespace = 'remote';
  }

  if (isSegment) {
    const origin = mapOrigin(resource);
    if (origin !== undefined) document.origin = origin;
    const version = text(resource['service.version']);
    if (version !== undefined) document.service = { version };
    const user = text(attributes['enduser.id']);
    if (user !== undefined) document.user = fitRequestField(user);
  }
  if (http !== undefined) document.http = http;
  const aws = isAws ? mapAwsCall(attributes, resource) : isSegment ? mapAwsResource(resource) : {};
  if (Object.keys(aws).length > 0) document.aws = aws;

  Object.assign(document, mapFailureFlags(span));
  const cause = mapCause(span, options.newId);
  if (cause !== undefined) document.cause = cause;

  const annotations: Record<string, AnnotationValue> = {};
  const annotated = new Set<string>();
  for (const name of options.annotationAttributes) {
    // Resource attributes (deployment.environment.name, ...) can be annotated on the documents
    // that carry the resource: segments.
    const value = annotationValue(attributes[name] ?? (isSegment ? resource[name] : undefined));
    if (value === undefined) continue;
    const key = toAnnotationKey(name);
    if (key in annotations || !options.admitAnnotation(placement.traceId, key)) continue;
    annotations[key] = value;
    annotated.add(name);
  }
  if (Object.keys(annotations).length > 0) document.annotations = annotations;

  const metadata: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(attributes)) {
    if (annotated.has(name)) continue;
    if (http !== undefined && HTTP_ATTRIBUTE_NAMES.has(name)) continue;
    if (isAws && AWS_ATTRIBUTE_NAMES.has(name)) continue;
    if (isSegment && name === 'enduser.id') continue;
    const recorded = metadataValue(value);
    if (recorded !== undefined) metadata[name] = recorded;
  }
  if (isSegment) {
    for (const [name, value] of Object.entries(resource as Attributes)) {
      const recorded = metadataValue(value);
      if (recorded !== undefined) metadata[`otel.resource.${name}`] = recorded;
    }
  }
  if (Object.keys(metadata).length > 0) document.metadata = { [DEFAULT_METADATA_NAMESPACE]: metadata };
  return document;
}
