import { STATUS_CODES } from 'node:http';
import { readField } from '../core.js';

/** What errorHandler() answers with. */
export interface ErrorBody {
  readonly error: string;
  readonly requestId: string | null;
  /** Development only. */
  readonly name?: string;
  /** Development only: `err.code`, when it has one. */
  readonly code?: unknown;
  /** Development only: the stack, one line per item. */
  readonly stack?: readonly string[];
  /** Development only: the error's own fields. */
  readonly details?: unknown;
}

/** Longest message put in a response. */
const MAX_MESSAGE_LENGTH = 500;
/** Fields that only steer the response; never echoed as details. */
const CONTROL_FIELDS: ReadonlySet<string> = new Set([
  'status',
  'statusCode',
  'expose',
  'message',
  'stack',
  'name',
]);

/** `error instanceof Error`, false when a Proxy's `getPrototypeOf` trap throws. */
export function isError(error: unknown): error is Error {
  try {
    return error instanceof Error;
  } catch {
    return false;
  }
}

/**
 * The message of an error: an Error's own when it is a string, or a thrown string; '' otherwise.
 *
 * @example
 * messageOf(new Error('no such order')); // 'no such order'
 * messageOf({ toString() { throw new Error(); } }); // ''
 */
export function messageOf(error: unknown): string {
  if (typeof error === 'string') return error;
  if (!isError(error)) return '';
  const message = readField(error, 'message');
  return typeof message === 'string' ? message : '';
}

/**
 * The HTTP status for an error: `err.status`, else `err.statusCode`, when it is a 4xx or 5xx
 * integer; 500 otherwise.
 *
 * @example
 * statusOfError(Object.assign(new Error('no such order'), { status: 404 })); // 404
 * statusOfError(new Error('boom')); // 500
 */
export function statusOfError(error: unknown): number {
  return ownStatusOf(error) ?? 500;
}

function ownStatusOf(error: unknown): number | undefined {
  if (error === null || typeof error !== 'object') return undefined;
  for (const key of ['status', 'statusCode'] as const) {
    const value = readField(error, key);
    if (typeof value === 'number' && Number.isInteger(value) && value >= 400 && value <= 599) return value;
  }
  return undefined;
}

/** Headers that frame the body: the handler writes the body, so it alone says how long it is. */
const FRAMING_HEADERS: ReadonlySet<string> = new Set(['content-length', 'transfer-encoding']);

/**
 * The headers an error carries for its answer (`err.headers`, as http-errors sets them), when the
 * error states its own 4xx or 5xx status, as Express's default handler reads them: a 401's
 * `WWW-Authenticate`, a 405's `Allow`, a 429's `Retry-After`. Values that are not strings,
 * numbers or lists of strings, and the headers that frame the body, are left out.
 *
 * @example
 * errorHeadersOf(createError(429, { headers: { 'Retry-After': '30' } })); // [['Retry-After', '30']]
 */
export function errorHeadersOf(error: unknown): Array<[string, string | number | string[]]> {
  if (ownStatusOf(error) === undefined) return [];
  const headers = readField(error, 'headers');
  if (headers === null || typeof headers !== 'object') return [];
  const kept: Array<[string, string | number | string[]]> = [];
  let names: string[];
  try {
    names = Object.keys(headers);
  } catch {
    return [];
  }
  for (const name of names) {
    if (FRAMING_HEADERS.has(name.toLowerCase())) continue;
    const value = readField(headers, name);
    if (typeof value === 'string' || typeof value === 'number') kept.push([name, value]);
    else if (Array.isArray(value) && value.every((item) => typeof item === 'string'))
      kept.push([name, [...value]]);
  }
  return kept;
}

function statusText(status: number): string {
  return STATUS_CODES[status] ?? (status >= 500 ? 'Internal Server Error' : 'Bad Request');
}

function ownFields(error: unknown): Record<string, unknown> | undefined {
  if (error === null || typeof error !== 'object') return undefined;
  const fields: Record<string, unknown> = {};
  let keys: string[];
  try {
    keys = Object.keys(error);
  } catch {
    return undefined;
  }
  for (const key of keys) {
    if (!CONTROL_FIELDS.has(key)) fields[key] = readField(error, key);
  }
  return Object.keys(fields).length === 0 ? undefined : fields;
}

/** The redaction the body goes through (the logger's policy). */
export interface BodyRedaction {
  redact(value: unknown): unknown;
  redactString(text: string): string;
}

/**
 * The JSON body for an error. In production a 5xx says only its status text, and a 4xx its
 * message unless the error sets `expose: false` (as http-errors does for 5xx); nothing else of
 * the error leaves the process. In development the message, name, code, stack and the
 * error's own fields are added, redacted like a log line.
 *
 * @example
 * buildErrorBody({ error: new Error('db down'), status: 500, requestId: 'r-1', production: true, redaction });
 * // { error: 'Internal Server Error', requestId: 'r-1' }
 */
export function buildErrorBody(input: {
  readonly error: unknown;
  readonly status: number;
  readonly requestId: string | undefined;
  readonly production: boolean;
  readonly redaction: BodyRedaction;
}): ErrorBody {
  const { error, status, production, redaction } = input;
  const requestId = input.requestId ?? null;
  const fallback = statusText(status);
  const message = redaction.redactString(messageOf(error).slice(0, MAX_MESSAGE_LENGTH)) || fallback;
  if (production) {
    const exposed = status < 500 && readField(error, 'expose') !== false;
    return { error: exposed ? message : fallback, requestId };
  }
  const body: { -readonly [K in keyof ErrorBody]: ErrorBody[K] } = { error: message, requestId };
  if (isError(error)) {
    const name = readField(error, 'name');
    if (typeof name === 'string') body.name = name;
    const stack = readField(error, 'stack');
    if (typeof stack === 'string')
      body.stack = stack.split('\n').map((line) => redaction.redactString(line.trim()));
  }
  const code = readField(error, 'code');
  if (code !== undefined && (typeof code === 'string' || typeof code === 'number')) body.code = code;
  const fields = ownFields(error);
  if (fields !== undefined) {
    const { code: _code, ...rest } = fields;
    if (Object.keys(rest).length > 0) body.details = redaction.redact(rest);
  }
  return body;
}
