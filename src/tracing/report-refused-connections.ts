import type { Agent as HttpAgent } from 'node:http';
import type { Socket } from 'node:net';
import type { OtlpTlsOptions } from '../config/index.js';
import { diagnostics } from '../diag/index.js';
import { ERROR_CODES } from '../errors/index.js';
import { getLoggingRuntime } from '../logging/index.js';
import { createExportAgent } from '../otlp/index.js';

/** What the OTLP exporters accept as `httpAgentOptions`: an agent per protocol. */
export type HttpAgentFactory = (protocol: string) => HttpAgent;

/** The telemetry an exporter sends, for the notice. */
export type ExportedSignal = 'spans' | 'metrics' | 'log records';

/**
 * An endpoint as diagnostics name it: its password (userinfo) and sensitive query parameters
 * censored by the logging policy, since stderr lands in the same log group as the lines the
 * policy keeps them out of.
 *
 * @example
 * describeEndpoint('http://otel:s3cret@collector:4318/v1/traces'); // 'http://otel:[REDACTED]@collector:4318/v1/traces'
 */
export function describeEndpoint(url: string): string {
  return getLoggingRuntime().policy.redactUrl(url);
}

/**
 * The one-line notice for an endpoint where nothing listens: which endpoint, what happens to
 * the data, and the two ways to have something listen there (docs/decisions/0044-refused-endpoint-notice.md).
 */
export function describeRefusedEndpoint(url: string, signal: ExportedSignal): string {
  return (
    `Nothing is listening at ${url} (connection refused): ${signal} are retried, then dropped; the app is unaffected. ` +
    'Start a collector there (docs/collector.md#local-development), ' +
    'run the app under the local viewer: npx lookout dev -- node --import lookout/register app.mjs, ' +
    'or set OTEL_EXPORTER_OTLP_ENDPOINT to a collector that runs.'
  );
}

/**
 * An agent factory for an OTLP exporter that says at once, and once, when the endpoint refuses
 * connections. The exporter itself retries a refused export with backoff and reports the
 * failure only when its retries run out, ten or more seconds later; the refusal reaches the
 * connection's socket the moment it happens (immediately, for a local port nothing listens on).
 * The agent is the exporter's default one (keep-alive, with `tls` for an https endpoint),
 * loaded when the exporter first sends; with `holdsProcess` false its sockets never hold the
 * process (createExportAgent).
 *
 * @example
 * new OTLPTraceExporter({ url, httpAgentOptions: createRefusalReportingAgentFactory(url, 'spans') });
 */
export function createRefusalReportingAgentFactory(
  url: string,
  signal: ExportedSignal,
  tls: OtlpTlsOptions = {},
  holdsProcess = true,
): HttpAgentFactory {
  return (protocol) => {
    // This factory takes the place of the exporter's own, which is where OpenTelemetry puts the
    // OTEL_EXPORTER_OTLP_CERTIFICATE and client certificate files: Lookout hands them on.
    const agent = createExportAgent(protocol, tls, holdsProcess);
    const createConnection = agent.createConnection.bind(agent);
    agent.createConnection = ((...args: Parameters<typeof createConnection>) => {
      const socket = createConnection(...args) as Socket | undefined;
      socket?.on('error', (error: NodeJS.ErrnoException) => {
        if (error.code !== 'ECONNREFUSED') return;
        diagnostics.warnOnce(
          `endpoint-refused:${url}`,
          ERROR_CODES.ENDPOINT_REFUSED,
          describeRefusedEndpoint(describeEndpoint(url), signal),
        );
      });
      return socket;
    }) as typeof agent.createConnection;
    return agent;
  };
}
