import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';

interface RequestStart {
  readonly request: IncomingMessage;
  readonly response: ServerResponse;
  readonly server: Server;
}

const REQUEST_START = 'http.server.request.start';

/**
 * Makes the process's HTTP servers stop taking new work, as a graceful shutdown would: each
 * server that receives a request from now on stops listening (`server.close()`, which also
 * closes its idle connections), and every response from now on closes its connection instead
 * of keeping it alive. Requests already received are answered as usual. Servers are found
 * through Node's `http.server.request.start` channel, so nothing is patched. Returns a
 * function that stops watching.
 *
 * For when Lookout owns the exit (SIGTERM with no handler of the app's): without it, clients
 * on kept-alive connections keep sending requests that the re-raised signal then cuts off.
 */
export function stopAcceptingRequests(): () => void {
  const closed = new WeakSet<Server>();
  const onRequest = (message: unknown): void => {
    const { response, server } = message as RequestStart;
    try {
      response.shouldKeepAlive = false;
      if (server !== undefined && !closed.has(server)) {
        closed.add(server);
        if (server.listening) server.close();
      }
    } catch {
      // A server that cannot be closed keeps serving until the process ends (DESIGN decision 4).
    }
  };
  subscribe(REQUEST_START, onRequest);
  return () => unsubscribe(REQUEST_START, onRequest);
}
