import type { Attributes } from '@opentelemetry/api';
import type { EventSourceInfo } from './event-source/index.js';

// A function is invoked under the same ARN (or a few aliases) invocation after invocation: the
// account id read from the last one is kept, so the common case costs one string comparison.
let lastArn: string | undefined;
let lastAccount: string | undefined;

/** The account id of an invoked function's ARN (`arn:aws:lambda:<region>:<account>:function:<name>[:<alias>]`). */
function accountOf(invokedArn: string): string | undefined {
  if (invokedArn !== lastArn) {
    const account = invokedArn.split(':')[4];
    lastAccount = account !== undefined && /^\d{12}$/.test(account) ? account : undefined;
    lastArn = invokedArn;
  }
  return lastAccount;
}

/**
 * The attributes of an invocation's span: the FaaS conventions for every trigger, then what the
 * event source adds. `faas.invocation_id` is the name the OpenTelemetry Lambda conventions, the
 * ADOT collector and X-Ray tooling read (newer semantic conventions spell it `faas.invocation.id`).
 * One object, written in that order: the span's attributes are copied from it once more by the
 * SDK, so no intermediate copy is made here (docs/decisions/0012-lambda-invocation-path.md).
 *
 * @example
 * createInvocationAttributes({ requestId: 'r1', invokedArn: 'arn:aws:lambda:eu-west-1:123456789012:function:f' }, true, event);
 */
export function createInvocationAttributes(
  facts: {
    readonly requestId: string | undefined;
    readonly invokedArn: string | undefined;
  },
  coldStart: boolean,
  event: EventSourceInfo,
): Attributes {
  const attributes: Attributes = { 'faas.trigger': event.trigger, 'faas.coldstart': coldStart };
  if (facts.requestId !== undefined) attributes['faas.invocation_id'] = facts.requestId;
  if (facts.invokedArn !== undefined) {
    attributes['aws.lambda.invoked_arn'] = facts.invokedArn;
    const account = accountOf(facts.invokedArn);
    if (account !== undefined) attributes['cloud.account.id'] = account;
  }
  // One call, not a store per key: the event source's keys differ from one another, so a loop's
  // store is megamorphic, which costs most while V8 still interprets the path (the first
  // thousands of invocations of an environment). Own enumerable keys, in order, as the loop
  // copied them (the describers build plain objects).
  return Object.assign(attributes, event.attributes);
}
