import { requestBounded } from './request-bounded.js';

type EcsAttributes = Record<string, string | string[]>;

// Task metadata is a few kilobytes, even for a task with many containers: a body past this is
// not metadata, and reading on would grow memory without bound.
const MAX_BODY_BYTES = 1024 * 1024;

/** The endpoint's answer as JSON; its status is not read (an error answer has no task fields). */
async function getJson(url: string, timeoutMs: number): Promise<unknown> {
  const { body } = await requestBounded(url, { timeoutMs, maxBytes: MAX_BODY_BYTES });
  return JSON.parse(body.toString('utf8'));
}

function asRecord(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === 'object' ? (value as Record<string, unknown>) : {};
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/**
 * Reads the ECS task metadata endpoint (v4) into resource attributes. Called after start-up,
 * off the request path; the request itself is excluded from tracing (docs/design.md decision 7).
 */
export async function fetchEcsTaskAttributes(metadataUri: string, timeoutMs = 1000): Promise<EcsAttributes> {
  const [container, task] = await Promise.all([
    getJson(metadataUri, timeoutMs).then(asRecord),
    getJson(`${metadataUri}/task`, timeoutMs).then(asRecord),
  ]);
  const attributes: EcsAttributes = {};
  const set = (key: string, value: string | undefined) => {
    if (value !== undefined) attributes[key] = value;
  };
  set('aws.ecs.container.arn', text(container.ContainerARN));
  set('container.name', text(container.Name));
  set('aws.ecs.cluster.arn', text(task.Cluster));
  set('aws.ecs.task.arn', text(task.TaskARN));
  set('aws.ecs.task.family', text(task.Family));
  set('aws.ecs.task.revision', text(task.Revision));
  set('cloud.availability_zone', text(task.AvailabilityZone));
  const launchType = text(task.LaunchType);
  if (launchType !== undefined) attributes['aws.ecs.launchtype'] = launchType.toLowerCase();
  const logOptions = asRecord(container.LogOptions);
  const logGroup = text(logOptions['awslogs-group']);
  if (logGroup !== undefined) attributes['aws.log.group.names'] = [logGroup];
  const logStream = text(logOptions['awslogs-stream']);
  if (logStream !== undefined) attributes['aws.log.stream.names'] = [logStream];
  return attributes;
}

/** The attribute keys fetchEcsTaskAttributes may fill. */
export const ECS_TASK_ATTRIBUTE_KEYS = [
  'aws.ecs.container.arn',
  'container.name',
  'aws.ecs.cluster.arn',
  'aws.ecs.task.arn',
  'aws.ecs.task.family',
  'aws.ecs.task.revision',
  'cloud.availability_zone',
  'aws.ecs.launchtype',
  'aws.log.group.names',
  'aws.log.stream.names',
] as const;
