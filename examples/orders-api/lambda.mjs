// The orders API on AWS Lambda behind API Gateway (the handler `lambda.handler` that
// examples/cdk-app deploys): the same app, served through @codegenie/serverless-express and
// wrapped by Lookout. See docs/lambda.md and examples/orders-api-lambda.
import serverlessExpress from '@codegenie/serverless-express';
import { wrap } from 'lookout/lambda';
import { app } from './app.mjs';

export const handler = wrap(serverlessExpress({ app }));
