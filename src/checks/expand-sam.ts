// The resources the AWS SAM transform would generate, as far as the rules need them, so that
// every rule reads plain CloudFormation types. Each generated resource remembers the SAM
// resource it comes from: findings are reported there, with the SAM property to set
// (docs/decisions/0021-reading-templates-offline.md).
//
// Covered: Globals (Function, Api, HttpApi); AWS::Serverless::Function (runtime, tracing,
// layers, environment, logging config, inline policy statements, function URL, Api and HttpApi
// events, including the implicit APIs SAM creates for events without an API id);
// AWS::Serverless::Api; AWS::Serverless::HttpApi; AWS::Serverless::LayerVersion. Other SAM types
// pass through unchanged (no rule reads them).
import type { CfnResource, ResourceOrigin } from './checked-template.js';
import { asList, isObject, type JsonObject, refTargetOf } from './values.js';

const SAM = {
  function: 'AWS::Serverless::Function',
  api: 'AWS::Serverless::Api',
  httpApi: 'AWS::Serverless::HttpApi',
  layer: 'AWS::Serverless::LayerVersion',
} as const;

/** SAM's implicit API ids. */
export const IMPLICIT_REST_API = 'ServerlessRestApi';
export const IMPLICIT_HTTP_API = 'ServerlessHttpApi';

/** SAM's Globals merge: maps merge (the resource wins), lists add up, scalars are replaced. */
export function mergeGlobals(globals: unknown, own: unknown): unknown {
  if (own === undefined) return globals;
  if (globals === undefined) return own;
  if (Array.isArray(globals) && Array.isArray(own)) return [...globals, ...own];
  if (isObject(globals) && isObject(own)) {
    const merged: Record<string, unknown> = { ...globals };
    for (const [key, value] of Object.entries(own)) merged[key] = mergeGlobals(globals[key], value);
    return merged;
  }
  return own;
}

function withGlobals(globals: unknown, properties: JsonObject): JsonObject {
  const merged = mergeGlobals(isObject(globals) ? globals : undefined, properties);
  return isObject(merged) ? merged : properties;
}

function defined(entries: Record<string, unknown>): JsonObject {
  return Object.fromEntries(Object.entries(entries).filter(([, value]) => value !== undefined));
}

interface Expansion {
  readonly resources: Map<string, CfnResource>;
  readonly origins: Map<string, ResourceOrigin>;
}

function add(
  expansion: Expansion,
  logicalId: string,
  resource: CfnResource,
  origin: ResourceOrigin | undefined,
): void {
  expansion.resources.set(logicalId, resource);
  if (origin !== undefined) expansion.origins.set(logicalId, origin);
}

/** The inline policy documents of a SAM function's `Policies` (managed policy names and SAM policy templates are AWS's own, scoped policies). */
function inlinePolicies(policies: unknown): JsonObject[] {
  return asList(policies)
    .filter((policy): policy is JsonObject => isObject(policy) && policy.Statement !== undefined)
    .map((policy, index) => ({ PolicyName: `inline-${index}`, PolicyDocument: policy }));
}

interface ApiRoute {
  readonly api: string;
  readonly authorizer: unknown;
  /** The function whose event declares the route. */
  readonly from: string;
}

function stageIdOf(apiId: string, stageName: unknown): string {
  return `${apiId}${typeof stageName === 'string' ? stageName : 'Prod'}Stage`;
}

function expandFunction(
  expansion: Expansion,
  logicalId: string,
  properties: JsonObject,
  metadata: JsonObject | undefined,
  routes: { rest: Set<string>; http: ApiRoute[]; implicitFrom: Map<string, string> },
): void {
  const origin: ResourceOrigin = { logicalId, type: SAM.function };
  const tracing = properties.Tracing;
  add(
    expansion,
    logicalId,
    {
      Type: 'AWS::Lambda::Function',
      Properties: defined({
        FunctionName: properties.FunctionName,
        Runtime: properties.Runtime,
        PackageType: properties.PackageType,
        Layers: properties.Layers,
        Environment: properties.Environment,
        LoggingConfig: properties.LoggingConfig,
        TracingConfig: tracing === undefined ? undefined : { Mode: tracing },
      }),
      ...(metadata === undefined ? {} : { Metadata: metadata }),
    },
    origin,
  );
  if (properties.Role === undefined) {
    add(
      expansion,
      `${logicalId}Role`,
      { Type: 'AWS::IAM::Role', Properties: { Policies: inlinePolicies(properties.Policies) } },
      origin,
    );
  }
  const url = properties.FunctionUrlConfig;
  if (isObject(url)) {
    add(
      expansion,
      `${logicalId}Url`,
      {
        Type: 'AWS::Lambda::Url',
        Properties: { AuthType: url.AuthType, TargetFunctionArn: { Ref: logicalId } },
      },
      origin,
    );
  }
  for (const [, event] of Object.entries(isObject(properties.Events) ? properties.Events : {})) {
    if (!isObject(event) || !isObject(event.Properties ?? {})) continue;
    const eventProperties = (event.Properties ?? {}) as JsonObject;
    if (event.Type === 'Api') {
      const api = refTargetOf(eventProperties.RestApiId) ?? IMPLICIT_REST_API;
      routes.rest.add(api);
      if (api === IMPLICIT_REST_API && !routes.implicitFrom.has(api)) routes.implicitFrom.set(api, logicalId);
    } else if (event.Type === 'HttpApi') {
      const api = refTargetOf(eventProperties.ApiId) ?? IMPLICIT_HTTP_API;
      const auth = isObject(eventProperties.Auth) ? eventProperties.Auth : {};
      routes.http.push({ api, authorizer: auth.Authorizer, from: logicalId });
      if (api === IMPLICIT_HTTP_API && !routes.implicitFrom.has(api)) routes.implicitFrom.set(api, logicalId);
    }
  }
}

function expandRestApi(
  expansion: Expansion,
  logicalId: string,
  properties: JsonObject,
  origin: ResourceOrigin,
): void {
  add(expansion, logicalId, { Type: 'AWS::ApiGateway::RestApi', Properties: {} }, origin);
  add(
    expansion,
    stageIdOf(logicalId, properties.StageName),
    {
      Type: 'AWS::ApiGateway::Stage',
      Properties: defined({
        RestApiId: { Ref: logicalId },
        StageName: properties.StageName ?? 'Prod',
        TracingEnabled: properties.TracingEnabled,
        MethodSettings: properties.MethodSettings,
        AccessLogSetting: properties.AccessLogSetting,
      }),
    },
    origin,
  );
}

function expandHttpApi(
  expansion: Expansion,
  logicalId: string,
  properties: JsonObject,
  origin: ResourceOrigin,
): void {
  add(expansion, logicalId, { Type: 'AWS::ApiGatewayV2::Api', Properties: { ProtocolType: 'HTTP' } }, origin);
  const stageName = properties.StageName;
  add(
    expansion,
    typeof stageName === 'string' ? `${logicalId}${stageName}Stage` : `${logicalId}ApiGatewayDefaultStage`,
    {
      Type: 'AWS::ApiGatewayV2::Stage',
      Properties: defined({
        ApiId: { Ref: logicalId },
        StageName: stageName ?? '$default',
        AccessLogSettings: properties.AccessLogSettings,
        DefaultRouteSettings: properties.DefaultRouteSettings,
      }),
    },
    origin,
  );
}

/** The authorization type SAM gives an HttpApi event's route. */
function routeAuthorization(route: ApiRoute, api: JsonObject | undefined): string {
  const auth = isObject(api?.Auth) ? api.Auth : {};
  const authorizer = route.authorizer ?? auth.DefaultAuthorizer;
  if (authorizer === undefined || authorizer === 'NONE') return 'NONE';
  if (authorizer === 'AWS_IAM') return 'AWS_IAM';
  const definition =
    isObject(auth.Authorizers) && typeof authorizer === 'string' ? auth.Authorizers[authorizer] : undefined;
  return isObject(definition) && definition.JwtConfiguration !== undefined ? 'JWT' : 'CUSTOM';
}

/**
 * The resources of a SAM template with every supported SAM type replaced by what the
 * transform would generate, and the origin of each generated resource.
 *
 * @example
 * const { resources } = expandSam(template.Resources, template.Globals);
 * resources.get('ServerlessRestApiProdStage')?.Type; // 'AWS::ApiGateway::Stage'
 */
export function expandSam(
  resources: ReadonlyMap<string, CfnResource>,
  globals: Readonly<Record<string, unknown>> | undefined,
): { resources: Map<string, CfnResource>; origins: Map<string, ResourceOrigin> } {
  const expansion: Expansion = { resources: new Map(), origins: new Map() };
  const routes = { rest: new Set<string>(), http: [] as ApiRoute[], implicitFrom: new Map<string, string>() };
  const httpApis = new Map<string, JsonObject>();

  for (const [logicalId, resource] of resources) {
    const properties = resource.Properties ?? {};
    const origin: ResourceOrigin = { logicalId, type: resource.Type };
    switch (resource.Type) {
      case SAM.function:
        expandFunction(
          expansion,
          logicalId,
          withGlobals(globals?.Function, properties),
          resource.Metadata,
          routes,
        );
        break;
      case SAM.api:
        expandRestApi(expansion, logicalId, withGlobals(globals?.Api, properties), origin);
        break;
      case SAM.httpApi: {
        const merged = withGlobals(globals?.HttpApi, properties);
        httpApis.set(logicalId, merged);
        expandHttpApi(expansion, logicalId, merged, origin);
        break;
      }
      case SAM.layer:
        add(
          expansion,
          logicalId,
          {
            Type: 'AWS::Lambda::LayerVersion',
            Properties: defined({ LayerName: properties.LayerName, Description: properties.Description }),
          },
          origin,
        );
        break;
      default:
        expansion.resources.set(logicalId, resource);
    }
  }

  // The APIs SAM creates for events that name none, configured by Globals only.
  const implicitOrigin = (id: string): ResourceOrigin => ({
    logicalId: id,
    type: id === IMPLICIT_REST_API ? SAM.api : SAM.httpApi,
    anchor: routes.implicitFrom.get(id) ?? id,
  });
  if (routes.rest.has(IMPLICIT_REST_API) && !resources.has(IMPLICIT_REST_API)) {
    expandRestApi(
      expansion,
      IMPLICIT_REST_API,
      withGlobals(globals?.Api, {}),
      implicitOrigin(IMPLICIT_REST_API),
    );
  }
  if (routes.http.some((route) => route.api === IMPLICIT_HTTP_API) && !resources.has(IMPLICIT_HTTP_API)) {
    const merged = withGlobals(globals?.HttpApi, {});
    httpApis.set(IMPLICIT_HTTP_API, merged);
    expandHttpApi(expansion, IMPLICIT_HTTP_API, merged, implicitOrigin(IMPLICIT_HTTP_API));
  }
  routes.http.forEach((route, index) => {
    const origin: ResourceOrigin = { logicalId: route.from, type: SAM.function };
    add(
      expansion,
      `${route.api}Route${index}`,
      {
        Type: 'AWS::ApiGatewayV2::Route',
        Properties: {
          ApiId: { Ref: route.api },
          AuthorizationType: routeAuthorization(route, httpApis.get(route.api)),
        },
      },
      origin,
    );
  });
  return expansion;
}
