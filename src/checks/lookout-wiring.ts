// Which functions and containers run Lookout, and where their telemetry is configured to go:
// the service name and namespace their metrics carry, read from the same variables the SDK reads.
import { DEFAULT_METRICS_NAMESPACE, parseEnvValue, resolveConfig, SETTINGS } from '../core.js';
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

/** The SDK's `environment` default on Lambda: `NODE_ENV`, else `production` (src/config/settings/core.ts). */
const LAMBDA_DEFAULT_ENVIRONMENT = 'production';

function environmentOf(properties: JsonObject): JsonObject {
  const environment = isObject(properties.Environment) ? properties.Environment : {};
  return isObject(environment.Variables) ? environment.Variables : {};
}

function firstSet(
  variables: JsonObject,
  names: readonly string[],
  template: CheckedTemplate,
): string | undefined | Unknown {
  for (const name of names) {
    const value = resolveString(variables[name], template.parameters);
    if (value === UNKNOWN) return value;
    // As the SDK reads a variable: trimmed, and a blank one is not set.
    const trimmed = value?.trim();
    if (trimmed !== undefined && trimmed !== '') return trimmed;
  }
  return undefined;
}

/**
 * One resource attribute of `LOOKOUT_RESOURCE_ATTRIBUTES` / `OTEL_RESOURCE_ATTRIBUTES`
 * (`key=value` pairs, values percent-encoded), the first of `keys` set and not blank.
 */
function resourceAttribute(
  variables: JsonObject,
  keys: readonly string[],
  template: CheckedTemplate,
): string | undefined | Unknown {
  const raw = firstSet(variables, variablesOf('resourceAttributes'), template);
  if (raw === undefined || raw === UNKNOWN) return raw;
  const setting = SETTINGS.find((candidate) => candidate.path === 'resourceAttributes');
  const parsed = setting === undefined ? undefined : parseEnvValue(setting, raw);
  if (parsed === undefined || !parsed.ok || !isObject(parsed.value)) return undefined;
  const attributes = parsed.value;
  for (const key of keys) {
    const value = attributes[key];
    if (typeof value === 'string' && value.trim() !== '') return value;
  }
  return undefined;
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

/**
 * Every Lambda function in the template that runs Lookout (layer, exec wrapper or preload),
 * with the service name, environment and namespace its metrics will carry.
 *
 * @example
 * lookoutFunctions(template).map((fn) => fn.logicalId); // ['OrdersApiFunctionF46D4A7F']
 */
export function lookoutFunctions(template: CheckedTemplate): LookoutFunction[] {
  const found: LookoutFunction[] = [];
  for (const [logicalId, resource] of resourcesOfType(template, 'AWS::Lambda::Function')) {
    const properties = propertiesOf(resource);
    const via = attachment(template, properties);
    if (via === undefined) continue;
    const variables = environmentOf(properties);
    // Without a service name the SDK reads service.name from the resource attributes, then uses
    // the function name (AWS_LAMBDA_FUNCTION_NAME); docs/decisions/0031-one-service-name.md.
    const service =
      firstSet(variables, variablesOf('serviceName'), template) ??
      resourceAttribute(variables, ['service.name'], template) ??
      resolveString(properties.FunctionName, template.parameters) ??
      UNKNOWN;
    const namespace =
      firstSet(variables, variablesOf('metrics.namespace'), template) ?? DEFAULT_METRICS_NAMESPACE;
    const environment =
      firstSet(variables, variablesOf('environment'), template) ??
      resourceAttribute(variables, ['deployment.environment.name', 'deployment.environment'], template) ??
      firstSet(variables, ['NODE_ENV'], template) ??
      LAMBDA_DEFAULT_ENVIRONMENT;
    found.push({
      logicalId,
      properties,
      via,
      service,
      namespace,
      environment,
      metricsOffBy: metricsOffBy(variables, template),
    });
  }
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
