import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import {
  decodeSubscriptionPayload,
  MAX_DECODED_BYTES,
  UndecodablePayloadError,
} from '../../../src/lambda/error-store/decode-subscription-payload.js';

const encode = (document: unknown) => ({
  awslogs: { data: gzipSync(JSON.stringify(document)).toString('base64') },
});

describe('decoding a subscription delivery', () => {
  it('unpacks base64 of gzip of the JSON, and sets aside log events without id, timestamp and message', () => {
    const event = encode({
      messageType: 'DATA_MESSAGE',
      owner: '123456789012',
      logGroup: '/lookout/orders-prod',
      logStream: 'stream',
      subscriptionFilters: ['f'],
      logEvents: [{ id: '1', timestamp: 1, message: 'a' }, { id: 2, message: 'b' }, null],
    });

    const { payload, malformed } = decodeSubscriptionPayload(event);

    expect(payload.logGroup).toBe('/lookout/orders-prod');
    expect(payload.logEvents).toEqual([{ id: '1', timestamp: 1, message: 'a' }]);
    expect(malformed).toBe(2);
  });

  it.each([
    ['no awslogs', {}],
    ['data that is not gzip', { awslogs: { data: Buffer.from('plain').toString('base64') } }],
    ['JSON that is not a delivery', encode({ hello: 'world' })],
  ])('throws UndecodablePayloadError for %s', (_what, event) => {
    expect(() => decodeSubscriptionPayload(event)).toThrow(UndecodablePayloadError);
  });

  it('refuses a payload that unpacks past its limit, as undecodable, without unpacking it whole', () => {
    // A gzip bomb: one byte more than the limit of spaces, which JSON.parse would skip.
    const bomb = gzipSync(Buffer.alloc(MAX_DECODED_BYTES + 1, 0x20));
    const event = { awslogs: { data: bomb.toString('base64') } };

    expect(bomb.length).toBeLessThan(256 * 1024);
    expect(() => decodeSubscriptionPayload(event)).toThrow(
      new UndecodablePayloadError('awslogs.data unpacks to more than 64 MiB'),
    );
  });
});
