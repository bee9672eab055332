// The Lookout layer's extension preload: the exec wrapper (lookout-handler) adds it with
// `--import` so it runs, and its registration is awaited, before the runtime starts. Lambda
// accepts an extension's registration only before the runtime asks for its first invocation;
// awaiting it here makes that order certain for CommonJS and ES module functions alike
// (docs/decisions/0010-lambda-delivery-after-response.md). The module is standalone (no core):
// the function's own copy of Lookout finds the same extension through a global symbol.
import { startInternalExtension } from '../dist/esm/lambda/extension/internal-extension.js';

await startInternalExtension(process.env.AWS_LAMBDA_RUNTIME_API)?.registration;
