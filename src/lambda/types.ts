import type { LambdaOptions } from '../core.js';

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

/** Options of `wrap()` and `middy()`: the `lambda` options of `init()`, for this handler only. */
export type WrapOptions = LambdaOptions;
