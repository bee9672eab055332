// The orders API on AWS Lambda behind API Gateway, with the Lookout layer, X-Ray active
// tracing, API Gateway access logs, and ServiceObservability for alarms (the function's and the
// API's), dashboard and saved queries. The stack is environment-agnostic (no account or region, no lookups), so it
// synthesizes offline.
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Duration, Stack, Validations } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { LookoutLayer, ServiceObservability } from 'lookout/cdk';

const here = dirname(fileURLToPath(import.meta.url));

/** The orders API's code (examples/orders-api), with its dependencies installed. */
export const ORDERS_API_CODE = resolve(here, '../orders-api');
/** The orders API's Lambda entry: `lambda.mjs`, export `handler` (Express through serverless-express). */
export const ORDERS_API_HANDLER = 'lambda.handler';

export const SERVICE_NAME = 'orders-api';
export const ENVIRONMENT = 'prod';

const RUNTIME = lambda.Runtime.NODEJS_24_X;

/**
 * @typedef {object} OrdersApiStackProps
 * @property {string} [layerAsset] a layer zip or directory built before (default: LookoutLayer builds it from the installed lookout)
 * @property {string} [codeAsset] the handler code directory (default ORDERS_API_CODE)
 * @property {string[]} [alertEmails] addresses for critical alarms
 */

export class OrdersApiStack extends Stack {
  /**
   * @param {import('constructs').Construct} scope
   * @param {string} id
   * @param {OrdersApiStackProps & import('aws-cdk-lib').StackProps} [props]
   */
  constructor(scope, id, props = {}) {
    const { layerAsset, codeAsset = ORDERS_API_CODE, alertEmails = [], ...stackProps } = props;
    super(scope, id, stackProps);

    // One rotating key for the stack's log groups (`lookout check` rule Lookout.1): the
    // function's, through ServiceObservability (which lets CloudWatch Logs in this region use
    // the key for this account's log groups), and the API's access logs.
    const logKey = new kms.Key(this, 'LogKey', {
      description: 'Encrypts the orders API log groups',
      enableKeyRotation: true,
    });

    const observability = new ServiceObservability(this, 'Observability', {
      serviceName: SERVICE_NAME,
      environment: ENVIRONMENT,
      platform: 'lambda',
      logGroup: { encryptionKey: logKey },
      alerts: { criticalEmails: alertEmails },
    });

    // The Lookout layer, built at synth from the lookout package this app installed.
    const layer = new LookoutLayer(
      this,
      'LookoutLayer',
      layerAsset === undefined ? {} : { asset: layerAsset },
    );

    const fn = new lambda.Function(this, 'OrdersApiFunction', {
      runtime: RUNTIME,
      code: lambda.Code.fromAsset(codeAsset),
      handler: ORDERS_API_HANDLER,
      logGroup: observability.logGroup,
      memorySize: 512,
      timeout: Duration.seconds(10),
      environment: { NODE_ENV: 'production' },
    });
    // One call: the function's alarms and dashboard row, and Lookout on it: the layer, its exec
    // wrapper, the service name, environment and namespace the alarms watch, X-Ray active tracing.
    observability.addFunction(fn, { layer });

    const accessLogs = new logs.LogGroup(this, 'ApiAccessLogs', {
      retention: logs.RetentionDays.ONE_YEAR,
      encryptionKey: logKey,
    });
    const api = new apigateway.LambdaRestApi(this, 'OrdersApi', {
      handler: fn,
      cloudWatchRole: true,
      deployOptions: {
        stageName: ENVIRONMENT,
        tracingEnabled: true,
        accessLogDestination: new apigateway.LogGroupLogDestination(accessLogs),
        accessLogFormat: apigateway.AccessLogFormat.jsonWithStandardFields({
          caller: true,
          httpMethod: true,
          ip: true,
          protocol: true,
          requestTime: true,
          resourcePath: true,
          responseLength: true,
          status: true,
          user: true,
        }),
        loggingLevel: apigateway.MethodLoggingLevel.ERROR,
        metricsEnabled: true,
      },
    });

    // 5XX and 4XX rates and p99 latency of the API's stage, next to the function's alarms.
    observability.addApi(api);

    acknowledgeExampleFindings({ fn, api });
    this.observability = observability;
    this.function = fn;
    this.api = api;
  }
}

/**
 * Findings of the cdk-nag AwsSolutions pack that this example accepts, each with its reason.
 * ServiceObservability itself needs none.
 *
 * @param {{ fn: lambda.Function, api: apigateway.LambdaRestApi }} resources
 */
function acknowledgeExampleFindings({ fn, api }) {
  const acknowledge = (scope, id, reason) => Validations.of(scope).acknowledge({ id, reason });
  acknowledge(
    fn,
    'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
    'AWSLambdaBasicExecutionRole only lets the function write its own logs; an example keeps the managed policy.',
  );
  acknowledge(
    fn,
    'AwsSolutions-IAM5[Resource::*]',
    'Active tracing needs xray:PutTraceSegments and xray:PutTelemetryRecords, which take no resource ARN.',
  );
  acknowledge(
    api,
    'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs]',
    "API Gateway's account-level CloudWatch role uses AmazonAPIGatewayPushToCloudWatchLogs; access logging requires it.",
  );
  acknowledge(
    api,
    'AwsSolutions-APIG2',
    'A proxy integration: the Express app validates request bodies itself.',
  );
  acknowledge(
    api,
    'AwsSolutions-APIG3',
    'A WAF web ACL is account and traffic specific; attach one to the stage in production.',
  );
  acknowledge(
    api,
    'AwsSolutions-APIG4',
    'The orders API authenticates in the app (POST /api/login); the gateway passes requests through.',
  );
  acknowledge(api, 'AwsSolutions-COG4', 'No Cognito user pool: authentication is the app’s own, see APIG4.');
}
