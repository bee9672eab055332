import type { Attributes } from '@opentelemetry/api';
import type { EventSourceInfo } from './event-source/index.js';

/**
 * The attributes of an invocation's span: the FaaS conventions for every trigger, then what the
 * event source adds. `faas.invocation_id` is the name the OpenTelemetry Lambda conventions, the
 * ADOT collector and X-Ray tooling read (newer semantic conventions spell it `faas.invocation.id`).
 *
 * @example
 * createInvocationAttributes({ requestId: 'r1', invokedArn: 'arn:aws:lambda:eu-west-1:123456789012:function:f', coldStart: true }, event);
 */
export function createInvocationAttributes(
  facts: {
    readonly requestId: string | undefined;
    readonly invokedArn: string | undefined;
    readonly coldStart: boolean;
  },
  event: EventSourceInfo,
): Attributes {
  const attributes: Attributes = { 'faas.trigger': event.trigger, 'faas.coldstart': facts.coldStart };
  if (facts.requestId !== undefined) attributes['faas.invocation_id'] = facts.requestId;
  if (facts.invokedArn !== undefined) {
    attributes['aws.lambda.invoked_arn'] = facts.invokedArn;
    // arn:aws:lambda:<region>:<account>:function:<name>[:<alias>]
    const account = facts.invokedArn.split(':')[4];
    if (account !== undefined && /^\d{12}$/.test(account)) attributes['cloud.account.id'] = account;
  }
  return { ...attributes, ...event.attributes };
}
