// examples/orders-api on AWS Lambda behind API Gateway: the same Express app, served through
// @codegenie/serverless-express and wrapped by Lookout (one trace per request, the invocation's
// keys on every log line, and the invocation's metrics delivered right after each response on
// Lambda: docs/lambda.md, "Answer first, deliver after").
//
// Deploy with the Lookout layer (AWS_LAMBDA_EXEC_WRAPPER=/opt/lookout-handler), or with
// NODE_OPTIONS="--import lookout/register" when Lookout is installed in the function's
// node_modules, so the instrumentations that patch modules apply to the app's imports. See
// docs/lambda.md.
import serverlessExpress from '@codegenie/serverless-express';
import { wrap } from 'lookout/lambda';
import { app } from '../orders-api/app.mjs';

export const handler = wrap(serverlessExpress({ app }));
