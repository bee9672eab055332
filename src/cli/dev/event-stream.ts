import type { ServerResponse } from 'node:http';

/** Longest a page waits for news: a burst of telemetry becomes one update per interval. */
const COALESCE_MS = 250;
/** A comment line now and then keeps proxies and the browser from closing an idle stream. */
const KEEPALIVE_MS = 15_000;
/** Most bytes of updates queued for one stream whose reader does not read (an update is ~1 KB). */
export const MAX_BACKLOG_BYTES = 1024 * 1024;

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
  // A reader that stopped reading (a stuck client, a process that opened the stream and left it)
  // would have every update kept in this process's memory for as long as it stays connected:
  // past the bound it is cut off. A page's EventSource reconnects by itself.
  const write = (response: ServerResponse, text: string) => {
    if (response.writableLength > MAX_BACKLOG_BYTES) {
      clients.delete(response);
      response.destroy();
      return;
    }
    response.write(text);
  };
  const update = () => `event: update\ndata: ${JSON.stringify(snapshot())}\n\n`;
  const keepalive = setInterval(() => {
    for (const client of clients) write(client, ': keepalive\n\n');
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
      write(response, update());
    },
    changed() {
      if (timer !== undefined || clients.size === 0) return;
      timer = setTimeout(() => {
        timer = undefined;
        // One snapshot, serialised once, for every page: the stats were built and serialised
        // again for each open page.
        const text = update();
        for (const client of clients) write(client, text);
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
