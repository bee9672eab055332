// The part of autocannon's API that load.mjs uses; autocannon ships no declarations.
declare module 'autocannon' {
  interface Options {
    url: string;
    method?: string;
    body?: string | undefined;
    headers?: Record<string, string> | undefined;
    connections?: number;
    pipelining?: number;
    /** Seconds to run for. */
    duration?: number | undefined;
    /** Requests to send, instead of a duration. */
    amount?: number;
    /** Milliseconds between samples (and between checks for the end of the run). */
    sampleInt?: number;
  }
  interface Result {
    errors: number;
    timeouts: number;
    non2xx: number;
    '2xx': number;
    /** Seconds the run took. */
    duration: number;
  }
  interface Instance {
    on(
      event: 'response',
      listener: (client: unknown, statusCode: number, responseBytes: number, responseTime: number) => void,
    ): Instance;
  }
  function autocannon(options: Options, callback: (error: Error | null, result: Result) => void): Instance;
  export = autocannon;
}
