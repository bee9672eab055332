import type { Attributes, AttributeValue, Span, SpanStatus } from '@opentelemetry/api';
import { describe, expect, it } from 'vitest';
import { clientAttributes, endClientSpanWithError } from '../../../src/tracing/http/client-span-outcome.js';

/** The parts of a span endClientSpanWithError() writes, recorded. */
function recordingSpan(): { span: Span; attributes: Attributes; status: () => SpanStatus | undefined } {
  const attributes: Attributes = {};
  let status: SpanStatus | undefined;
  const span = {
    setAttribute(key: string, value: AttributeValue) {
      attributes[key] = value;
      return span;
    },
    setStatus(value: SpanStatus) {
      status = value;
      return span;
    },
    recordException() {},
    end() {},
  } as unknown as Span;
  return { span, attributes, status: () => status };
}

describe('endClientSpanWithError', () => {
  it.each([
    ['a Node error, by its code', Object.assign(new Error('reset'), { code: 'ECONNRESET' }), 'ECONNRESET'],
    ['an error without a code, by its name', new TypeError('fetch failed'), 'TypeError'],
    [
      "an abort's DOMException, by its name and not its numeric code",
      new DOMException('aborted', 'AbortError'),
      'AbortError',
    ],
    ['a timeout DOMException', new DOMException('timed out', 'TimeoutError'), 'TimeoutError'],
  ])('gives %s as error.type', (_name, error, type) => {
    const recorded = recordingSpan();

    endClientSpanWithError(recorded.span, error);

    expect(recorded.attributes['error.type']).toBe(type);
    expect(recorded.status()?.code).toBe(2);
  });

  it.each([
    ['a number', 42],
    ['a string', 'gave up'],
    ['an object with no prototype', Object.create(null)],
    ['an object whose name and code are not strings', { name: 5, code: {} }],
    [
      'an object whose getters throw',
      {
        get code(): never {
          throw new Error('unreadable');
        },
      },
    ],
  ])('ends the span as failed, without throwing, when the request is destroyed with %s', (_name, value) => {
    // Prepare
    const recorded = recordingSpan();
    let ended = false;
    recorded.span.end = () => {
      ended = true;
    };

    // Act
    endClientSpanWithError(recorded.span, value);

    // Assess
    expect(recorded.attributes['error.type']).toBe('_OTHER');
    expect(recorded.status()?.code).toBe(2);
    expect(ended).toBe(true);
  });
});

describe('clientAttributes', () => {
  it('records the port of the Host header as a number', () => {
    const { attributes } = clientAttributes('GET', 'a.example', '8080', 'http://a.example:8080/');

    expect(attributes['server.port']).toBe(8080);
  });

  it('leaves out a port that is no number, as an app-written Host header can hold', () => {
    const { attributes } = clientAttributes('GET', 'a.example', 'abc', 'http://a.example:abc/');

    expect(attributes).not.toHaveProperty('server.port');
    expect(attributes['server.address']).toBe('a.example');
  });
});
