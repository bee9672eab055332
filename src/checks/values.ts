// Reading CloudFormation values offline. A value is a literal, or an intrinsic function the
// checker may not be able to resolve without a deployment (a parameter without default, an
// import, a condition). Rules then give the template the benefit of the doubt and report
// nothing (docs/decisions/0021-reading-templates-offline.md).

/** A value that cannot be known before deployment. */
export const UNKNOWN: unique symbol = Symbol('unknown');
export type Unknown = typeof UNKNOWN;

export type JsonObject = Readonly<Record<string, unknown>>;

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Whether a value is an intrinsic function (`Ref`, `Fn::…`, `Condition`). */
export function isIntrinsic(value: unknown): boolean {
  if (!isObject(value)) return false;
  const keys = Object.keys(value);
  return (
    keys.length === 1 &&
    (keys[0] === 'Ref' || keys[0] === 'Condition' || keys[0]?.startsWith('Fn::') === true)
  );
}

/**
 * The logical id a value points at: `{ Ref: X }`, `{ 'Fn::GetAtt': [X, attr] }` or `'X.attr'`
 * (the short GetAtt form). Undefined for anything else.
 *
 * @example
 * refTargetOf({ 'Fn::GetAtt': ['Key', 'Arn'] }); // 'Key'
 */
export function refTargetOf(value: unknown): string | undefined {
  if (!isObject(value)) return undefined;
  if (typeof value.Ref === 'string') return value.Ref;
  const getAtt = value['Fn::GetAtt'];
  if (Array.isArray(getAtt) && typeof getAtt[0] === 'string') return getAtt[0];
  if (typeof getAtt === 'string') return getAtt.split('.')[0];
  return undefined;
}

/** Parameter defaults, for resolving `{ Ref: Parameter }`. */
export type ParameterDefaults = ReadonlyMap<string, unknown>;

/**
 * A scalar value as deployed: the literal itself, a parameter's default, `undefined` for an
 * absent value or `AWS::NoValue`, or UNKNOWN.
 *
 * @example
 * resolveScalar({ Ref: 'Stage' }, new Map([['Stage', 'prod']])); // 'prod'
 */
export function resolveScalar(
  value: unknown,
  parameters: ParameterDefaults,
): string | number | boolean | undefined | Unknown {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  if (isObject(value) && typeof value.Ref === 'string') {
    if (value.Ref === 'AWS::NoValue') return undefined;
    const fallback = parameters.get(value.Ref);
    if (typeof fallback === 'string' || typeof fallback === 'number' || typeof fallback === 'boolean')
      return fallback;
  }
  return UNKNOWN;
}

/** A string value, `undefined` when absent, UNKNOWN when not a resolvable string. */
export function resolveString(value: unknown, parameters: ParameterDefaults): string | undefined | Unknown {
  const scalar = resolveScalar(value, parameters);
  if (scalar === undefined || scalar === UNKNOWN) return scalar;
  return String(scalar);
}

/** A boolean value (`true`, `'true'`, `false`, `'false'`), `undefined` when absent, else UNKNOWN. */
export function resolveBoolean(value: unknown, parameters: ParameterDefaults): boolean | undefined | Unknown {
  const scalar = resolveScalar(value, parameters);
  if (scalar === true || scalar === 'true') return true;
  if (scalar === false || scalar === 'false') return false;
  return scalar === undefined ? undefined : UNKNOWN;
}

/** A number value, `undefined` when absent, else UNKNOWN. */
export function resolveNumber(value: unknown, parameters: ParameterDefaults): number | undefined | Unknown {
  const scalar = resolveScalar(value, parameters);
  if (scalar === undefined || scalar === UNKNOWN) return scalar;
  const number = Number(scalar);
  return Number.isFinite(number) ? number : UNKNOWN;
}

/** A list value: arrays as they are, one value as a list of one, absent as empty. */
export function asList(value: unknown): readonly unknown[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

/**
 * The template of an `Fn::Sub` with a variable map, each `${Name}` the map defines replaced by
 * its value flattened (`${Fn}` for `{ Ref: Fn }`); UNKNOWN when a value used cannot be.
 * `${!Literal}` and names the map does not define are left as written.
 */
function substitute(template: string, variables: unknown): string | Unknown {
  if (!isObject(variables)) return template;
  let unknown = false;
  const text = template.replace(/\$\{([^}!][^}]*)\}/g, (written, name: string) => {
    if (!Object.hasOwn(variables, name)) return written;
    const value = flattenText(variables[name]);
    if (value === UNKNOWN) unknown = true;
    return typeof value === 'string' ? value : written;
  });
  return unknown ? UNKNOWN : text;
}

/**
 * A string-valued expression flattened into text, with each reference written `${Id}` (the
 * `Fn::Sub` syntax): `Fn::Join` of strings and Refs, a `Fn::Sub` string, or a literal. UNKNOWN
 * for anything else. Used to compare names such as `/aws/lambda/${Function}`.
 *
 * @example
 * flattenText({ 'Fn::Join': ['', ['/aws/lambda/', { Ref: 'Fn' }]] }); // '/aws/lambda/${Fn}'
 */
export function flattenText(value: unknown): string | Unknown {
  if (typeof value === 'string') return value;
  if (!isObject(value)) return UNKNOWN;
  if (typeof value.Ref === 'string') return `\${${value.Ref}}`;
  const sub = value['Fn::Sub'];
  if (typeof sub === 'string') return sub;
  if (Array.isArray(sub) && typeof sub[0] === 'string') return substitute(sub[0], sub[1]);
  const join = value['Fn::Join'];
  if (Array.isArray(join) && typeof join[0] === 'string' && Array.isArray(join[1])) {
    const parts = join[1].map((part) => flattenText(part));
    if (parts.some((part) => part === UNKNOWN)) return UNKNOWN;
    return parts.join(join[0]);
  }
  return UNKNOWN;
}
