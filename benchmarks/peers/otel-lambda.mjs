// The `otel-lambda` peer: what the OpenTelemetry Lambda layer sets up (and the ADOT layer, which
// builds on it): a preload (`NODE_OPTIONS=--import …`) that starts a tracer provider with X-Ray
// ids and propagation, batch export over OTLP/HTTP protobuf, and the aws-lambda instrumentation,
// which wraps the handler named by _HANDLER and force-flushes the provider before the
// invocation answers. import-in-the-middle's hooks let it wrap an ES module handler.
import { register } from 'node:module';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { AWSXRayIdGenerator } from '@opentelemetry/id-generator-aws-xray';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { AwsLambdaInstrumentation } from '@opentelemetry/instrumentation-aws-lambda';
import { AWSXRayPropagator } from '@opentelemetry/propagator-aws-xray';
import { BatchSpanProcessor, NodeTracerProvider } from '@opentelemetry/sdk-trace-node';

register('import-in-the-middle/hook.mjs', import.meta.url);

const provider = new NodeTracerProvider({
  idGenerator: new AWSXRayIdGenerator(),
  spanProcessors: [
    new BatchSpanProcessor(
      new OTLPTraceExporter({ url: `${process.env.OTEL_EXPORTER_OTLP_ENDPOINT}/v1/traces` }),
    ),
  ],
});
provider.register({ propagator: new AWSXRayPropagator() });
registerInstrumentations({ instrumentations: [new AwsLambdaInstrumentation()] });
