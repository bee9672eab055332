// The internal-extension floor (docs/decisions/0010): the bare handler in a process that also
// registers Lookout's internal extension, unarmed, so the extension goes straight back to /next
// for every invocation: what the internal route costs before any telemetry.
import { startInternalExtension } from '../../../dist/esm/lambda/extension/internal-extension.js';

startInternalExtension(process.env.AWS_LAMBDA_RUNTIME_API, 'hold-runtime');

export { handler } from './bare.mjs';
