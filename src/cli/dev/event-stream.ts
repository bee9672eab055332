import type { ServerResponse } from 'node:http';

/** Longest a page waits for news: a burst of telemetry becomes one update per interval. */
const COALESCE_MS = 250;
/** A comment line now and then keeps proxies and the browser from closing an idle stream. */
const KEEPALIVE_MS = 15_000;

/**
 * Server-sent events to every open page: `update` with the current stats after changes
 * (coalesced), so pages refetch what they show.
 *
 * @example
 * const events = createEventStream(() => viewerStats());
 * store.onChange(() => events.changed());
 * events.open(response);
 */
export function createEventStream(snapshot: () => unknown): {
  open(response: ServerResponse): void;
  changed(): void;
  close(): void;
} {
  const clients = new Set<ServerResponse>();
  let timer: NodeJS.Timeout | undefined;
  const send = (response: ServerResponse) =>
    response.write(`event: update\ndata: ${JSON.stringify(snapshot())}\n\n`);
  const keepalive = setInterval(() => {
    for (const client of clients) client.write(': keepalive\n\n');
  }, KEEPALIVE_MS);
  keepalive.unref();
  return {
    open(response) {
      response.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache',
        connection: 'keep-alive',
      });
      clients.add(response);
      response.on('close', () => clients.delete(response));
      send(response);
    },
    changed() {
      if (timer !== undefined || clients.size === 0) return;
      timer = setTimeout(() => {
        timer = undefined;
        for (const client of clients) send(client);
      }, COALESCE_MS);
    },
    close() {
      clearInterval(keepalive);
      if (timer !== undefined) clearTimeout(timer);
      for (const client of clients) client.end();
      clients.clear();
    },
  };
}
