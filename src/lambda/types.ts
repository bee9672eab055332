import type { LambdaOptions, LambdaSettings } from '../core.js';

/**
 * The parts of the Lambda context object Lookout reads. Structural, so the `Context` type of
 * `@types/aws-lambda` (or none at all) fits; every field is read defensively at run time.
 */
export interface LambdaContext {
  readonly awsRequestId: string;
  readonly functionName?: string;
  readonly functionVersion?: string;
  readonly invokedFunctionArn?: string;
  /** Milliseconds left before Lambda stops the invocation. */
  getRemainingTimeInMillis?(): number;
  /** Set by newer runtimes that run several invocations in one process. */
  readonly xRayTraceId?: string;
}

/**
 * Any Lambda handler: `async (event, context)` or `(event, context, callback)`. The parameters
 * are typed `never` so that a handler of any event and context type is accepted, and `wrap()`
 * returns it with its own type unchanged.
 */
export type LambdaHandler = (event: never, context: never, callback: never) => unknown;

/**
 * Options of `wrap()` and `middy()`: the `lambda` options of `init()`, for this handler only,
 * and where the event carries a correlation id.
 */
export interface WrapOptions extends LambdaOptions {
  /**
   * Where the event carries a correlation id, as a Powertools-style path (`correlationPaths`
   * has the ones for API Gateway, ALB, EventBridge, function URLs, AppSync, S3 Object Lambda and
   * VPC Lattice). Its value is the `correlation_id` key of every log line of the invocation.
   * @default none
   */
  correlationIdPath?: string;
}

/** The settings one wrapped handler runs with: the Lambda settings and its correlation id reader. */
export type HandlerSettings = LambdaSettings & {
  readonly correlationIdOf?: ((event: unknown) => string | undefined) | undefined;
};
