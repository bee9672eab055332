// examples/orders-api on AWS Lambda behind API Gateway: the same Express app, served through
// @codegenie/serverless-express and wrapped by Lookout (one trace per request, the invocation's
// keys on every log line, invocation metrics flushed before each response).
//
// Deploy with the Lookout layer (AWS_LAMBDA_EXEC_WRAPPER=/opt/lookout-handler) so Express is
// instrumented before the app loads, or with NODE_OPTIONS="--import lookout/register" when
// Lookout is installed in the function's node_modules. See docs/lambda.md.
import serverlessExpress from '@codegenie/serverless-express';
import { wrap } from 'lookout/lambda';
import { app } from '../orders-api/app.mjs';

export const handler = wrap(serverlessExpress({ app }));
