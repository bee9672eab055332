// API Gateway: execution logging (APIGateway.1), X-Ray on REST stages (APIGateway.3), route
// authorization (APIGateway.8) and access logging on V2 stages (APIGateway.9).
import {
  type CfnResource,
  type CheckedTemplate,
  propertiesOf,
  resourcesOfType,
} from '../checked-template.js';
import { controlUrl, STANDARDS } from '../controls.js';
import type { RuleDefinition, RuleHit } from '../types.js';
import {
  asList,
  isIntrinsic,
  isObject,
  type JsonObject,
  refTargetOf,
  resolveBoolean,
  resolveString,
  UNKNOWN,
} from '../values.js';

const LOGGING_LEVELS_ON = ['ERROR', 'INFO'];

/** A REST API stage: an AWS::ApiGateway::Stage, or the stage a Deployment creates with StageName. */
interface RestStage {
  readonly logicalId: string;
  readonly methodSettings: readonly unknown[];
  /** StageDescription.LoggingLevel of a Deployment: applies to every method. */
  readonly defaultLoggingLevel: unknown;
  readonly tracingEnabled: unknown;
}

function restStages(template: CheckedTemplate): RestStage[] {
  const stages: RestStage[] = [];
  for (const [logicalId, resource] of resourcesOfType(template, 'AWS::ApiGateway::Stage')) {
    const properties = propertiesOf(resource);
    stages.push({
      logicalId,
      methodSettings: asList(properties.MethodSettings),
      defaultLoggingLevel: undefined,
      tracingEnabled: properties.TracingEnabled,
    });
  }
  for (const [logicalId, resource] of resourcesOfType(template, 'AWS::ApiGateway::Deployment')) {
    const properties = propertiesOf(resource);
    if (properties.StageName === undefined) continue;
    const description = isObject(properties.StageDescription) ? properties.StageDescription : {};
    stages.push({
      logicalId,
      methodSettings: asList(description.MethodSettings),
      defaultLoggingLevel: description.LoggingLevel,
      tracingEnabled: description.TracingEnabled,
    });
  }
  return stages;
}

const appliesToAllMethods = (setting: JsonObject): boolean =>
  (setting.HttpMethod === '*' || setting.HttpMethod === undefined) &&
  (setting.ResourcePath === '/*' || setting.ResourcePath === undefined);

/** The V2 API a V2 stage or route belongs to, when the template defines it. */
function v2ApiOf(template: CheckedTemplate, properties: JsonObject): CfnResource | undefined {
  const id = refTargetOf(properties.ApiId);
  const api = id === undefined ? undefined : template.resources.get(id);
  return api?.Type === 'AWS::ApiGatewayV2::Api' ? api : undefined;
}

function protocolOf(template: CheckedTemplate, api: CfnResource | undefined): string | undefined {
  const protocol = resolveString(propertiesOf(api).ProtocolType, template.parameters);
  return typeof protocol === 'string' ? protocol : undefined;
}

export const APIGATEWAY_EXECUTION_LOGGING: RuleDefinition = {
  id: 'APIGateway.1',
  title: 'API Gateway REST and WebSocket API execution logging should be enabled',
  severity: 'medium',
  source: 'security-hub',
  standards: [STANDARDS.fsbp, STANDARDS.nist],
  related: [],
  helpUrl: controlUrl('APIGateway.1'),
  resourceTypes: ['AWS::ApiGateway::Stage', 'AWS::ApiGateway::Deployment', 'AWS::ApiGatewayV2::Stage'],
  fix: {
    cdk: 'deployOptions: { loggingLevel: apigateway.MethodLoggingLevel.ERROR } (or INFO) on the RestApi; defaultRouteSettings logging on a WebSocket stage',
    sam: 'MethodSettings: [{ HttpMethod: "*", ResourcePath: "/*", LoggingLevel: ERROR }] on the AWS::Serverless::Api (or Globals.Api)',
    cloudformation:
      'MethodSettings: [{ HttpMethod: "*", ResourcePath: "/*", LoggingLevel: ERROR }] on the stage; DefaultRouteSettings.LoggingLevel on a WebSocket stage',
  },
  evaluate(template) {
    const hits: RuleHit[] = [];
    for (const stage of restStages(template)) {
      // A condition choosing the settings (`!If [IsProd, …, !Ref AWS::NoValue]`) is decided at
      // deploy time: read as a setting it would look like one for all methods with no level.
      if (stage.methodSettings.some(isIntrinsic)) continue;
      const settings = stage.methodSettings.filter(isObject);
      const turnedOff = settings.filter(
        (setting) =>
          resolveString(setting.LoggingLevel, template.parameters) === 'OFF' && !appliesToAllMethods(setting),
      );
      const all = settings.find(appliesToAllMethods);
      const level = resolveString(all?.LoggingLevel ?? stage.defaultLoggingLevel, template.parameters);
      if (level === UNKNOWN) continue;
      if (level === undefined || !LOGGING_LEVELS_ON.includes(level)) {
        hits.push({
          logicalId: stage.logicalId,
          message: `execution logging is ${level ?? 'not set'} for all methods: set LoggingLevel to ERROR or INFO for HttpMethod "*" and ResourcePath "/*"`,
        });
      } else if (turnedOff.length > 0) {
        const where = turnedOff.map(
          (setting) => `${String(setting.HttpMethod)} ${String(setting.ResourcePath)}`,
        );
        hits.push({
          logicalId: stage.logicalId,
          message: `execution logging is OFF for ${where.join(', ')}`,
        });
      }
    }
    for (const [logicalId, resource] of resourcesOfType(template, 'AWS::ApiGatewayV2::Stage')) {
      const properties = propertiesOf(resource);
      if (protocolOf(template, v2ApiOf(template, properties)) !== 'WEBSOCKET') continue;
      const defaults = isObject(properties.DefaultRouteSettings) ? properties.DefaultRouteSettings : {};
      const level = resolveString(defaults.LoggingLevel, template.parameters);
      if (level === UNKNOWN) continue;
      if (level === undefined || !LOGGING_LEVELS_ON.includes(level)) {
        hits.push({
          logicalId,
          message: `WebSocket stage execution logging is ${level ?? 'not set'}: set DefaultRouteSettings.LoggingLevel to ERROR or INFO`,
        });
      }
    }
    return hits;
  },
};

export const APIGATEWAY_XRAY_TRACING: RuleDefinition = {
  id: 'APIGateway.3',
  title: 'API Gateway REST API stages should have AWS X-Ray tracing enabled',
  severity: 'low',
  source: 'security-hub',
  standards: [STANDARDS.fsbp, STANDARDS.nist],
  related: [],
  helpUrl: controlUrl('APIGateway.3'),
  resourceTypes: ['AWS::ApiGateway::Stage', 'AWS::ApiGateway::Deployment'],
  fix: {
    cdk: 'deployOptions: { tracingEnabled: true } on the RestApi',
    sam: 'TracingEnabled: true on the AWS::Serverless::Api (or Globals.Api)',
    cloudformation: 'TracingEnabled: true on the AWS::ApiGateway::Stage',
  },
  evaluate(template) {
    return restStages(template).flatMap((stage): RuleHit[] => {
      const enabled = resolveBoolean(stage.tracingEnabled, template.parameters);
      return enabled === true || enabled === UNKNOWN
        ? []
        : [{ logicalId: stage.logicalId, message: 'X-Ray tracing is off on this REST API stage' }];
    });
  },
};

export const APIGATEWAY_ROUTE_AUTHORIZATION: RuleDefinition = {
  id: 'APIGateway.8',
  title: 'API Gateway routes should specify an authorization type',
  severity: 'medium',
  source: 'security-hub',
  standards: [STANDARDS.fsbp, STANDARDS.nist],
  related: [],
  helpUrl: controlUrl('APIGateway.8'),
  resourceTypes: ['AWS::ApiGatewayV2::Route'],
  fix: {
    cdk: 'authorizer: on the route (addRoutes({ authorizer })) or defaultAuthorizer on the HttpApi',
    sam: 'Auth.DefaultAuthorizer on the AWS::Serverless::HttpApi, or Auth.Authorizer on the HttpApi event',
    cloudformation:
      'AuthorizationType: AWS_IAM, JWT or CUSTOM (with AuthorizerId) on the AWS::ApiGatewayV2::Route',
  },
  evaluate(template) {
    const hits: RuleHit[] = [];
    for (const [logicalId, resource] of resourcesOfType(template, 'AWS::ApiGatewayV2::Route')) {
      const properties = propertiesOf(resource);
      // A WebSocket API authorizes on $connect only; its other routes cannot take an authorizer.
      const protocol = protocolOf(template, v2ApiOf(template, properties));
      if (protocol === 'WEBSOCKET' && properties.RouteKey !== '$connect') continue;
      const type = resolveString(properties.AuthorizationType, template.parameters);
      if (type !== undefined && type !== 'NONE') continue;
      const key = properties.RouteKey;
      hits.push({
        logicalId,
        message: `${typeof key === 'string' ? `route "${key}"` : 'the route'} has authorization type ${type ?? 'NONE (not set)'}`,
      });
    }
    return hits;
  },
};

export const APIGATEWAY_V2_ACCESS_LOGGING: RuleDefinition = {
  id: 'APIGateway.9',
  title: 'Access logging should be configured for API Gateway V2 Stages',
  severity: 'medium',
  source: 'security-hub',
  standards: [STANDARDS.fsbp, STANDARDS.nist],
  related: [],
  helpUrl: controlUrl('APIGateway.9'),
  resourceTypes: ['AWS::ApiGatewayV2::Stage'],
  fix: {
    cdk: 'accessLogSettings: { destination: new apigwv2.LogGroupLogDestination(logGroup), format } on the stage (CfnStage accessLogSettings)',
    sam: 'AccessLogSettings: { DestinationArn, Format } on the AWS::Serverless::HttpApi (or Globals.HttpApi)',
    cloudformation: 'AccessLogSettings: { DestinationArn, Format } on the AWS::ApiGatewayV2::Stage',
  },
  evaluate(template) {
    const hits: RuleHit[] = [];
    for (const [logicalId, resource] of resourcesOfType(template, 'AWS::ApiGatewayV2::Stage')) {
      const settings = propertiesOf(resource).AccessLogSettings;
      if (isIntrinsic(settings)) continue;
      if (isObject(settings) && settings.DestinationArn !== undefined && settings.Format !== undefined)
        continue;
      hits.push({
        logicalId,
        message: isObject(settings)
          ? 'access logging needs both DestinationArn and Format'
          : 'access logging is not configured on this stage',
      });
    }
    return hits;
  },
};
