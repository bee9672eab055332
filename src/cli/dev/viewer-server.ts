// The viewer's HTTP server: the page, its JSON API and the live event stream, on 127.0.0.1.
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createEventStream } from './event-stream.js';
import { refuseForeignRequest } from './loopback-request.js';
import { createStaticFiles } from './serve-static.js';
import type { TelemetryStore } from './telemetry-store.js';
import { toJsonText } from './to-json-text.js';
import { answerApi } from './viewer-api.js';

export interface ViewerServerOptions {
  readonly store: TelemetryStore;
  readonly port: number;
  /** Folder holding the page's files. */
  readonly uiDir: string;
  /** What /api/stats adds to the store's counts (endpoints, the app's state). */
  readonly describe: () => Record<string, unknown>;
  /** Stops the app started after `--` (POST /api/app/stop); undefined when there is none. */
  readonly stopApp: (() => Promise<unknown>) | undefined;
}

export interface ViewerServer {
  readonly server: Server;
  readonly port: number;
  close(): Promise<void>;
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  const text = Buffer.from(toJsonText(body));
  response.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': text.length,
    'cache-control': 'no-store',
  });
  response.end(text);
}

/**
 * Starts the viewer's web server on 127.0.0.1 (`port` 0 picks a free one).
 *
 * @example
 * const viewer = await startViewerServer({ store, port: 4319, uiDir, describe, stopApp });
 */
export async function startViewerServer(options: ViewerServerOptions): Promise<ViewerServer> {
  const { store } = options;
  const stats = () => ({ ...store.stats(), ...options.describe() });
  const events = createEventStream(stats);
  const unsubscribe = store.onChange(() => events.changed());
  const serveStatic = createStaticFiles(options.uiDir);
  let port = options.port;

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    // Only requests addressed to this server by a loopback name, from no page or a loopback
    // page, are answered: a web page elsewhere cannot read the telemetry (DNS rebinding).
    const refusal = refuseForeignRequest(request, port);
    if (refusal !== undefined) {
      request.resume();
      sendJson(response, 403, { error: refusal });
      return;
    }
    const url = new URL(request.url ?? '/', 'http://viewer.invalid');
    if (request.method === 'POST' && url.pathname === '/api/app/stop') {
      // A custom header cannot be sent cross-site without a CORS preflight, which this server refuses.
      if (request.headers['x-lookout-dev'] !== '1' || options.stopApp === undefined) {
        sendJson(response, options.stopApp === undefined ? 404 : 403, { error: 'cannot stop the app' });
        return;
      }
      sendJson(response, 200, { exit: await options.stopApp() });
      return;
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      sendJson(response, 405, { error: `method ${request.method} not allowed` });
      return;
    }
    if (url.pathname === '/api/events') {
      events.open(response);
      return;
    }
    const result = url.pathname.startsWith('/api/')
      ? answerApi(store, url.pathname, url.searchParams, stats)
      : undefined;
    if (result !== undefined) {
      sendJson(response, result.status, result.body);
      return;
    }
    if (!serveStatic(url.pathname, response))
      sendJson(response, 404, { error: `nothing at ${url.pathname}` });
  };

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      if (!response.headersSent) sendJson(response, 500, { error: String(error) });
      else response.destroy();
    });
  });
  server.listen(options.port, '127.0.0.1');
  await Promise.race([
    once(server, 'listening'),
    once(server, 'error').then(([error]) => Promise.reject(error)),
  ]);
  port = (server.address() as AddressInfo).port;
  return {
    server,
    port,
    async close() {
      unsubscribe();
      events.close();
      const closed = once(server, 'close');
      server.close();
      server.closeAllConnections();
      await closed;
    },
  };
}
