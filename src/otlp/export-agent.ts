import type { Agent } from 'node:http';
import type { OtlpTlsOptions } from '../config/index.js';

/** The agents of Lookout's OTLP exporters: at most one per signal, made once each. */
const agents = new Set<Agent>();

/**
 * The HTTP agent an OTLP exporter sends through: OpenTelemetry's default one (keep-alive, with
 * the CA and client certificate Lookout resolved for an https endpoint, none for http), whose
 * sockets `releaseExportSockets()` can let go of at the end. With `holdsProcess` false its
 * sockets never hold the process, a request in progress included: for an exporter whose
 * processor's flushes hold the process while they wait for it (the server span processor,
 * docs/decisions/0077-server-span-processor.md).
 *
 * @example
 * new OTLPLogExporter({ url, httpAgentOptions: (protocol) => createExportAgent(protocol, tls) });
 */
export function createExportAgent(protocol: string, tls: OtlpTlsOptions = {}, holdsProcess = true): Agent {
  const secure = protocol === 'https:';
  // node:https (and node:tls) load only for an https endpoint, when the exporter first sends.
  const http = (secure ? require('node:https') : require('node:http')) as typeof import('node:http');
  const agent = new http.Agent(secure ? { keepAlive: true, ...tls } : { keepAlive: true });
  if (!holdsProcess) neverHold(agent);
  agents.add(agent);
  return agent;
}

/**
 * Unrefs each socket when the agent opens it and again when it hands a kept-alive one to a
 * request (the agent's `reuseSocket` refs it): Node's documented points to change for both.
 */
function neverHold(agent: Agent): void {
  const createConnection = agent.createConnection.bind(agent);
  agent.createConnection = ((...args: Parameters<typeof createConnection>) => {
    const socket = createConnection(...args) as { unref?: () => void } | undefined;
    socket?.unref?.();
    return socket;
  }) as typeof agent.createConnection;
  const reuseSocket = agent.reuseSocket.bind(agent);
  agent.reuseSocket = (socket, request) => {
    reuseSocket(socket, request);
    (socket as { unref?: () => void }).unref?.();
  };
}

/**
 * Lets the sockets of the export requests still going stop holding the process: a collector
 * that accepted a request and never answers would keep a process that ended on its own alive
 * until the request's timeout (OTEL_EXPORTER_OTLP_TIMEOUT, 10 s), past the shutdown timeout its
 * last flush waited. An answer that comes while the process is still there is read as usual;
 * a socket that is used again holds the process again (the agent refs it for its next request).
 */
export function releaseExportSockets(): void {
  for (const agent of agents) {
    for (const sockets of Object.values(agent.sockets)) for (const socket of sockets ?? []) socket.unref();
  }
}
