import type { Config } from '../config/index.js';

/** The SDK identity written as `telemetry.sdk.*` / `telemetry.distro.*`. */
export interface SdkIdentity {
  readonly language: string;
  readonly name: string;
  readonly version: string;
  readonly distroName: string;
  readonly distroVersion: string;
}

const CLOUD_PLATFORM = { lambda: 'aws_lambda', ecs: 'aws_ecs', ec2: 'aws_ec2' } as const;

/**
 * Resource attributes per the OpenTelemetry semantic conventions, computed from configuration
 * and the detected runtime alone: no detectors, no network (docs/design.md decision 5). User-supplied
 * `resourceAttributes` come first so that Lookout's own facts win where both are set.
 */
export function createResourceAttributes(
  config: Config,
  sdk: SdkIdentity,
): Record<string, string | number | string[]> {
  const attributes: Record<string, string | number | string[]> = {
    ...config.resourceAttributes,
    'service.name': config.serviceName,
    'deployment.environment.name': config.environment,
    'telemetry.sdk.language': sdk.language,
    'telemetry.sdk.name': sdk.name,
    'telemetry.sdk.version': sdk.version,
    'telemetry.distro.name': sdk.distroName,
    'telemetry.distro.version': sdk.distroVersion,
  };
  if (config.serviceVersion !== undefined) attributes['service.version'] = config.serviceVersion;

  const { runtime } = config;
  if (runtime.kind !== 'local') {
    attributes['cloud.provider'] = 'aws';
    attributes['cloud.platform'] = CLOUD_PLATFORM[runtime.kind];
  }
  if (runtime.region !== undefined) attributes['cloud.region'] = runtime.region;

  const lambda = runtime.lambda;
  if (lambda !== undefined) {
    attributes['faas.name'] = lambda.functionName;
    if (lambda.functionVersion !== undefined) attributes['faas.version'] = lambda.functionVersion;
    if (lambda.logStreamName !== undefined) attributes['faas.instance'] = lambda.logStreamName;
    // Semantic conventions give faas.max_memory in bytes; Lambda reports megabytes.
    if (lambda.memoryMb !== undefined) attributes['faas.max_memory'] = lambda.memoryMb * 1024 * 1024;
    if (lambda.logGroupName !== undefined) attributes['aws.log.group.names'] = [lambda.logGroupName];
  }
  if (runtime.ecs?.launchType !== undefined)
    attributes['aws.ecs.launchtype'] = runtime.ecs.launchType.toLowerCase();
  return attributes;
}
