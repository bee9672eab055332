import { context } from '@opentelemetry/api';
import { suppressTracing } from '@opentelemetry/core';

type EcsAttributes = Record<string, string | string[]>;

// Task metadata is a few kilobytes, even for a task with many containers: a body past this is
// not metadata, and reading on would grow memory without bound.
const MAX_BODY_BYTES = 1024 * 1024;

function getJson(url: string, timeoutMs: number): Promise<unknown> {
  const http = require('node:http') as typeof import('node:http');
  return new Promise((resolve, reject) => {
    const request = http.get(url, (response) => {
      const chunks: Buffer[] = [];
      let bytes = 0;
      response.on('data', (chunk: Buffer) => {
        bytes += chunk.length;
        if (bytes > MAX_BODY_BYTES) request.destroy(new Error(`answered more than ${MAX_BODY_BYTES} bytes`));
        else chunks.push(chunk);
      });
      response.on('end', () => {
        try {
          resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')));
        } catch (error) {
          reject(error);
        }
      });
      response.on('error', reject);
    });
    // A deadline on the whole exchange, not the socket's idle timeout: an endpoint that drips a
    // byte at a time is never idle, and exports wait for these attributes until it settles.
    const deadline = setTimeout(
      () => request.destroy(new Error(`timed out after ${timeoutMs} ms`)),
      timeoutMs,
    ).unref();
    request.on('close', () => clearTimeout(deadline));
    request.on('error', reject);
  });
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
  return context.with(suppressTracing(context.active()), async () => {
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
  });
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
