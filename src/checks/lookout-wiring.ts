// Which functions and containers run Lookout, and where their telemetry is configured to go:
// the service name and namespace their metrics carry, resolved by the SDK's own configuration.
import { resolveConfig, resolveServiceIdentity, SETTINGS, toDimensionValue } from '../core.js';
import { type CfnResource, type CheckedTemplate, propertiesOf, resourcesOfType } from './checked-template.js';
import {
  asList,
  flattenText,
  isObject,
  type JsonObject,
  refTargetOf,
  resolveString,
  UNKNOWN,
  type Unknown,
} from './values.js';

/** Where the Lookout layer puts its exec wrapper (layer/lookout-handler). */
export const LOOKOUT_EXEC_WRAPPER = '/opt/lookout-handler';
const PRELOAD = 'lookout/register';

/** The variables a setting is read from, in the SDK's order of precedence. */
function variablesOf(path: string): readonly string[] {
  const setting = SETTINGS.find((candidate) => candidate.path === path);
  if (setting === undefined) return [];
  const standard = (setting.standard ?? []).map((variable) =>
    typeof variable === 'string' ? variable : variable.name,
  );
  return [setting.env, ...standard];
}

/** A Lambda function that runs Lookout. */
export interface LookoutFunction {
  readonly logicalId: string;
  readonly properties: JsonObject;
  /** How Lookout is attached: the layer, the exec wrapper or a NODE_OPTIONS preload. */
  readonly via: string;
  /** The `Service` dimension its metrics carry; UNKNOWN when only known at deploy time. */
  readonly service: string | Unknown;
  /** The namespace its metrics go to. */
  readonly namespace: string | Unknown;
  /** The `Environment` dimension its metrics carry; UNKNOWN when only known at deploy time. */
  readonly environment: string | Unknown;
  /** The variable that turns its metrics off, when one does: it then writes no Fault to alarm on. */
  readonly metricsOffBy: string | undefined;
}

/** The variables that can turn a function's metrics off, in the SDK's order of precedence. */
const METRICS_SWITCHES = [
  'LOOKOUT_ENABLED',
  'LOOKOUT_METRICS_ENABLED',
  'POWERTOOLS_METRICS_DISABLED',
  'POWERTOOLS_DEV',
];

/**
 * Which variable turns the function's metrics off, read by the SDK's own configuration
 * (its spellings of true and false, Powertools' rule for POWERTOOLS_DEV); undefined when they
 * stay on or a switch is known only at deploy time.
 */
function metricsOffBy(variables: JsonObject, template: CheckedTemplate): string | undefined {
  const env: Record<string, string> = {};
  for (const name of METRICS_SWITCHES) {
    const value = resolveString(variables[name], template.parameters);
    if (value === UNKNOWN) return undefined;
    if (value !== undefined) env[name] = value;
  }
  const set = Object.keys(env);
  if (set.length === 0) return undefined;
  const { config } = resolveConfig({
    env: { ...env, AWS_LAMBDA_FUNCTION_NAME: 'function' },
    appPackage: { name: undefined, version: undefined },
  });
  if (config.enabled && config.metrics.enabled) return undefined;
  const name = config.enabled ? set.find((candidate) => candidate !== 'LOOKOUT_ENABLED') : 'LOOKOUT_ENABLED';
  return name === undefined ? set.join(', ') : `${name}=${env[name]}`;
}

function environmentOf(properties: JsonObject): JsonObject {
  const environment = isObject(properties.Environment) ? properties.Environment : {};
  return isObject(environment.Variables) ? environment.Variables : {};
}

/** The variables the SDK reads a function's service, environment and namespace from. */
const IDENTITY_VARIABLES: readonly string[] = [
  ...variablesOf('serviceName'),
  ...variablesOf('environment'),
  ...variablesOf('metrics.namespace'),
  ...variablesOf('resourceAttributes'),
  'NODE_ENV',
];
const RESOURCE_ATTRIBUTE_VARIABLES = new Set(variablesOf('resourceAttributes'));

/** Two stand-ins for a value known only at deploy time: what differs between them depends on it. */
const PROBES = ['lookout-check-probe-a', 'lookout-check-probe-b'] as const;

type MetricIdentity = Pick<LookoutFunction, 'service' | 'environment' | 'namespace'>;

/**
 * The namespace, `Service` and `Environment` the function's metrics carry, resolved by the SDK's
 * own configuration (resolveServiceIdentity, resolveConfig's rule, then toDimensionValue as its
 * metrics do) from the function's variables and name: a second copy of its precedence here had
 * drifted from it (a namespace the SDK refuses, a name the metrics rewrite). A value known only
 * at deploy time (a parameter with no default, a function name CloudFormation makes up) is
 * resolved twice, as two different values: a result that differs depends on it and is UNKNOWN.
 */
function metricIdentityOf(
  variables: JsonObject,
  properties: JsonObject,
  template: CheckedTemplate,
): MetricIdentity {
  const known: Record<string, string> = {};
  const unknown: string[] = [];
  for (const name of IDENTITY_VARIABLES) {
    const value = resolveString(variables[name], template.parameters);
    if (value === UNKNOWN) unknown.push(name);
    else if (value !== undefined) known[name] = value;
  }
  const functionName = resolveString(properties.FunctionName, template.parameters);
  const resolve = (probe: string): MetricIdentity => {
    const env: Record<string, string> = {
      ...known,
      AWS_LAMBDA_FUNCTION_NAME: typeof functionName === 'string' ? functionName : probe,
    };
    // A map of resource attributes names the attributes the SDK reads from it.
    for (const name of unknown)
      env[name] = RESOURCE_ATTRIBUTE_VARIABLES.has(name)
        ? `service.name=${probe},deployment.environment.name=${probe}`
        : probe;
    const identity = resolveServiceIdentity({ env, appPackage: { name: undefined, version: undefined } });
    return {
      service: toDimensionValue(identity.serviceName),
      environment: toDimensionValue(identity.environment),
      namespace: identity.namespace,
    };
  };
  const first = resolve(PROBES[0]);
  if (unknown.length === 0) {
    // Only the function name may be unknown, and it reaches only the service name (the SDK's
    // last choice for it), which is then the probe: one resolution is enough for a template of
    // thousands of functions without names.
    if (typeof functionName !== 'string' && first.service === PROBES[0])
      return { ...first, service: UNKNOWN };
    return first;
  }
  const second = resolve(PROBES[1]);
  const settled = (key: keyof MetricIdentity) => (first[key] === second[key] ? first[key] : UNKNOWN);
  return {
    service: settled('service'),
    environment: settled('environment'),
    namespace: settled('namespace'),
  };
}

const LOOKOUT_LAYER_ARN = /:layer:lookout/i;

function isLookoutLayer(template: CheckedTemplate, layer: unknown): boolean {
  if (typeof layer === 'string') return LOOKOUT_LAYER_ARN.test(layer);
  const id = refTargetOf(layer);
  const resource: CfnResource | undefined = id === undefined ? undefined : template.resources.get(id);
  if (resource?.Type !== 'AWS::Lambda::LayerVersion') {
    // A published layer's ARN written per region or account (`!Sub arn:aws:lambda:${AWS::Region}:…:layer:lookout:3`)
    // or held in a parameter with a default: the ARN's text names the layer all the same.
    const arn = resolveString(layer, template.parameters);
    const text = typeof arn === 'string' ? arn : flattenText(layer);
    return text !== UNKNOWN && LOOKOUT_LAYER_ARN.test(text);
  }
  const { LayerName, Description } = propertiesOf(resource);
  // A name written per stage (`!Sub lookout-${Stage}`) names the layer all the same.
  return [id, flattenText(LayerName), flattenText(Description)].some(
    (text) => typeof text === 'string' && /lookout/i.test(text),
  );
}

function attachment(template: CheckedTemplate, properties: JsonObject): string | undefined {
  const variables = environmentOf(properties);
  if (resolveString(variables.AWS_LAMBDA_EXEC_WRAPPER, template.parameters) === LOOKOUT_EXEC_WRAPPER)
    return `the Lookout exec wrapper (AWS_LAMBDA_EXEC_WRAPPER=${LOOKOUT_EXEC_WRAPPER})`;
  if (asList(properties.Layers).some((layer) => isLookoutLayer(template, layer))) return 'the Lookout layer';
  const nodeOptions = resolveString(variables.NODE_OPTIONS, template.parameters);
  if (typeof nodeOptions === 'string' && nodeOptions.includes(PRELOAD))
    return `NODE_OPTIONS preloading ${PRELOAD}`;
  return undefined;
}

/** What lookoutFunctions found in a template: three rules ask, and each function is resolved. */
const foundIn = new WeakMap<CheckedTemplate, readonly LookoutFunction[]>();

/**
 * Every Lambda function in the template that runs Lookout (layer, exec wrapper or preload),
 * with the service name, environment and namespace its metrics will carry.
 *
 * @example
 * lookoutFunctions(template).map((fn) => fn.logicalId); // ['OrdersApiFunctionF46D4A7F']
 */
export function lookoutFunctions(template: CheckedTemplate): readonly LookoutFunction[] {
  const cached = foundIn.get(template);
  if (cached !== undefined) return cached;
  const found: LookoutFunction[] = [];
  for (const [logicalId, resource] of resourcesOfType(template, 'AWS::Lambda::Function')) {
    const properties = propertiesOf(resource);
    const via = attachment(template, properties);
    if (via === undefined) continue;
    const variables = environmentOf(properties);
    found.push({
      logicalId,
      properties,
      via,
      ...metricIdentityOf(variables, properties, template),
      metricsOffBy: metricsOffBy(variables, template),
    });
  }
  foundIn.set(template, found);
  return found;
}

/** Whether an ECS container definition runs Lookout: a `LOOKOUT_*` variable, or a NODE_OPTIONS preload. */
export function containerRunsLookout(container: JsonObject): boolean {
  return asList(container.Environment)
    .filter(isObject)
    .some(
      (variable) =>
        (typeof variable.Name === 'string' && variable.Name.startsWith('LOOKOUT_')) ||
        (variable.Name === 'NODE_OPTIONS' &&
          typeof variable.Value === 'string' &&
          variable.Value.includes(PRELOAD)),
    );
}
