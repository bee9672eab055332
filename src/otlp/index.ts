// What the three signals' OTLP exporters share: retries that leave a process free to exit.
export type { ExporterTransport, TransportResponse } from './background-retrying-transport.js';
export { BackgroundRetryingTransport, giveUpRetries } from './background-retrying-transport.js';
export { exportInTheBackground, retryInTheBackground } from './export-delegate-internals.js';
