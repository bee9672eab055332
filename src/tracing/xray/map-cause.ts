import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import type { XRayCause, XRayException, XRaySpanInput, XRayStackFrame } from './xray-document.js';

/** Frames kept per exception; the rest are counted in `truncated`. */
export const MAX_STACK_FRAMES = 50;

// `    at label (path:line:column)` or `    at path:line:column` (V8's stack format).
const FRAME_WITH_LABEL = /^\s*at (?:async )?(.*?) \((.*?)(?::(\d+))?(?::\d+)?\)$/;
const FRAME_WITHOUT_LABEL = /^\s*at (?:async )?(.*?)(?::(\d+))?(?::\d+)?$/;

/**
 * Parses a V8 stack trace (`error.stack`) into X-Ray stack frames: path, line, label.
 *
 * @example
 * parseV8Stack('Error: x\n    at handler (/app/index.js:10:5)');
 * // { frames: [{ path: '/app/index.js', line: 10, label: 'handler' }], truncated: 0 }
 */
export function parseV8Stack(stack: string): { frames: XRayStackFrame[]; truncated: number } {
  const frames: XRayStackFrame[] = [];
  let total = 0;
  for (const line of stack.split('\n')) {
    if (!/^\s*at /.test(line)) continue;
    total += 1;
    if (frames.length >= MAX_STACK_FRAMES) continue;
    // The labelled form ends with `)`. Tried on a line that does not, the pattern backtracks
    // over every pair of ` (` in it before failing, and a line of an error's message can be
    // anything a request put there: checked first, the line is read in linear time.
    const labelled = line.endsWith(')') ? FRAME_WITH_LABEL.exec(line) : null;
    const match = labelled ?? FRAME_WITHOUT_LABEL.exec(line);
    if (!match) continue;
    const frame: XRayStackFrame = {};
    const path = labelled ? match[2] : match[1];
    const lineText = labelled ? match[3] : match[2];
    if (path) frame.path = path;
    if (lineText) frame.line = Number(lineText);
    if (labelled && match[1]) frame.label = match[1];
    frames.push(frame);
  }
  return { frames, truncated: total - frames.length };
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/**
 * The `cause` of a segment document: one exception per `exception` event (type, message,
 * parsed stack), or, for an ERROR status without exception events, one built from the status
 * message. `newId` makes the 16-hex exception ids.
 */
export function mapCause(
  span: Pick<XRaySpanInput, 'kind' | 'status' | 'events'>,
  newId: () => string,
): XRayCause | undefined {
  // The failure happened in the service called, not here, for client and producer spans.
  const remote = span.kind === SpanKind.CLIENT || span.kind === SpanKind.PRODUCER;
  const exceptions: XRayException[] = [];
  for (const event of span.events) {
    if (event.name !== 'exception') continue;
    const attributes = event.attributes ?? {};
    const exception: XRayException = { id: newId() };
    const type = text(attributes['exception.type']);
    const message = text(attributes['exception.message']);
    const stack = text(attributes['exception.stacktrace']);
    if (type !== undefined) exception.type = type;
    if (message !== undefined) exception.message = message;
    if (remote) exception.remote = true;
    if (stack !== undefined) {
      const parsed = parseV8Stack(stack);
      if (parsed.frames.length > 0) exception.stack = parsed.frames;
      if (parsed.truncated > 0) exception.truncated = parsed.truncated;
    }
    exceptions.push(exception);
  }
  if (exceptions.length === 0 && span.status.code === SpanStatusCode.ERROR) {
    const message = text(span.status.message);
    if (message === undefined) return undefined;
    const exception: XRayException = { id: newId(), message };
    if (remote) exception.remote = true;
    exceptions.push(exception);
  }
  return exceptions.length === 0 ? undefined : { exceptions };
}
