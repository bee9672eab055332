import { readFileSync } from 'node:fs';
import { type Env, readEnv } from './env.js';

/** Where the process runs. */
export const RUNTIME_KINDS = {
  lambda: 'lambda',
  ecs: 'ecs',
  ec2: 'ec2',
  local: 'local',
} as const;
export type RuntimeKind = (typeof RUNTIME_KINDS)[keyof typeof RUNTIME_KINDS];

/** Facts about the Lambda execution environment, all read from its reserved variables. */
export interface LambdaRuntimeInfo {
  readonly functionName: string;
  readonly functionVersion: string | undefined;
  readonly memoryMb: number | undefined;
  readonly logGroupName: string | undefined;
  readonly logStreamName: string | undefined;
  /** `on-demand`, `provisioned-concurrency` or `snap-start`. */
  readonly initializationType: string | undefined;
  /** The function's code folder (`LAMBDA_TASK_ROOT`, `/var/task`), where its packages are installed. */
  readonly taskRoot: string | undefined;
}

export interface EcsRuntimeInfo {
  /** Task metadata endpoint v4 (or v3); fetched after start-up, never on the request path. */
  readonly metadataUri: string | undefined;
  /** `FARGATE` or `EC2` when AWS_EXECUTION_ENV says so. */
  readonly launchType: 'FARGATE' | 'EC2' | undefined;
}

export interface RuntimeInfo {
  readonly kind: RuntimeKind;
  readonly region: string | undefined;
  readonly lambda: LambdaRuntimeInfo | undefined;
  readonly ecs: EcsRuntimeInfo | undefined;
}

/** Reads a small system file; injected by tests. Returns undefined when it cannot be read. */
export type ReadSystemFile = (path: string) => string | undefined;

const readSystemFile: ReadSystemFile = (path) => {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
};

// The hypervisor exposes these without a network call; the instance metadata service would
// cost a request on the start-up path, which docs/design.md decision 5 rules out.
function looksLikeEc2(read: ReadSystemFile): boolean {
  const vendor = read('/sys/devices/virtual/dmi/id/sys_vendor');
  if (vendor?.trim() === 'Amazon EC2') return true;
  const uuid = read('/sys/hypervisor/uuid');
  return uuid?.trim().toLowerCase().startsWith('ec2') ?? false;
}

function toPositiveNumber(raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const value = Number(raw);
  return Number.isFinite(value) && value > 0 ? value : undefined;
}

/**
 * Detects the runtime from the environment alone: no network I/O, so it is safe on the
 * start-up path (docs/design.md decision 5).
 *
 * @example
 * detectRuntime(process.env).kind; // 'lambda' inside AWS Lambda
 */
export function detectRuntime(env: Env, read: ReadSystemFile = readSystemFile): RuntimeInfo {
  const region = readEnv(env, 'AWS_REGION') ?? readEnv(env, 'AWS_DEFAULT_REGION');
  const executionEnv = readEnv(env, 'AWS_EXECUTION_ENV') ?? '';
  const functionName = readEnv(env, 'AWS_LAMBDA_FUNCTION_NAME');

  if (functionName !== undefined || executionEnv.startsWith('AWS_Lambda_')) {
    return {
      kind: RUNTIME_KINDS.lambda,
      region,
      ecs: undefined,
      lambda: {
        functionName: functionName ?? 'unknown',
        functionVersion: readEnv(env, 'AWS_LAMBDA_FUNCTION_VERSION'),
        memoryMb: toPositiveNumber(readEnv(env, 'AWS_LAMBDA_FUNCTION_MEMORY_SIZE')),
        logGroupName: readEnv(env, 'AWS_LAMBDA_LOG_GROUP_NAME'),
        logStreamName: readEnv(env, 'AWS_LAMBDA_LOG_STREAM_NAME'),
        initializationType: readEnv(env, 'AWS_LAMBDA_INITIALIZATION_TYPE'),
        taskRoot: readEnv(env, 'LAMBDA_TASK_ROOT'),
      },
    };
  }

  const metadataUri =
    readEnv(env, 'ECS_CONTAINER_METADATA_URI_V4') ?? readEnv(env, 'ECS_CONTAINER_METADATA_URI');
  if (metadataUri !== undefined || executionEnv.startsWith('AWS_ECS_')) {
    const launchType =
      executionEnv === 'AWS_ECS_FARGATE' ? 'FARGATE' : executionEnv === 'AWS_ECS_EC2' ? 'EC2' : undefined;
    return { kind: RUNTIME_KINDS.ecs, region, lambda: undefined, ecs: { metadataUri, launchType } };
  }

  if (looksLikeEc2(read)) return { kind: RUNTIME_KINDS.ec2, region, lambda: undefined, ecs: undefined };
  return { kind: RUNTIME_KINDS.local, region, lambda: undefined, ecs: undefined };
}
