import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../../../src/config/index.js';
import { createResourceAttributes } from '../../../src/resource/create-resource-attributes.js';
import { detectRuntime } from '../../../src/runtime/index.js';

const SDK = {
  language: 'nodejs',
  name: 'opentelemetry',
  version: '2.12.0',
  distroName: 'lookout',
  distroVersion: '0.1.0',
};

function attributesFor(env: Record<string, string>) {
  const { config } = resolveConfig({
    env,
    runtime: detectRuntime(env, () => undefined),
    appPackage: { name: 'app', version: '1.0.0' },
  });
  return createResourceAttributes(config, SDK);
}

describe('resource attributes', () => {
  it('describe a Lambda function per the semantic conventions', () => {
    const attributes = attributesFor({
      AWS_LAMBDA_FUNCTION_NAME: 'checkout',
      AWS_LAMBDA_FUNCTION_VERSION: '12',
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '256',
      AWS_LAMBDA_LOG_GROUP_NAME: '/aws/lambda/checkout',
      AWS_LAMBDA_LOG_STREAM_NAME: 'stream-1',
      AWS_REGION: 'eu-central-1',
    });

    expect(attributes).toMatchObject({
      'service.name': 'checkout',
      'service.version': '12',
      'deployment.environment.name': 'production',
      'cloud.provider': 'aws',
      'cloud.platform': 'aws_lambda',
      'cloud.region': 'eu-central-1',
      'faas.name': 'checkout',
      'faas.version': '12',
      'faas.instance': 'stream-1',
      'faas.max_memory': 256 * 1024 * 1024,
      'aws.log.group.names': ['/aws/lambda/checkout'],
      'telemetry.sdk.language': 'nodejs',
      'telemetry.sdk.name': 'opentelemetry',
      'telemetry.distro.name': 'lookout',
    });
  });

  it('say nothing about a cloud when running locally', () => {
    const attributes = attributesFor({});

    expect(attributes['cloud.provider']).toBeUndefined();
    expect(attributes['cloud.platform']).toBeUndefined();
    expect(attributes['service.name']).toBe('app');
  });

  it("keep user attributes but let Lookout's own facts win", () => {
    const attributes = attributesFor({
      OTEL_RESOURCE_ATTRIBUTES: 'team=payments,service.name=ignored',
      OTEL_SERVICE_NAME: 'svc',
    });

    expect(attributes.team).toBe('payments');
    expect(attributes['service.name']).toBe('svc');
  });

  it('mark ECS services with their platform and launch type', () => {
    const attributes = attributesFor({ AWS_EXECUTION_ENV: 'AWS_ECS_FARGATE' });

    expect(attributes['cloud.platform']).toBe('aws_ecs');
    expect(attributes['aws.ecs.launchtype']).toBe('fargate');
  });
});
