// A stand-in for the OpenAI API, said plainly: the real API is not reachable from the test
// machine (loopback only). It answers POST /v1/chat/completions on 127.0.0.1 with a chat
// completion in the API's JSON shape (id, model, choices, usage), so the real `openai` client
// parses it and the real instrumentation reads the model and the token counts from it. It
// checks nothing a real server would (keys, models, limits).
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';

export interface ChatCompletionRequest {
  readonly path: string;
  readonly authorization: string | undefined;
  readonly body: { model?: string; messages?: { role: string; content: string }[] };
}

export interface OpenAiStandIn {
  /** `http://127.0.0.1:<port>/v1`, the client's `baseURL`. */
  readonly baseUrl: string;
  readonly port: number;
  /** The chat completion requests received so far. */
  requests(): ChatCompletionRequest[];
  close(): Promise<void>;
}

/** What the stand-in answers to every chat completion: one choice, fixed token counts. */
export const STAND_IN_COMPLETION = {
  id: 'chatcmpl-lookout-stand-in',
  content: 'Order 42 shipped yesterday.',
  promptTokens: 12,
  completionTokens: 6,
} as const;

async function readJson(request: IncomingMessage): Promise<ChatCompletionRequest['body']> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString('utf8')) as ChatCompletionRequest['body'];
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
  });
  response.end(text);
}

/**
 * Starts the stand-in on a free loopback port.
 *
 * @example
 * const openai = await startOpenAiStandIn();
 * // OPENAI_BASE_URL = openai.baseUrl
 * await openai.close();
 */
export async function startOpenAiStandIn(): Promise<OpenAiStandIn> {
  const received: ChatCompletionRequest[] = [];
  const server = createServer((request, response) => {
    if (request.method !== 'POST' || request.url !== '/v1/chat/completions') {
      sendJson(response, 404, {
        error: { message: `no route ${request.method} ${request.url}`, type: 'invalid_request_error' },
      });
      return;
    }
    readJson(request).then(
      (body) => {
        received.push({ path: request.url ?? '', authorization: request.headers.authorization, body });
        sendJson(response, 200, {
          id: STAND_IN_COMPLETION.id,
          object: 'chat.completion',
          created: Math.floor(Date.now() / 1000),
          model: body.model,
          choices: [
            {
              index: 0,
              message: { role: 'assistant', content: STAND_IN_COMPLETION.content, refusal: null },
              logprobs: null,
              finish_reason: 'stop',
            },
          ],
          usage: {
            prompt_tokens: STAND_IN_COMPLETION.promptTokens,
            completion_tokens: STAND_IN_COMPLETION.completionTokens,
            total_tokens: STAND_IN_COMPLETION.promptTokens + STAND_IN_COMPLETION.completionTokens,
          },
        });
      },
      () =>
        sendJson(response, 400, {
          error: { message: 'the body is not JSON', type: 'invalid_request_error' },
        }),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port was assigned');
  return {
    baseUrl: `http://127.0.0.1:${address.port}/v1`,
    port: address.port,
    requests: () => [...received],
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
