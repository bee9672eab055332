import type { TextMapPropagator } from '@opentelemetry/api';
import { CompositePropagator, W3CBaggagePropagator } from '@opentelemetry/core';
import type { PropagatorName } from '../config/index.js';
import { LookoutTraceContextPropagator } from './w3c/trace-context-propagator.js';
import { LookoutXRayPropagator } from './xray-propagator.js';

// `tracecontext` is Lookout's own W3C propagator, level 1 and level 2
// (docs/decisions/0030-own-w3c-trace-context-propagator.md); `xray` is the upstream one with
// the ids it reads in lower case (xray-propagator.ts).
const FACTORIES: Record<PropagatorName, () => TextMapPropagator> = {
  tracecontext: () => new LookoutTraceContextPropagator(),
  baggage: () => new W3CBaggagePropagator(),
  xray: () => new LookoutXRayPropagator(),
};

/**
 * Composes the configured propagators. Every one injects into outgoing requests, so a call
 * carries both `traceparent` and `X-Amzn-Trace-Id`. On extraction each runs in order and a
 * later valid header replaces an earlier one; invalid headers are ignored and a fresh trace
 * starts (the propagators never throw on malformed input).
 */
export function createPropagator(names: readonly PropagatorName[]): TextMapPropagator {
  return new CompositePropagator({ propagators: names.map((name) => FACTORIES[name]()) });
}
