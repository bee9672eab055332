// What the three signals' OTLP exporters share: an HTTP agent and retries that leave the process
// free to exit.
export type { ExporterTransport, TransportResponse } from './background-retrying-transport.js';
export { BackgroundRetryingTransport, giveUpExports } from './background-retrying-transport.js';
export { createExportAgent, releaseExportSockets } from './export-agent.js';
export { exportInTheBackground, retryInTheBackground } from './export-delegate-internals.js';
