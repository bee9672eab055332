import {
  BUILT_IN_INSTRUMENTATION_NAMES,
  ESM_LOADER_MODES,
  INSTRUMENTATION_NAMES,
  PROPAGATOR_NAMES,
  SAMPLER_NAMES,
  TRACES_EXPORTER_NAMES,
} from '../options.js';
import { defineSettings } from '../setting.js';

/** Tracing settings. */
export const TRACING_SETTINGS = defineSettings([
  {
    path: 'tracing.enabled',
    env: 'LOOKOUT_TRACING_ENABLED',
    standard: [{ name: 'OTEL_SDK_DISABLED', invert: true }],
    type: 'boolean',
    default: true,
    defaultText: '`true`',
    description:
      'Turns tracing on or off. `OTEL_SDK_DISABLED=true` turns it off (logs and EMF metrics keep working).',
  },
  {
    path: 'tracing.exporter',
    env: 'LOOKOUT_TRACES_EXPORTER',
    standard: ['OTEL_TRACES_EXPORTER'],
    type: 'list',
    values: TRACES_EXPORTER_NAMES,
    acceptsSingle: true,
    // Resolved later: `otlp`, or `xray` on Lambda when no collector is configured.
    default: undefined,
    defaultText: '`otlp`; on Lambda with no collector configured, `xray`',
    description: 'Where spans go. `none` exports nothing (spans are still created for log correlation).',
  },
  {
    path: 'tracing.sampler',
    env: 'LOOKOUT_TRACES_SAMPLER',
    standard: ['OTEL_TRACES_SAMPLER'],
    type: 'enum',
    values: SAMPLER_NAMES,
    default: 'parentbased_always_on',
    defaultText: '`parentbased_always_on`',
    description:
      "Which traces are recorded. The `parentbased_` samplers follow the caller's sampling decision. `xray`: X-Ray centralized sampling through the daemon's or collector's sampling proxy (parent-based too), configured by `OTEL_TRACES_SAMPLER_ARG=endpoint=http://localhost:2000,polling_interval=300` (docs/xray.md).",
  },
  {
    path: 'tracing.samplerArg',
    env: 'LOOKOUT_TRACES_SAMPLER_ARG',
    standard: ['OTEL_TRACES_SAMPLER_ARG'],
    type: 'number',
    min: 0,
    max: 1,
    default: 1,
    defaultText: '`1`',
    description: 'Ratio of new traces recorded by the `traceidratio` samplers.',
  },
  {
    path: 'tracing.propagators',
    env: 'LOOKOUT_PROPAGATORS',
    standard: ['OTEL_PROPAGATORS'],
    type: 'list',
    values: PROPAGATOR_NAMES,
    default: ['tracecontext', 'baggage', 'xray'],
    defaultText: '`tracecontext,baggage,xray`',
    description:
      'Context propagators. All are injected into outgoing requests; when several incoming headers are valid, the last in the list wins.',
  },
  {
    path: 'tracing.instrumentations',
    env: 'LOOKOUT_INSTRUMENTATIONS',
    standard: ['OTEL_NODE_ENABLED_INSTRUMENTATIONS'],
    type: 'list',
    values: INSTRUMENTATION_NAMES,
    default: [...BUILT_IN_INSTRUMENTATION_NAMES],
    defaultText: '`http,express,undici,aws-sdk`',
    acceptsText:
      'a comma-separated list of: http, express, undici, aws-sdk, the name of an upstream contrib instrumentation (pg, mysql2, redis, ioredis, mongodb, mongoose, graphql, grpc, kafkajs, amqplib, knex, dataloader, ...; see docs/instrumentations.md), or auto (or none)',
    description:
      "`http`: server and client spans for Node `http`/`https`; `undici`: client spans for `fetch()` (both from Node's diagnostics channels); `express`: the route template on the server span; `aws-sdk`: the OpenTelemetry AWS SDK instrumentation. A contrib name (`pg`, `redis`, ...) loads the app's installed `@opentelemetry/instrumentation-<name>`; `auto` is the four built-ins plus every installed contrib instrumentation whose target package is in the app's dependencies. Nothing else is loaded.",
  },
  {
    path: 'tracing.disabledInstrumentations',
    env: 'LOOKOUT_DISABLED_INSTRUMENTATIONS',
    standard: ['OTEL_NODE_DISABLED_INSTRUMENTATIONS'],
    type: 'list',
    values: INSTRUMENTATION_NAMES,
    default: [],
    defaultText: 'none',
    description: 'Instrumentations not to load, even when enabled.',
  },
  {
    path: 'tracing.expressMiddlewareSpans',
    env: 'LOOKOUT_EXPRESS_MIDDLEWARE_SPANS',
    type: 'boolean',
    default: false,
    defaultText: '`false`',
    description:
      'A span per Express middleware and route handler (the OpenTelemetry Express instrumentation), for debugging. Off, a request has one server span, named after its route template.',
  },
  {
    path: 'tracing.esmLoader',
    env: 'LOOKOUT_ESM_LOADER',
    type: 'enum',
    values: ESM_LOADER_MODES,
    default: 'auto',
    defaultText: '`auto`',
    description:
      "When an ES module app gets import-in-the-middle's loader thread (about 50 ms of start-up on Node 20). `auto`: only when an instrumented package would load as an ES module; CommonJS packages and `http`/`https` are instrumented through `require` hooks otherwise. `always`: for every ES module app (needed when another loader hook returns the source of CommonJS files). `never`: not at all (ES module builds of instrumented packages are then not instrumented).",
  },
]);
