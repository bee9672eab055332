import type { SpanExporter } from '@opentelemetry/sdk-trace-base';
import type { Config } from '../../config/index.js';
import { parseDaemonAddress } from '../../config/parse-daemon-address.js';
import { getProcessEnv, readEnv } from '../../runtime/env.js';
import { createDaemonSender } from './create-daemon-sender.js';
import { type LambdaTraceHeader, parseLambdaTraceHeader } from './lambda-trace-header.js';
import { XRaySpanExporter } from './xray-span-exporter.js';

interface InvokeStore {
  getXRayTraceId?: () => string | undefined;
}

/**
 * The current invocation's trace header: from the runtime's invoke store when it has one (the
 * newer Node.js runtimes, where concurrent invocations share a process), else from
 * `_X_AMZN_TRACE_ID`, which the runtime sets before each invocation. The same order as
 * aws-xray-sdk-core.
 */
function readRawTraceHeader(): string | undefined {
  const store = (globalThis as { awslambda?: { InvokeStore?: InvokeStore } }).awslambda?.InvokeStore;
  const fromStore = store?.getXRayTraceId?.();
  if (typeof fromStore === 'string' && fromStore !== '') return fromStore;
  return readEnv(getProcessEnv(), '_X_AMZN_TRACE_ID');
}

// The header read at the last export and what it parsed to: every export of an invocation
// (usually one, after the response) reads the same header.
let lastRaw: string | undefined;
let lastParsed: LambdaTraceHeader | undefined;

function readLambdaTraceHeader(): LambdaTraceHeader | undefined {
  const raw = readRawTraceHeader();
  if (raw !== lastRaw) {
    lastParsed = parseLambdaTraceHeader(raw);
    lastRaw = raw;
  }
  return lastParsed;
}

/**
 * Builds the `xray` span exporter from the configuration: the daemon's UDP address, the
 * annotation attributes, and, on Lambda, the reader of each invocation's trace header.
 * Loaded only when `xray` is among `tracing.exporter` (see register-xray-span-exporter.ts); the
 * CommonJS build keeps it, and the X-Ray mapping it imports, in a file of its own, which must
 * hold no state of the core's: what it reports goes through `reportTruncated`
 * (docs/decisions/0074-xray-exporter-loaded-when-chosen.md).
 *
 * @example
 * const exporter = createXRaySpanExporter(config, () => diagnostics.warnOnce(…));
 */
export function createXRaySpanExporter(config: Config, reportTruncated: () => void): SpanExporter {
  const parsed = parseDaemonAddress(config.xray.daemonAddress);
  // The settings table validated the address; this guards a Config built by hand.
  if (!parsed.ok) throw new Error(`invalid X-Ray daemon address: ${parsed.reason}`);
  return new XRaySpanExporter({
    sender: createDaemonSender(parsed.address.udp),
    annotationAttributes: config.xray.annotations,
    readLambdaTraceHeader: config.runtime.kind === 'lambda' ? readLambdaTraceHeader : undefined,
    reportTruncated,
  });
}
