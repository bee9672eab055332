// The loopback peers every scenario's variants talk to: the OTLP sink, the X-Ray daemon
// sink and the inventory stub for the realistic route. `npm run bench` starts them once in
// its own process and hands their addresses to the workers in BENCH_* variables; a worker
// started by hand (no BENCH_* variables) starts its own.
import { startInventoryStub } from '../apps/inventory-stub.mjs';
import { startDatadogAgentSink } from '../sinks/datadog-agent-sink.mjs';
import { startOtlpSink } from '../sinks/otlp-sink.mjs';
import { startXRayUdpSink } from '../sinks/xray-udp-sink.mjs';

/**
 * @typedef {object} Infrastructure
 * @property {string} otlpEndpoint
 * @property {string} xrayAddress
 * @property {string} inventoryUrl
 * @property {string} datadogAgentUrl
 * @property {() => Record<string, Record<string, number>>} [stats] present when started in this process
 * @property {() => void} [reset]
 * @property {() => Promise<void>} close
 */

/** @returns {Promise<Infrastructure>} */
export async function startInfrastructure() {
  const [otlp, xray, inventory, datadog] = await Promise.all([
    startOtlpSink(),
    startXRayUdpSink(),
    startInventoryStub(),
    startDatadogAgentSink(),
  ]);
  return {
    otlpEndpoint: otlp.url,
    xrayAddress: xray.address,
    inventoryUrl: inventory.url,
    datadogAgentUrl: datadog.url,
    stats: () => ({
      otlp: otlp.stats(),
      xray: xray.stats(),
      inventory: inventory.stats(),
      datadog: datadog.stats(),
    }),
    reset: () => {
      otlp.reset();
      xray.reset();
      inventory.reset();
      datadog.reset();
    },
    close: async () => {
      await Promise.all([otlp.close(), xray.close(), inventory.close(), datadog.close()]);
    },
  };
}

/**
 * The variables that hand the infrastructure to a worker.
 * @param {Infrastructure} infrastructure
 */
export function infrastructureEnv(infrastructure) {
  return {
    BENCH_OTLP_ENDPOINT: infrastructure.otlpEndpoint,
    BENCH_XRAY_ADDRESS: infrastructure.xrayAddress,
    BENCH_INVENTORY_URL: infrastructure.inventoryUrl,
    BENCH_DATADOG_AGENT_URL: infrastructure.datadogAgentUrl,
  };
}

/**
 * The infrastructure a worker should use: the harness's, or its own when run by hand.
 * @returns {Promise<Infrastructure>}
 */
export async function useInfrastructure(env = process.env) {
  if (
    env.BENCH_OTLP_ENDPOINT &&
    env.BENCH_XRAY_ADDRESS &&
    env.BENCH_INVENTORY_URL &&
    env.BENCH_DATADOG_AGENT_URL
  ) {
    return {
      otlpEndpoint: env.BENCH_OTLP_ENDPOINT,
      xrayAddress: env.BENCH_XRAY_ADDRESS,
      inventoryUrl: env.BENCH_INVENTORY_URL,
      datadogAgentUrl: env.BENCH_DATADOG_AGENT_URL,
      close: async () => {},
    };
  }
  return startInfrastructure();
}
