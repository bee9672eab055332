// A template ready for the rules: its resources by logical id, parameter defaults, and for each
// resource the resource the author wrote it as (a SAM resource expands into several).
import type { TemplateForm } from './types.js';
import { isObject, type JsonObject, type ParameterDefaults } from './values.js';

/** A CloudFormation resource as the rules read it. */
export interface CfnResource {
  readonly Type: string;
  readonly Properties?: JsonObject;
  readonly Metadata?: JsonObject;
}

/** A parsed CloudFormation or SAM template. */
export interface CfnTemplate {
  readonly Resources?: Readonly<Record<string, unknown>>;
  readonly Parameters?: Readonly<Record<string, unknown>>;
  readonly Globals?: Readonly<Record<string, unknown>>;
  readonly Transform?: unknown;
  readonly Metadata?: Readonly<Record<string, unknown>>;
}

/** The resource a checked resource was written as, when that is not itself (SAM). */
export interface ResourceOrigin {
  readonly logicalId: string;
  readonly type: string;
  /** Where the origin is written, when it is not written itself (SAM's implicit APIs: the first function whose event creates it). */
  readonly anchor?: string;
}

export interface CheckedTemplate {
  readonly form: TemplateForm;
  readonly resources: ReadonlyMap<string, CfnResource>;
  readonly parameters: ParameterDefaults;
  /** For resources SAM would generate: the SAM resource they come from. */
  readonly origins: ReadonlyMap<string, ResourceOrigin>;
  /** The template's own `Metadata` (template-wide suppressions live there). */
  readonly metadata: JsonObject;
}

/** Every resource of one of the given types, as [logicalId, resource] pairs. */
export function resourcesOfType(
  template: CheckedTemplate,
  ...types: readonly string[]
): readonly (readonly [string, CfnResource])[] {
  return [...template.resources].filter(([, resource]) => types.includes(resource.Type));
}

/** A resource's properties (an empty object when it has none). */
export function propertiesOf(resource: CfnResource | undefined): JsonObject {
  return resource?.Properties ?? {};
}

/** Whether a parsed value is a CloudFormation resource (an object with a string `Type`). */
export function isCfnResource(value: unknown): value is CfnResource {
  return isObject(value) && typeof value.Type === 'string';
}

/** Whether the template declares the SAM transform. */
export function usesSamTransform(template: CfnTemplate): boolean {
  const transforms = Array.isArray(template.Transform) ? template.Transform : [template.Transform];
  return transforms.some(
    (transform) => typeof transform === 'string' && transform.startsWith('AWS::Serverless'),
  );
}

/** Parameter defaults of a template, by name. */
export function parameterDefaults(template: CfnTemplate): ParameterDefaults {
  const defaults = new Map<string, unknown>();
  for (const [name, parameter] of Object.entries(template.Parameters ?? {})) {
    if (isObject(parameter) && parameter.Default !== undefined) defaults.set(name, parameter.Default);
  }
  return defaults;
}
