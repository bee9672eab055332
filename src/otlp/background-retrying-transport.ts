import { releaseExportSockets } from './export-agent.js';

// Retries of an OTLP export (spans, metrics, log records) that leave the process free to exit.
// OpenTelemetry's OTLP exporters wait between retries on a timer that keeps the event loop
// alive: a process that ended on its own stayed up through every retry to an unreachable
// collector (about 8 s with the default export timeout), past the shutdown timeout Lookout
// promised (LOOKOUT_SHUTDOWN_TIMEOUT_MS). Here the wait does not hold the process; a flush or
// shutdown that waits for the export holds it, up to its own deadline (init.ts, settleAll), so a
// retry inside that deadline still delivers, and once that deadline has passed the exports
// still going are ended (giveUpExports): those waiting to retry, and those waiting for a
// collector that accepted the request and has not answered, whose sockets stop holding the
// process too (export-agent.ts).

/** An export's outcome as OpenTelemetry's OTLP transports answer it. */
export interface TransportResponse {
  readonly status: 'success' | 'failure' | 'retryable';
  readonly retryInMillis?: number;
  readonly error?: Error;
}

/** OpenTelemetry's exporter transport: sends one encoded request within a timeout. */
export interface ExporterTransport {
  send(data: Uint8Array, timeoutMillis: number): Promise<TransportResponse>;
  shutdown(): void;
}

// The retry policy of OpenTelemetry JS's OTLP exporters, kept as it is: at most 5 retries, the
// first after about 1 s, each wait 1.5 times the last, at most 5 s, ±20 % jitter, none that
// would start past the export's timeout. A collector's Retry-After wins over the backoff.
const MAX_RETRIES = 5;
const FIRST_BACKOFF_MS = 1000;
const LONGEST_BACKOFF_MS = 5000;
const BACKOFF_GROWTH = 1.5;
const JITTER = 0.2;

/** The retry waits and requests in progress, each ended early (with `true`) when exports are given up. */
const waiting = new Set<(givenUp: boolean) => void>();

/** Resolves after `ms` with false, or at once with true when `giveUpExports()` is called. */
function waitWithoutHolding(ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const done = (givenUp: boolean): void => {
      waiting.delete(done);
      clearTimeout(timer);
      resolve(givenUp);
    };
    const timer = setTimeout(done, ms, false);
    timer.unref();
    waiting.add(done);
  });
}

/** What a request still unanswered when exports are given up ends with. */
function givenUpWaiting(): TransportResponse {
  return {
    status: 'failure',
    error: new Error('The collector had not answered when the flush gave up at the shutdown timeout'),
  };
}

/**
 * The request's response, or `givenUpWaiting()` at once when `giveUpExports()` is called first.
 * One closure per export request, not per item.
 */
function sendUnlessGivenUp(request: Promise<TransportResponse>): Promise<TransportResponse> {
  return new Promise((resolve, reject) => {
    const done = (givenUp: boolean): void => {
      waiting.delete(done);
      if (givenUp) resolve(givenUpWaiting());
    };
    waiting.add(done);
    request.then(
      (response) => {
        done(false);
        resolve(response);
      },
      (error: unknown) => {
        done(false);
        reject(error);
      },
    );
  });
}

/**
 * Ends every OTLP export still going now: one waiting to retry with the failure it had, one
 * waiting for the collector's answer with a failure that says so, and the sockets of those
 * requests stop holding the process (export-agent.ts; an answer that still comes is read, if the
 * process is still there). Called once a flush at the process's end (or `shutdown()`) has given
 * up at its deadline: an export's retry waits do not hold the process, but a request does (its
 * socket) and so does the export it belongs to (a batch processor's export timeout), until it
 * ends. Exports made later send and retry as usual.
 */
export function giveUpExports(): void {
  for (const done of [...waiting]) done(true);
  releaseExportSockets();
}

/**
 * Wraps the HTTP transport of an export with retries whose waits do not keep the process alive.
 *
 * @example
 * const transport = new BackgroundRetryingTransport(httpTransport);
 */
export class BackgroundRetryingTransport implements ExporterTransport {
  readonly #inner: ExporterTransport;

  constructor(inner: ExporterTransport) {
    this.#inner = inner;
  }

  async send(data: Uint8Array, timeoutMillis: number): Promise<TransportResponse> {
    const deadline = Date.now() + timeoutMillis;
    let response = await sendUnlessGivenUp(this.#inner.send(data, timeoutMillis));
    let backoff = FIRST_BACKOFF_MS;
    for (let retry = 0; retry < MAX_RETRIES && response.status === 'retryable'; retry++) {
      const jittered = backoff * (1 + (Math.random() * 2 - 1) * JITTER);
      const waitMs = response.retryInMillis ?? Math.min(jittered, LONGEST_BACKOFF_MS);
      backoff *= BACKOFF_GROWTH;
      if (waitMs > deadline - Date.now()) break;
      if (await waitWithoutHolding(waitMs)) break;
      response = await sendUnlessGivenUp(this.#inner.send(data, Math.max(0, deadline - Date.now())));
    }
    return response;
  }

  shutdown(): void {
    this.#inner.shutdown();
  }
}
