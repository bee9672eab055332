// An HTTP proxy in front of the local DynamoDB server that answers some BatchWriteItem calls
// the way DynamoDB does under load or on a bad item, which dynalite never does: it returns
// part of a batch as UnprocessedItems (throttling), or refuses a batch with a
// ValidationException. This mocks AWS's behaviour, nothing else: every other call, and every
// item it lets through, goes to the real local server.
import { createServer, request as httpRequest, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One put request of a BatchWriteItem call, as sent on the wire. */
export interface WireWriteRequest {
  readonly PutRequest?: { readonly Item: Record<string, Record<string, unknown>> };
}

/** What the proxy does with one BatchWriteItem call. */
export type BatchWriteAnswer =
  /** Send it on unchanged. */
  | { readonly kind: 'forward' }
  /** Send on only the requests not held back; answer with the held-back ones as UnprocessedItems. */
  | {
      readonly kind: 'holdBack';
      readonly holdBack: (requests: readonly WireWriteRequest[]) => WireWriteRequest[];
    }
  /** Answer 400 ValidationException, writing nothing. */
  | { readonly kind: 'validationError'; readonly message: string };

export interface BatchWriteCall {
  /** The requests of the call, per table. */
  readonly requests: Readonly<Record<string, readonly WireWriteRequest[]>>;
  readonly answer: BatchWriteAnswer['kind'];
}

export interface DynamoDbFaultProxy {
  readonly endpoint: string;
  /** Every BatchWriteItem call seen, in order. */
  readonly batchWrites: BatchWriteCall[];
  close(): Promise<void>;
}

function readBody(message: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    message.on('data', (chunk: Buffer) => chunks.push(chunk));
    message.on('end', () => resolve(Buffer.concat(chunks)));
    message.on('error', reject);
  });
}

function forward(
  target: URL,
  incoming: IncomingMessage,
  body: Buffer,
): Promise<{ status: number; headers: Record<string, string>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const headers = { ...incoming.headers, 'content-length': String(body.length), host: target.host };
    const outgoing = httpRequest(
      { host: target.hostname, port: target.port, method: incoming.method, path: incoming.url, headers },
      async (response) => {
        const answer = await readBody(response);
        const plain: Record<string, string> = {};
        for (const [key, value] of Object.entries(response.headers))
          if (typeof value === 'string' && key !== 'content-length' && !key.startsWith('x-amz-crc32'))
            plain[key] = value;
        resolve({ status: response.statusCode ?? 500, headers: plain, body: answer });
      },
    );
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}

/**
 * Starts the proxy on 127.0.0.1; `decide` is asked about each BatchWriteItem call (with its
 * 1-based number among them).
 *
 * @example
 * const proxy = await startDynamoDbFaultProxy(db.endpoint, (n) => (n === 1 ? { kind: 'holdBack', holdBack: (r) => r.slice(1) } : { kind: 'forward' }));
 */
export async function startDynamoDbFaultProxy(
  upstream: string,
  decide: (callNumber: number, call: BatchWriteCall['requests']) => BatchWriteAnswer,
): Promise<DynamoDbFaultProxy> {
  const target = new URL(upstream);
  const batchWrites: BatchWriteCall[] = [];
  const server: Server = createServer(async (incoming, outgoing) => {
    try {
      const body = await readBody(incoming);
      const operation = String(incoming.headers['x-amz-target'] ?? '')
        .split('.')
        .pop();
      if (operation !== 'BatchWriteItem') {
        const answer = await forward(target, incoming, body);
        outgoing.writeHead(answer.status, answer.headers).end(answer.body);
        return;
      }
      const input = JSON.parse(body.toString('utf8')) as { RequestItems: Record<string, WireWriteRequest[]> };
      const answer = decide(batchWrites.length + 1, input.RequestItems);
      batchWrites.push({ requests: input.RequestItems, answer: answer.kind });
      if (answer.kind === 'validationError') {
        const error = JSON.stringify({
          __type: 'com.amazon.coral.validate#ValidationException',
          message: answer.message,
        });
        outgoing.writeHead(400, { 'content-type': 'application/x-amz-json-1.0' }).end(error);
        return;
      }
      const held: Record<string, WireWriteRequest[]> = {};
      const sent: Record<string, WireWriteRequest[]> = {};
      for (const [table, requests] of Object.entries(input.RequestItems)) {
        const holdBack = answer.kind === 'holdBack' ? answer.holdBack(requests) : [];
        if (holdBack.length > 0) held[table] = holdBack;
        const rest = requests.filter((request) => !holdBack.includes(request));
        if (rest.length > 0) sent[table] = rest;
      }
      let unprocessed: Record<string, WireWriteRequest[]> = { ...held };
      if (Object.keys(sent).length > 0) {
        const upstreamAnswer = await forward(
          target,
          incoming,
          Buffer.from(JSON.stringify({ ...input, RequestItems: sent })),
        );
        if (upstreamAnswer.status !== 200) {
          outgoing.writeHead(upstreamAnswer.status, upstreamAnswer.headers).end(upstreamAnswer.body);
          return;
        }
        const parsed = JSON.parse(upstreamAnswer.body.toString('utf8')) as {
          UnprocessedItems?: Record<string, WireWriteRequest[]>;
        };
        for (const [table, requests] of Object.entries(parsed.UnprocessedItems ?? {}))
          unprocessed = { ...unprocessed, [table]: [...(unprocessed[table] ?? []), ...requests] };
      }
      outgoing
        .writeHead(200, { 'content-type': 'application/x-amz-json-1.0' })
        .end(JSON.stringify({ UnprocessedItems: unprocessed }));
    } catch (error) {
      outgoing.writeHead(500).end(String(error));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    batchWrites,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
