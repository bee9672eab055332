import type { Attributes, AttributeValue } from '@opentelemetry/api';

/** The `rpc.system` value of spans made by the AWS SDK instrumentation. */
export const AWS_API_RPC_SYSTEM = 'aws-api';

/** Span attributes that become fields of a subsegment's `aws` object. */
export const AWS_SUBSEGMENT_ATTRIBUTES = {
  operation: ['rpc.method', 'aws.operation'],
  region: ['cloud.region', 'aws.region'],
  requestId: ['aws.request.id', 'aws.request_id', 'aws.requestId'],
  tableNames: ['aws.dynamodb.table_names'],
  queueUrl: ['aws.sqs.queue_url', 'messaging.url'],
} as const;

/** Every span attribute copied into `aws` (so it is not repeated in metadata). */
export const AWS_ATTRIBUTE_NAMES: ReadonlySet<string> = new Set([
  ...Object.values(AWS_SUBSEGMENT_ATTRIBUTES).flat(),
  'rpc.system',
  'rpc.service',
]);

function first(attributes: Attributes, names: readonly string[]): AttributeValue | undefined {
  for (const name of names) {
    const value = attributes[name];
    if (value !== undefined && value !== null && value !== '') return value;
  }
  return undefined;
}

function asText(value: AttributeValue | undefined): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** Whether a span records a call made with the AWS SDK. */
export function isAwsSdkSpan(attributes: Attributes): boolean {
  return attributes['rpc.system'] === AWS_API_RPC_SYSTEM;
}

/**
 * The `aws` object of a subsegment for an AWS SDK call: operation, region, request id, and the
 * DynamoDB table or SQS queue when the instrumentation recorded one; account from the resource.
 */
export function mapAwsCall(attributes: Attributes, resource: Attributes): Record<string, unknown> {
  const aws: Record<string, unknown> = {};
  const operation = asText(first(attributes, AWS_SUBSEGMENT_ATTRIBUTES.operation));
  const region = asText(first(attributes, AWS_SUBSEGMENT_ATTRIBUTES.region));
  const requestId = asText(first(attributes, AWS_SUBSEGMENT_ATTRIBUTES.requestId));
  const tables = first(attributes, AWS_SUBSEGMENT_ATTRIBUTES.tableNames);
  const queueUrl = asText(first(attributes, AWS_SUBSEGMENT_ATTRIBUTES.queueUrl));
  const account = asText(resource['cloud.account.id']);
  if (operation !== undefined) aws.operation = operation;
  if (region !== undefined) aws.region = region;
  if (requestId !== undefined) aws.request_id = requestId;
  if (Array.isArray(tables) && tables.length === 1 && typeof tables[0] === 'string')
    aws.table_name = tables[0];
  else if (Array.isArray(tables) && tables.length > 1)
    aws.table_names = tables.filter((t) => typeof t === 'string');
  if (queueUrl !== undefined) aws.queue_url = queueUrl;
  if (account !== undefined) aws.account_id = account;
  return aws;
}

/**
 * The `aws` object of a segment: the account, the ECS container when known, and the SDK that
 * wrote the document.
 */
export function mapAwsResource(resource: Attributes): Record<string, unknown> {
  const aws: Record<string, unknown> = {};
  const account = asText(resource['cloud.account.id']);
  if (account !== undefined) aws.account_id = account;
  const ecs: Record<string, string> = {};
  const container = asText(resource['container.name']) ?? asText(resource['host.name']);
  const containerId = asText(resource['container.id']);
  const containerArn = asText(resource['aws.ecs.container.arn']);
  if (resource['cloud.platform'] === 'aws_ecs') {
    if (container !== undefined) ecs.container = container;
    if (containerId !== undefined) ecs.container_id = containerId;
    if (containerArn !== undefined) ecs.container_arn = containerArn;
    if (Object.keys(ecs).length > 0) aws.ecs = ecs;
  }
  const sdk = asText(resource['telemetry.distro.name']) ?? asText(resource['telemetry.sdk.name']);
  const sdkVersion =
    asText(resource['telemetry.distro.version']) ?? asText(resource['telemetry.sdk.version']);
  if (sdk !== undefined) aws.xray = sdkVersion === undefined ? { sdk } : { sdk, sdk_version: sdkVersion };
  return aws;
}

const ECS_ORIGINS: Record<string, string> = {
  fargate: 'AWS::ECS::Fargate',
  ec2: 'AWS::ECS::EC2',
};

/** The segment `origin` X-Ray shows on the service map, from `cloud.platform`. */
export function mapOrigin(resource: Attributes): string | undefined {
  switch (resource['cloud.platform']) {
    case 'aws_ecs':
      return ECS_ORIGINS[String(resource['aws.ecs.launchtype'] ?? '').toLowerCase()] ?? 'AWS::ECS::Container';
    case 'aws_ec2':
      return 'AWS::EC2::Instance';
    case 'aws_eks':
      return 'AWS::EKS::Container';
    case 'aws_elastic_beanstalk':
      return 'AWS::ElasticBeanstalk::Environment';
    case 'aws_app_runner':
      return 'AWS::AppRunner::Service';
    default:
      return undefined;
  }
}
