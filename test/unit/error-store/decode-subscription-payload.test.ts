import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import {
  decodeSubscriptionPayload,
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
});
