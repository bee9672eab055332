// Reads OTLP/JSON bodies (what `http/json` exporters POST) into the same shape the protobuf
// decoder returns, by the same message tables, so a consumer never cares which encoding arrived.
import { type DecodeLimits, OtlpDecodeError } from './otlp-decode-error.js';
import { EXPORT_REQUESTS, type OtlpRequestBySignal, type OtlpSignal } from './otlp-signals.js';
import { readJson } from './read-json.js';

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Reads an OTLP/JSON export request body (`Content-Type: application/json`) into the same shape
 * `decodeOtlpProtobuf` returns. Accepts the body as text, as UTF-8 bytes, or already parsed.
 *
 * @throws {OtlpDecodeError} when the body is not JSON or a field has the wrong type; the message
 *   names the field's path, e.g. `resourceSpans[0].scopeSpans[0].spans[2].traceId`.
 * @example
 * const request = parseOtlpJson(await readBody(req), 'traces');
 * const spans = flattenSpans(request);
 */
export function parseOtlpJson<S extends OtlpSignal>(
  body: string | Uint8Array | unknown,
  signal: S,
  limits: DecodeLimits = {},
): OtlpRequestBySignal[S] {
  const request = Object.hasOwn(EXPORT_REQUESTS, signal) ? EXPORT_REQUESTS[signal] : undefined;
  if (request === undefined) throw new OtlpDecodeError(`unknown OTLP signal ${JSON.stringify(signal)}`);
  let document: unknown = body;
  if (body instanceof Uint8Array) {
    try {
      document = utf8.decode(body);
    } catch (error) {
      throw new OtlpDecodeError('the JSON body is not valid UTF-8', { cause: error });
    }
  }
  if (typeof document === 'string') {
    try {
      document = JSON.parse(document);
    } catch (error) {
      throw new OtlpDecodeError(`the body is not valid JSON: ${(error as Error).message}`, { cause: error });
    }
  }
  return readJson(request, document, limits);
}
