import { LookoutConfigError } from '../errors/index.js';
import type { Setting } from './setting.js';

export type ParseResult =
  | { readonly ok: true; readonly value: unknown; readonly warnings: readonly string[] }
  | { readonly ok: false; readonly reason: string };

/**
 * Whether `value` is a list of strings, with no holes: `every()` alone skips the holes of
 * `['/a', , '/b']`, which would reach the code that reads the list as undefined.
 *
 * @example
 * isStringList(['/health', '/internal/*']); // true
 */
export function isStringList(value: unknown): value is string[] {
  return Array.isArray(value) && Array.from(value).every((item) => typeof item === 'string');
}

/** What a setting accepts, in words, for error messages and the generated docs. */
export function describeAccepted(setting: Setting): string {
  if (setting.acceptsText !== undefined) return setting.acceptsText;
  switch (setting.type) {
    case 'string':
      return 'a non-empty string';
    case 'url':
      return 'an http:// or https:// URL';
    case 'boolean':
      return 'true or false';
    case 'integer':
      return `an integer from ${setting.min} to ${setting.max}`;
    case 'number':
      return `a number from ${setting.min} to ${setting.max}`;
    case 'enum':
      return `one of: ${setting.values.join(', ')}`;
    case 'list':
      return setting.values
        ? `a comma-separated list of: ${setting.values.join(', ')} (or none)`
        : 'a comma-separated list';
    case 'map':
      return 'comma-separated key=value pairs';
  }
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

/** Splits a comma-separated variable, dropping empty items (OTel spec list format). */
function splitList(raw: string): string[] {
  return raw
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
}

function parseMap(
  raw: string,
  checkPair: ((key: string, value: string) => string | undefined) | undefined,
): { value: Record<string, string>; warnings: string[] } {
  // W3C-baggage-like `k=v,k2=v2`, keys and values percent-encoded (`,` and `=` in either can
  // only be written so), as OTEL_RESOURCE_ATTRIBUTES and OTEL_EXPORTER_OTLP_HEADERS use; both
  // are decoded, as OpenTelemetry's own parsers do. A bad pair is dropped, not the whole variable.
  const value: Record<string, string> = {};
  const warnings: string[] = [];
  for (const pair of splitList(raw)) {
    const eq = pair.indexOf('=');
    const rawKey = eq > 0 ? pair.slice(0, eq).trim() : '';
    if (rawKey === '') {
      warnings.push(`ignored "${pair.slice(0, 40)}": not key=value`);
      continue;
    }
    let key: string;
    let decoded: string;
    try {
      key = decodeURIComponent(rawKey);
      decoded = decodeURIComponent(pair.slice(eq + 1).trim());
    } catch {
      // The key as written, never the value: a header's value may be a secret.
      warnings.push(`ignored "${rawKey.slice(0, 40)}": bad percent-encoding`);
      continue;
    }
    const refused = checkPair?.(key, decoded);
    if (refused === undefined) value[key] = decoded;
    else warnings.push(`ignored ${JSON.stringify(key.slice(0, 40))}: ${refused}`);
  }
  return { value, warnings };
}

/** Runs a setting's extra rule, if it has one; returns why the value is refused. */
function checkValue(setting: Setting, value: unknown): string | undefined {
  const check = setting.check as ((value: unknown) => string | undefined) | undefined;
  return check?.(value);
}

/**
 * Parses a variable's text into a setting's value. Never throws: an unusable value is a
 * `{ ok: false }` that the caller turns into one warning and a fallback (docs/design.md decision 4).
 */
export function parseEnvValue(setting: Setting, raw: string): ParseResult {
  const result = parseByType(setting, raw);
  if (!result.ok) return result;
  const refused = checkValue(setting, result.value);
  return refused === undefined ? result : { ok: false, reason: refused };
}

function parseByType(setting: Setting, raw: string): ParseResult {
  switch (setting.type) {
    case 'string':
      return { ok: true, value: raw, warnings: [] };
    case 'url':
      return isHttpUrl(raw)
        ? { ok: true, value: raw, warnings: [] }
        : { ok: false, reason: 'not an http(s) URL' };
    case 'boolean': {
      const lowered = raw.toLowerCase();
      if (lowered === 'true') return { ok: true, value: true, warnings: [] };
      if (lowered === 'false') return { ok: true, value: false, warnings: [] };
      return { ok: false, reason: 'not true or false' };
    }
    case 'integer':
    case 'number': {
      const value = Number(raw);
      const wrongKind = setting.type === 'integer' ? !Number.isInteger(value) : !Number.isFinite(value);
      if (wrongKind || value < setting.min || value > setting.max) {
        return { ok: false, reason: `not ${describeAccepted(setting).replace(/^an? /, 'a ')}` };
      }
      return { ok: true, value, warnings: [] };
    }
    case 'enum': {
      const lowered = raw.toLowerCase();
      const match = setting.values.find((candidate) => candidate.toLowerCase() === lowered);
      return match === undefined
        ? { ok: false, reason: 'not an accepted value' }
        : { ok: true, value: match, warnings: [] };
    }
    case 'list': {
      const items = splitList(raw);
      if (items.length === 1 && items[0]?.toLowerCase() === 'none')
        return { ok: true, value: [], warnings: [] };
      if (!setting.values) return { ok: true, value: items, warnings: [] };
      const accepted = setting.values;
      const known = items.filter((item) => accepted.includes(item));
      const unknown = items.filter((item) => !accepted.includes(item) && item.toLowerCase() !== 'none');
      if (known.length === 0) return { ok: false, reason: 'no accepted item' };
      return {
        ok: true,
        value: [...new Set(known)],
        warnings: unknown.map((item) => `ignored unknown item "${item.slice(0, 40)}"`),
      };
    }
    case 'map': {
      const { value, warnings } = parseMap(raw, setting.checkPair);
      return { ok: true, value, warnings };
    }
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object') return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/**
 * Checks an option passed in code. Code is fixed at deploy time, so a wrong value is a bug to
 * surface at once: this throws `LookoutConfigError` (docs/design.md decision 4).
 */
export function validateOptionValue(setting: Setting, value: unknown): unknown {
  const validated = validateByType(setting, value);
  if (checkValue(setting, validated) !== undefined) {
    throw new LookoutConfigError({ option: setting.path, value, accepted: describeAccepted(setting) });
  }
  return validated;
}

function validateByType(setting: Setting, value: unknown): unknown {
  const fail = (): never => {
    throw new LookoutConfigError({ option: setting.path, value, accepted: describeAccepted(setting) });
  };
  switch (setting.type) {
    case 'string':
      return typeof value === 'string' && value.trim() !== '' ? value : fail();
    case 'url':
      return typeof value === 'string' && isHttpUrl(value) ? value : fail();
    case 'boolean':
      return typeof value === 'boolean' ? value : fail();
    case 'integer':
    case 'number': {
      const ok =
        typeof value === 'number' &&
        (setting.type === 'integer' ? Number.isInteger(value) : Number.isFinite(value)) &&
        value >= setting.min &&
        value <= setting.max;
      return ok ? value : fail();
    }
    case 'enum':
      return typeof value === 'string' && setting.values.includes(value) ? value : fail();
    case 'list': {
      const items = typeof value === 'string' && setting.acceptsSingle ? [value] : value;
      if (!isStringList(items)) return fail();
      if (setting.values) {
        const accepted = setting.values;
        const withoutNone = items.filter((item) => item !== 'none');
        // Name the item that is wrong: an array is otherwise only described by its length.
        const unknown = withoutNone.find((item) => !accepted.includes(item));
        if (unknown !== undefined)
          throw new LookoutConfigError({
            option: setting.path,
            value: unknown,
            accepted: describeAccepted(setting),
          });
        return [...new Set(withoutNone)];
      }
      return [...items];
    }
    case 'map': {
      if (!isPlainObject(value) || !Object.values(value).every((item) => typeof item === 'string'))
        return fail();
      if (setting.checkPair) {
        // Name the key that is wrong, not its value: a header's value may be a secret.
        for (const [key, item] of Object.entries(value as Record<string, string>))
          if (setting.checkPair(key, item) !== undefined)
            throw new LookoutConfigError({
              option: setting.path,
              value: key,
              accepted: describeAccepted(setting),
            });
      }
      return { ...value };
    }
  }
}
