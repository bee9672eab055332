import { describe, expect, it } from 'vitest';
import { detectRuntime } from '../../../src/runtime/index.js';

const noFiles = () => undefined;

describe('runtime detection', () => {
  it('recognises Lambda from its reserved variables and reads its facts', () => {
    const runtime = detectRuntime(
      {
        AWS_LAMBDA_FUNCTION_NAME: 'checkout',
        AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
        AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '512',
        AWS_LAMBDA_LOG_GROUP_NAME: '/aws/lambda/checkout',
        AWS_LAMBDA_LOG_STREAM_NAME: '2026/11/23/[$LATEST]abc',
        AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
        LAMBDA_TASK_ROOT: '/var/task',
        AWS_REGION: 'eu-west-1',
      },
      noFiles,
    );

    expect(runtime.kind).toBe('lambda');
    expect(runtime.region).toBe('eu-west-1');
    expect(runtime.lambda).toEqual({
      functionName: 'checkout',
      functionVersion: '$LATEST',
      memoryMb: 512,
      logGroupName: '/aws/lambda/checkout',
      logStreamName: '2026/11/23/[$LATEST]abc',
      initializationType: 'on-demand',
      taskRoot: '/var/task',
    });
  });

  it('recognises ECS from the task metadata variable or the execution environment', () => {
    expect(detectRuntime({ ECS_CONTAINER_METADATA_URI_V4: 'http://169.254.170.2/v4/x' }, noFiles).kind).toBe(
      'ecs',
    );
    const fargate = detectRuntime(
      { AWS_EXECUTION_ENV: 'AWS_ECS_FARGATE', AWS_DEFAULT_REGION: 'us-east-2' },
      noFiles,
    );
    expect(fargate.kind).toBe('ecs');
    expect(fargate.ecs?.launchType).toBe('FARGATE');
    expect(fargate.region).toBe('us-east-2');
  });

  it('recognises EC2 from the hypervisor files, without a network call', () => {
    const read = (path: string) =>
      path === '/sys/devices/virtual/dmi/id/sys_vendor' ? 'Amazon EC2\n' : undefined;
    expect(detectRuntime({}, read).kind).toBe('ec2');
    expect(
      detectRuntime({}, (path) => (path === '/sys/hypervisor/uuid' ? 'ec2e1916-...' : undefined)).kind,
    ).toBe('ec2');
  });

  it('falls back to local', () => {
    expect(detectRuntime({}, noFiles)).toEqual({
      kind: 'local',
      region: undefined,
      lambda: undefined,
      ecs: undefined,
    });
  });

  it('ignores a memory size that is not a positive number', () => {
    expect(
      detectRuntime({ AWS_LAMBDA_FUNCTION_NAME: 'f', AWS_LAMBDA_FUNCTION_MEMORY_SIZE: 'lots' }, noFiles)
        .lambda?.memoryMb,
    ).toBe(undefined);
  });
});
