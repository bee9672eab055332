/** The `sampled` trace flag (W3C Trace Context level 1). */
export const SAMPLED_FLAG = 0x01;
/** The `random-trace-id` trace flag (W3C Trace Context level 2). */
export const RANDOM_FLAG = 0x02;
/** Every flag this version of the specification defines; the others are reserved and sent as zero. */
const KNOWN_FLAGS = SAMPLED_FLAG | RANDOM_FLAG;

/** What a valid `traceparent` carries, in the form of version `00`. */
export interface TraceParent {
  /** 32 lowercase hex digits, not all zero. */
  readonly traceId: string;
  /** 16 lowercase hex digits, not all zero. */
  readonly spanId: string;
  /** The known flags only (`sampled`, `random-trace-id`); reserved bits are dropped. */
  readonly traceFlags: number;
}

// Offsets in `vv-<32 trace-id>-<16 parent-id>-ff`: version-format 00 is exactly 55 characters.
const TRACE_ID_AT = 3;
const SPAN_ID_AT = 36;
const FLAGS_AT = 53;
const VERSION_00_LENGTH = 55;
const DASH = 0x2d;

function isSpaceOrTab(code: number): boolean {
  return code === 0x20 || code === 0x09;
}

/** Drops the optional whitespace (spaces and tabs, RFC 9110 `OWS`) around a header value. */
export function trimOptionalWhitespace(value: string): string {
  let start = 0;
  let end = value.length;
  while (start < end && isSpaceOrTab(value.charCodeAt(start))) start++;
  while (end > start && isSpaceOrTab(value.charCodeAt(end - 1))) end--;
  return start === 0 && end === value.length ? value : value.slice(start, end);
}

/** Whether `value[from, from + length)` is lowercase hex (`HEXDIGLC`), and whether any digit is non-zero. */
function scanHex(value: string, from: number, length: number): 'invalid' | 'zero' | 'nonzero' {
  let nonZero = false;
  for (let index = from; index < from + length; index++) {
    const code = value.charCodeAt(index);
    const digit = code >= 0x30 && code <= 0x39;
    if (!digit && !(code >= 0x61 && code <= 0x66)) return 'invalid';
    if (code !== 0x30) nonZero = true;
  }
  return nonZero ? 'nonzero' : 'zero';
}

/**
 * Parses a `traceparent` header value by the rules of W3C Trace Context levels 1 and 2:
 *
 * - optional whitespace around the value is ignored;
 * - the version is two lowercase hex digits followed by a dash; `ff` is invalid;
 * - version `00` is exactly `00-<trace-id>-<parent-id>-<flags>`: anything more is invalid;
 * - a higher version is parsed by the `00` prefix (at least 55 characters, the flags followed
 *   by the end or by a dash) and whatever follows is ignored, never interpreted;
 * - trace-id and parent-id are lowercase hex and not all zeros;
 * - only the flags this version defines are kept (reserved bits are set to zero on the way out).
 *
 * Returns undefined for any invalid value: the caller then starts a new trace.
 *
 * @example
 * parseTraceParent('00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-03');
 * // { traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331', traceFlags: 3 }
 */
export function parseTraceParent(header: string): TraceParent | undefined {
  const value = trimOptionalWhitespace(header);
  if (value.length < VERSION_00_LENGTH) return undefined;
  if (scanHex(value, 0, 2) === 'invalid' || value.charCodeAt(2) !== DASH) return undefined;
  const version = value.slice(0, 2);
  if (version === 'ff') return undefined;
  if (version === '00') {
    if (value.length !== VERSION_00_LENGTH) return undefined;
  } else if (value.length > VERSION_00_LENGTH && value.charCodeAt(VERSION_00_LENGTH) !== DASH) {
    // A higher version may add fields after the flags, each after a dash.
    return undefined;
  }
  if (value.charCodeAt(SPAN_ID_AT - 1) !== DASH || value.charCodeAt(FLAGS_AT - 1) !== DASH) return undefined;
  if (scanHex(value, TRACE_ID_AT, 32) !== 'nonzero') return undefined;
  if (scanHex(value, SPAN_ID_AT, 16) !== 'nonzero') return undefined;
  if (scanHex(value, FLAGS_AT, 2) === 'invalid') return undefined;
  return {
    traceId: value.slice(TRACE_ID_AT, TRACE_ID_AT + 32),
    spanId: value.slice(SPAN_ID_AT, SPAN_ID_AT + 16),
    traceFlags: Number.parseInt(value.slice(FLAGS_AT, FLAGS_AT + 2), 16) & KNOWN_FLAGS,
  };
}
