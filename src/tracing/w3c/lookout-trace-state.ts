import type { TraceState } from '@opentelemetry/api';
import { diagnostics } from '../../diag/index.js';
import { trimOptionalWhitespace } from './parse-traceparent.js';

/** At most 32 list members in a `tracestate` list. */
export const MAX_TRACE_STATE_MEMBERS = 32;

// key = ( lcalpha / DIGIT ) 0*255 ( keychar ); keychar = lcalpha / DIGIT / "_" / "-" / "*" / "/" / "@".
// Level 2's grammar: it accepts every level 1 key, `tenant@system` included (see
// docs/decisions/0030-own-w3c-trace-context-propagator.md).
const KEY = /^[a-z0-9][a-z0-9_\-*/@]{0,255}$/;
// value = 0*255(chr) nblk-chr; chr = %x20 / nblk-chr; nblk-chr = %x21-2B / %x2D-3C / %x3E-7E.
const VALUE = /^[\x20-\x2b\x2d-\x3c\x3e-\x7e]{0,255}[\x21-\x2b\x2d-\x3c\x3e-\x7e]$/;

// The longest valid list is 32 members of 256 + 1 + 256 characters and 31 commas (16,447
// characters); optional whitespace may add some. A header far beyond that is "prohibitively
// large" (the specification's words) and is not parsed at all, so parsing stays bounded.
const MAX_HEADER_CHARS = 32_768;

type Entry = readonly [key: string, value: string];

/** Whether `key` is a valid `tracestate` key. */
export function isValidTraceStateKey(key: string): boolean {
  return KEY.test(key);
}

/** Whether `value` is a valid `tracestate` value. */
export function isValidTraceStateValue(value: string): boolean {
  return VALUE.test(value);
}

/**
 * An immutable `tracestate` list, left-most (most recently updated) entry first, that keeps the
 * specification's rules on every change: valid keys and values only, one entry per key, an
 * updated entry moved to the front, at most 32 entries (the right-most dropped).
 *
 * It also carries whether the trace id's right-most 7 bytes are random (the level 2
 * `random-trace-id` flag). The OpenTelemetry SDK builds a span's trace flags from the sampling
 * decision alone, so the flag cannot ride in them; a span inherits its parent's trace state,
 * and Lookout's sampler sets it (random-trace-id-sampler.ts). It is never serialized.
 *
 * @example
 * const state = LookoutTraceState.parse('rojo=00f067aa0ba902b7,congo=t61rcWkgMzE', false);
 * state?.set('congo', 'ucfJifl5GOE').serialize(); // 'congo=ucfJifl5GOE,rojo=00f067aa0ba902b7'
 */
export class LookoutTraceState implements TraceState {
  static readonly #EMPTY_RANDOM = new LookoutTraceState([], true);
  static readonly #EMPTY = new LookoutTraceState([], false);

  readonly #entries: readonly Entry[];
  #serialized: string | undefined;
  /** Whether the trace id's right-most 7 bytes are random: the `random-trace-id` flag. */
  readonly randomTraceId: boolean;

  private constructor(entries: readonly Entry[], randomTraceId: boolean) {
    this.#entries = entries;
    this.randomTraceId = randomTraceId;
  }

  /** An empty list. */
  static empty(randomTraceId: boolean): LookoutTraceState {
    return randomTraceId ? LookoutTraceState.#EMPTY_RANDOM : LookoutTraceState.#EMPTY;
  }

  /**
   * Parses a `tracestate` header (several header fields already joined with commas). Returns
   * undefined when the list is invalid, so that the whole header is discarded, never only the
   * bad member: a member whose key or value breaks the grammar, or more than 32 members.
   * Empty members and the whitespace around members are allowed. A key repeated further right
   * is dropped (the left-most entry is the most recent one).
   */
  static parse(header: string, randomTraceId: boolean): LookoutTraceState | undefined {
    if (header.length > MAX_HEADER_CHARS) return undefined;
    const entries: Entry[] = [];
    const seen = new Set<string>();
    let members = 0;
    for (const raw of header.split(',')) {
      const member = trimOptionalWhitespace(raw);
      if (member === '') continue;
      members++;
      if (members > MAX_TRACE_STATE_MEMBERS) return undefined;
      const equals = member.indexOf('=');
      if (equals === -1) return undefined;
      const key = member.slice(0, equals);
      const value = member.slice(equals + 1);
      if (!KEY.test(key) || !VALUE.test(value)) return undefined;
      if (seen.has(key)) continue;
      seen.add(key);
      entries.push([key, value]);
    }
    return entries.length === 0
      ? LookoutTraceState.empty(randomTraceId)
      : new LookoutTraceState(entries, randomTraceId);
  }

  /**
   * Another `TraceState` (one made by other code) as a Lookout one, or undefined when what it
   * serializes to is not a valid list.
   */
  static from(traceState: TraceState, randomTraceId: boolean): LookoutTraceState | undefined {
    if (traceState instanceof LookoutTraceState) return traceState.withRandomTraceId(randomTraceId);
    return LookoutTraceState.parse(traceState.serialize(), randomTraceId);
  }

  /** The same list with the `random-trace-id` flag set as given. */
  withRandomTraceId(randomTraceId: boolean): LookoutTraceState {
    if (randomTraceId === this.randomTraceId) return this;
    return this.#entries.length === 0
      ? LookoutTraceState.empty(randomTraceId)
      : new LookoutTraceState(this.#entries, randomTraceId);
  }

  /**
   * Adds or updates `key`, at the front of the list. An invalid key or value changes nothing (a
   * tracing system must never send an invalid list); past 32 entries the right-most is dropped.
   */
  set(key: string, value: string): LookoutTraceState {
    if (!KEY.test(key) || !VALUE.test(value)) {
      diagnostics.debug(
        `tracestate: "${key.slice(0, 64)}" was not set; its key or value breaks the W3C grammar.`,
      );
      return this;
    }
    const others = this.#entries.filter(([existing]) => existing !== key);
    const entries: Entry[] = [[key, value], ...others.slice(0, MAX_TRACE_STATE_MEMBERS - 1)];
    return new LookoutTraceState(entries, this.randomTraceId);
  }

  unset(key: string): LookoutTraceState {
    const entries = this.#entries.filter(([existing]) => existing !== key);
    if (entries.length === this.#entries.length) return this;
    return entries.length === 0
      ? LookoutTraceState.empty(this.randomTraceId)
      : new LookoutTraceState(entries, this.randomTraceId);
  }

  get(key: string): string | undefined {
    return this.#entries.find(([existing]) => existing === key)?.[1];
  }

  /** The header value: `key=value` pairs joined by commas, left-most first; `''` when empty. */
  serialize(): string {
    this.#serialized ??= this.#entries.map(([key, value]) => `${key}=${value}`).join(',');
    return this.#serialized;
  }
}
