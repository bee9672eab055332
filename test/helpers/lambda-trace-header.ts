// A Lambda invocation's X-Ray trace header, as the Lambda service sets it with active tracing
// (AWS is not here: the tests make it up), with the parts the assertions compare against.
import { randomBytes } from 'node:crypto';

export interface LambdaTraceHeader {
  /** `1-<8 hex epoch>-<24 hex>` */
  readonly root: string;
  /** The facade segment's id. */
  readonly parent: string;
  /** The root as an OpenTelemetry trace id (32 hex). */
  readonly traceId: string;
  /** `Root=…;Parent=…;Sampled=…` */
  readonly header: string;
}

/**
 * A new trace header, sampled unless told otherwise.
 *
 * @example
 * const { header, traceId } = newLambdaTraceHeader();
 * await api.invoke({ event: {}, traceHeader: header });
 */
export function newLambdaTraceHeader(sampled: 0 | 1 = 1): LambdaTraceHeader {
  const root = `1-${Math.floor(Date.now() / 1000).toString(16)}-${randomBytes(12).toString('hex')}`;
  const parent = randomBytes(8).toString('hex');
  return {
    root,
    parent,
    traceId: root.slice(2).replace('-', ''),
    header: `Root=${root};Parent=${parent};Sampled=${sampled}`,
  };
}
