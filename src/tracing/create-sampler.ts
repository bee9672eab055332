import {
  AlwaysOffSampler,
  AlwaysOnSampler,
  ParentBasedSampler,
  type Sampler,
  TraceIdRatioBasedSampler,
} from '@opentelemetry/sdk-trace-base';
import type { SamplerName } from '../config/index.js';
import { RandomTraceIdFlagSampler } from './w3c/random-trace-id-sampler.js';

/**
 * Builds the sampler OTEL_TRACES_SAMPLER names, as the OpenTelemetry SDK does, wrapped so that
 * spans know whether their trace id is random (the W3C `random-trace-id` flag, which the
 * propagator then sends): the sampling decisions are the named sampler's. `xray` takes its
 * root sampler from `createXRaySampler`.
 *
 * @example
 * createSampler('parentbased_traceidratio', 0.1);
 */
export function createSampler(name: SamplerName, ratio: number, createXRaySampler?: () => Sampler): Sampler {
  return new RandomTraceIdFlagSampler(createNamedSampler(name, ratio, createXRaySampler));
}

function createNamedSampler(name: SamplerName, ratio: number, createXRaySampler?: () => Sampler): Sampler {
  switch (name) {
    case 'xray':
      // As ADOT's `xray` sampler: a caller's decision is followed, a new trace is decided by the
      // X-Ray rules (docs/decisions/0046-xray-centralized-sampling.md).
      return new ParentBasedSampler({ root: createXRaySampler?.() ?? new AlwaysOnSampler() });
    case 'always_on':
      return new AlwaysOnSampler();
    case 'always_off':
      return new AlwaysOffSampler();
    case 'traceidratio':
      return new TraceIdRatioBasedSampler(ratio);
    case 'parentbased_always_on':
      return new ParentBasedSampler({ root: new AlwaysOnSampler() });
    case 'parentbased_always_off':
      return new ParentBasedSampler({ root: new AlwaysOffSampler() });
    case 'parentbased_traceidratio':
      return new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(ratio) });
  }
}
