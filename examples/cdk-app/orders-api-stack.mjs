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
import { ServiceObservability } from 'lookout/cdk';

const here = dirname(fileURLToPath(import.meta.url));

/** The Lookout Lambda layer, as `npm run build:layer` writes it at the repository root. */
export const LOOKOUT_LAYER_ASSET = resolve(here, '../../dist/lookout-layer.zip');
/** The orders API's code (examples/orders-api), with its dependencies installed. */
export const ORDERS_API_CODE = resolve(here, '../orders-api');
/** The orders API's Lambda entry: `lambda.mjs`, export `handler` (Express through serverless-express). */
export const ORDERS_API_HANDLER = 'lambda.handler';
/** The exec wrapper the layer ships: it preloads `lookout/register` before the handler. */
export const LOOKOUT_EXEC_WRAPPER = '/opt/lookout-handler';

export const SERVICE_NAME = 'orders-api';
export const ENVIRONMENT = 'prod';

const RUNTIME = lambda.Runtime.NODEJS_24_X;

/**
 * @typedef {object} OrdersApiStackProps
 * @property {string} [layerAsset] the layer zip or directory (default LOOKOUT_LAYER_ASSET)
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
    const {
      layerAsset = LOOKOUT_LAYER_ASSET,
      codeAsset = ORDERS_API_CODE,
      alertEmails = [],
      ...stackProps
    } = props;
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

    const layer = new lambda.LayerVersion(this, 'LookoutLayer', {
      code: lambda.Code.fromAsset(layerAsset),
      compatibleRuntimes: [lambda.Runtime.NODEJS_20_X, lambda.Runtime.NODEJS_22_X, RUNTIME],
      description: 'Lookout: traces, logs and metrics for Node.js',
    });

    const fn = new lambda.Function(this, 'OrdersApiFunction', {
      runtime: RUNTIME,
      code: lambda.Code.fromAsset(codeAsset),
      handler: ORDERS_API_HANDLER,
      layers: [layer],
      tracing: lambda.Tracing.ACTIVE,
      logGroup: observability.logGroup,
      memorySize: 512,
      timeout: Duration.seconds(10),
      environment: {
        // The service name, environment and namespace the alarms watch.
        ...observability.runtimeEnvironment,
        AWS_LAMBDA_EXEC_WRAPPER: LOOKOUT_EXEC_WRAPPER,
        NODE_ENV: 'production',
      },
    });
    observability.addFunction(fn);

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
