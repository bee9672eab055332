import type { RedactionPatternSource, RedactionRuleName } from '../../config/index.js';
import { isCardNumber } from './luhn.js';
import { ANY_KEY, parseRedactionPath } from './parse-redaction-path.js';
import { DEFAULT_SENSITIVE_KEYS, normalizeKey, SENSITIVE_KEY_SUFFIXES } from './sensitive-keys.js';
import { createValueRules, type ValueRule } from './value-rules.js';

/** Everything a redaction policy is compiled from (Config.logging, plus the output limits). */
export interface RedactionPolicyOptions {
  readonly censor?: string;
  readonly disabledRules?: readonly RedactionRuleName[];
  readonly keys?: readonly string[];
  readonly keepKeys?: readonly string[];
  readonly paths?: readonly string[];
  readonly patterns?: readonly RedactionPatternSource[];
  readonly maxDepth?: number;
  readonly maxStringLength?: number;
  /** Errors' stacks as arrays of lines (pretty output), as Powertools does in dev mode. */
  readonly stackAsLines?: boolean;
}

/**
 * One compiled redaction policy. Every method returns a new, JSON-safe value and never throws;
 * the input is never mutated.
 */
export interface RedactionPolicy {
  readonly censor: string;
  /** A redacted, JSON-safe copy of any value; paths are matched from the value itself. */
  redact(value: unknown): unknown;
  /** A string with every value rule applied, cut at the length limit. */
  redactString(text: string): string;
  /**
   * Writes one top-level entry of a log line into `out`: the censor text when the key or a
   * one-segment path matches, the redacted value otherwise, nothing when JSON would drop it.
   * A key holding a secret (an e-mail address) is itself rewritten.
   */
  putEntry(out: Record<string, unknown>, key: string, value: unknown): void;
  /** Whether values under this key are always redacted. */
  isSensitiveKey(key: string): boolean;
}

export const MARKERS = {
  circular: '[Circular]',
  maxDepth: '[Max depth]',
  unreadable: '[Unreadable]',
} as const;

interface PathNode {
  readonly next: Map<string, PathNode>;
  any: PathNode | undefined;
  terminal: boolean;
}

const createNode = (): PathNode => ({ next: new Map(), any: undefined, terminal: false });

function compilePaths(paths: readonly string[]): PathNode | undefined {
  if (paths.length === 0) return undefined;
  const root = createNode();
  for (const path of paths) {
    const segments = parseRedactionPath(path);
    if (segments === undefined) continue; // validated by the config; skipped defensively
    let node = root;
    for (const segment of segments) {
      if (segment === ANY_KEY) {
        node.any ??= createNode();
        node = node.any;
      } else {
        let child = node.next.get(segment);
        if (child === undefined) {
          child = createNode();
          node.next.set(segment, child);
        }
        node = child;
      }
    }
    node.terminal = true;
  }
  return root;
}

/** Returned by `stepPaths` when a path ends at this key. */
const TERMINAL: unique symbol = Symbol('terminal');

/** The path nodes active below `key`, TERMINAL when a path ends here, undefined when none. */
function stepPaths(nodes: readonly PathNode[], key: string): PathNode[] | typeof TERMINAL | undefined {
  let active: PathNode[] | undefined;
  for (const node of nodes) {
    for (const next of [node.next.get(key), node.any]) {
      if (next === undefined) continue;
      if (next.terminal) return TERMINAL;
      if (active === undefined) active = [next];
      else active.push(next);
    }
  }
  return active;
}

// The key cache is cleared when full, so memory stays bounded whatever keys the app logs
// (DESIGN decision 4); real apps log a few hundred distinct keys and never reach it.
const KEY_CACHE_LIMIT = 4096;

/** Returned by a key classifier for a key whose value must be censored. */
const SENSITIVE: unique symbol = Symbol('sensitive');

/**
 * Compiles the key rules into a classifier: SENSITIVE, or the key as it may be written (keys
 * go through the value rules too, since apps key maps by e-mail address or card number).
 */
function compileKeyClassifier(
  enabled: boolean,
  extraKeys: readonly string[],
  keepKeys: readonly string[],
  rewriteKey: (key: string) => string,
): (key: string) => string | typeof SENSITIVE {
  const exact = new Set(enabled ? DEFAULT_SENSITIVE_KEYS : []);
  const suffixes = enabled ? SENSITIVE_KEY_SUFFIXES : [];
  const kept = new Set(keepKeys.map(normalizeKey));
  for (const key of kept) exact.delete(key);
  const extra = new Set(extraKeys.map(normalizeKey));
  // Normalising and scanning a key costs a lower-casing and several regular expressions; log
  // lines repeat the same few keys, so each key's verdict is computed once and cached.
  const cache = new Map<string, string | typeof SENSITIVE>();
  const classify = (key: string): string | typeof SENSITIVE => {
    const normalized = normalizeKey(key);
    if (extra.has(normalized) || exact.has(normalized)) return SENSITIVE;
    if (!kept.has(normalized)) {
      for (const suffix of suffixes) if (normalized.endsWith(suffix)) return SENSITIVE;
    }
    return rewriteKey(key);
  };
  return (key) => {
    const cached = cache.get(key);
    if (cached !== undefined) return cached;
    const verdict = classify(key);
    if (cache.size >= KEY_CACHE_LIMIT) cache.clear();
    cache.set(key, verdict);
    return verdict;
  };
}

// How far past the length limit a string is scanned before it is cut, so that a secret
// straddling the limit is still recognised whole and censored rather than half-shown.
const SCAN_MARGIN = 256;

function isTokenChar(code: number): boolean {
  return (
    (code >= 48 && code <= 57) || // 0-9
    (code >= 65 && code <= 90) || // A-Z
    (code >= 97 && code <= 122) || // a-z
    code === 43 || // +
    code === 45 || // -
    code === 46 || // .
    code === 47 || // /
    code === 61 || // =
    code === 95 // _
  );
}

/** Sets a property even when it is named `__proto__`, which plain assignment would not. */
function setEntry(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') {
    Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  } else {
    target[key] = value;
  }
}

/** Finds `file:line` in the first stack frame that has one, as Powertools' `location` does. */
function getCodeLocation(stack: string): string {
  for (const line of stack.split('\n')) {
    const match = /\(([^()]*?):(\d+):\d+\)$/.exec(line.trimEnd());
    if (match) return `${match[1]}:${match[2]}`;
  }
  return '';
}

/**
 * Compiles a redaction policy once (at init): the sensitive-key set, the path trie and the
 * value rules. The per-line path is then one walk over the value, building a JSON-safe copy.
 *
 * @example
 * const policy = createRedactionPolicy({ paths: ['user.*.ssn'] });
 * policy.redact({ password: 'x', note: 'mail jane@example.com' });
 * // { password: '[REDACTED]', note: 'mail ja***@example.com' }
 */
export function createRedactionPolicy(options: RedactionPolicyOptions = {}): RedactionPolicy {
  const censor = options.censor ?? '[REDACTED]';
  const disabled = new Set<string>(options.disabledRules ?? []);
  const maxDepth = options.maxDepth ?? 16;
  const maxStringLength = options.maxStringLength ?? 10_000;
  const stackAsLines = options.stackAsLines ?? false;
  const rootPaths = compilePaths(options.paths ?? []);
  const rootNodes: readonly PathNode[] | undefined = rootPaths ? [rootPaths] : undefined;
  const rules: readonly ValueRule[] = createValueRules(censor, disabled, options.patterns ?? []);
  // Strings shorter than every rule's shortest match are returned as they are: most values in
  // a log line (ids, names, short messages) never reach a regular expression.
  const minRuleLength = rules.reduce((min, rule) => Math.min(min, rule.minLength), Number.POSITIVE_INFINITY);
  const cardRuleOn = !disabled.has('card-number');
  // Ancestors of the value being walked, for cycle detection. Shared by every walk of this
  // policy: a walk restores the length it found, so a nested walk (a getter that logs) is safe.
  const ancestors: object[] = [];

  function applyRules(text: string): string {
    if (text.length < minRuleLength) return text;
    let out = text;
    for (const rule of rules) {
      if (out.length < rule.minLength) continue;
      if (rule.mayMatch !== undefined && !rule.mayMatch(out)) continue;
      out = rule.apply(out);
    }
    return out;
  }

  const classifyKey = compileKeyClassifier(
    !disabled.has('sensitive-keys'),
    options.keys ?? [],
    options.keepKeys ?? [],
    (key) => redactString(key),
  );

  function redactString(text: string): string {
    if (text.length <= maxStringLength) return applyRules(text);
    const scanned = applyRules(text.slice(0, maxStringLength + SCAN_MARGIN));
    let end = Math.min(maxStringLength, scanned.length);
    // Drop a token cut in half at the limit: the start of a secret too long to recognise
    // inside the margin must not be shown.
    if (end < scanned.length && isTokenChar(scanned.charCodeAt(end))) {
      while (end > 0 && isTokenChar(scanned.charCodeAt(end - 1))) end -= 1;
    }
    return `${scanned.slice(0, end)}…[truncated, ${text.length} chars]`;
  }

  function redactNumber(value: number): unknown {
    // A card number stored as a number; only 13-19 digit integers can be one.
    if (cardRuleOn && value >= 1e12 && value < 1e19 && Number.isInteger(value) && isCardNumber(String(value)))
      return censor;
    return value;
  }

  /**
   * Writes one property into `out`: the censor text when its key or a path says so, the
   * redacted value otherwise, nothing when JSON would drop it.
   */
  function putChild(
    out: Record<string, unknown>,
    key: string,
    value: unknown,
    depth: number,
    nodes: readonly PathNode[] | undefined,
  ): void {
    if (value === undefined) return;
    const outKey = classifyKey(key);
    if (outKey === SENSITIVE) {
      setEntry(out, key, censor);
      return;
    }
    let walked: unknown;
    if (nodes === undefined) {
      walked = walk(value, depth, undefined);
    } else {
      const next = stepPaths(nodes, key);
      walked = next === TERMINAL ? censor : walk(value, depth, next);
    }
    if (walked !== undefined) setEntry(out, outKey, walked);
  }

  function readProperty(source: object, key: string): unknown {
    try {
      return (source as Record<string, unknown>)[key];
    } catch {
      return MARKERS.unreadable;
    }
  }

  function walkObjectKeys(
    source: object,
    keys: readonly string[],
    depth: number,
    nodes: readonly PathNode[] | undefined,
    out: Record<string, unknown>,
  ): Record<string, unknown> {
    for (const key of keys) putChild(out, key, readProperty(source, key), depth + 1, nodes);
    return out;
  }

  function walkError(error: Error, depth: number, nodes: readonly PathNode[] | undefined): unknown {
    const name = readProperty(error, 'name');
    const message = readProperty(error, 'message');
    const rawStack = readProperty(error, 'stack');
    const stack = typeof rawStack === 'string' ? redactString(rawStack) : undefined;
    const out: Record<string, unknown> = {
      name: typeof name === 'string' ? redactString(name) : 'Error',
      location: stack === undefined ? '' : getCodeLocation(stack),
      message: redactString(typeof message === 'string' ? message : String(message ?? '')),
    };
    if (stack !== undefined) out.stack = stackAsLines ? stack.split('\n') : stack;
    putChild(out, 'cause', readProperty(error, 'cause'), depth + 1, nodes);
    // AggregateError keeps its errors in an own, non-enumerable property.
    const errors = readProperty(error, 'errors');
    if (Array.isArray(errors)) putChild(out, 'errors', errors, depth + 1, nodes);
    const keys = Object.keys(error).filter(
      (key) => key !== 'name' && key !== 'message' && key !== 'stack' && key !== 'cause' && key !== 'errors',
    );
    return walkObjectKeys(error, keys, depth, nodes, out);
  }

  function walkMap(
    map: Map<unknown, unknown>,
    depth: number,
    nodes: readonly PathNode[] | undefined,
  ): unknown {
    const entries = Array.from(map);
    const primitiveKeys = entries.every(([key]) => typeof key === 'string' || typeof key === 'number');
    if (primitiveKeys) {
      const out: Record<string, unknown> = {};
      for (const [key, value] of entries) putChild(out, String(key), value, depth + 1, nodes);
      return out;
    }
    return entries.map(([key, value]) => [
      walk(key, depth + 1, undefined),
      walk(value, depth + 1, undefined),
    ]);
  }

  function walkArray(
    array: readonly unknown[],
    depth: number,
    nodes: readonly PathNode[] | undefined,
  ): unknown {
    const out = new Array<unknown>(array.length);
    for (let index = 0; index < array.length; index += 1) {
      let item: unknown;
      try {
        item = array[index];
      } catch {
        item = MARKERS.unreadable;
      }
      let walked: unknown;
      if (nodes === undefined) {
        walked = walk(item, depth + 1, undefined);
      } else {
        const next = stepPaths(nodes, String(index));
        walked = next === TERMINAL ? censor : walk(item, depth + 1, next);
      }
      // JSON writes null for a hole, undefined, a function or a symbol in an array.
      out[index] = walked === undefined ? null : walked;
    }
    return out;
  }

  function walkObject(value: object, depth: number, nodes: readonly PathNode[] | undefined): unknown {
    if (Array.isArray(value)) return walkArray(value, depth, nodes);
    if (value instanceof Error) return walkError(value, depth, nodes);
    if (value instanceof Date) {
      const time = value.getTime();
      return Number.isNaN(time) ? 'Invalid Date' : value.toISOString();
    }
    // Binary data is summarised: dumping it would be large and could carry secrets the string
    // rules cannot see.
    if (ArrayBuffer.isView(value)) {
      const kind = Buffer.isBuffer(value) ? 'Buffer' : value.constructor.name;
      return `[${kind}: ${value.byteLength} bytes]`;
    }
    if (value instanceof ArrayBuffer) return `[ArrayBuffer: ${value.byteLength} bytes]`;
    if (value instanceof Map) return walkMap(value, depth, nodes);
    if (value instanceof Set) return walkArray(Array.from(value), depth, nodes);
    if (value instanceof RegExp) return redactString(String(value));
    const toJSON = (value as { toJSON?: unknown }).toJSON;
    if (typeof toJSON === 'function') {
      const json: unknown = toJSON.call(value);
      if (json !== value) return walk(json, depth, nodes);
    }
    return walkObjectKeys(value, Object.keys(value), depth, nodes, {});
  }

  function walk(value: unknown, depth: number, nodes: readonly PathNode[] | undefined): unknown {
    switch (typeof value) {
      case 'string':
        return redactString(value);
      case 'number':
        return redactNumber(value);
      case 'boolean':
        return value;
      case 'bigint':
        return redactString(value.toString());
      case 'undefined':
      case 'function':
      case 'symbol':
        return undefined;
    }
    if (value === null) return null;
    const object = value as object;
    if (depth >= maxDepth) return MARKERS.maxDepth;
    if (ancestors.includes(object)) return MARKERS.circular;
    const mark = ancestors.length;
    ancestors.push(object);
    try {
      return walkObject(object, depth, nodes);
    } catch {
      // A proxy whose traps throw, a toJSON that throws, a Map subclass that breaks iteration.
      return MARKERS.unreadable;
    } finally {
      ancestors.length = mark;
    }
  }

  return {
    censor,
    redact: (value) => {
      try {
        return walk(value, 0, rootNodes);
      } catch {
        return MARKERS.unreadable;
      }
    },
    redactString: (text) => {
      try {
        return redactString(text);
      } catch {
        return MARKERS.unreadable;
      }
    },
    putEntry: (out, key, value) => {
      try {
        putChild(out, key, value, 1, rootNodes);
      } catch {
        setEntry(out, key, MARKERS.unreadable);
      }
    },
    isSensitiveKey: (key) => classifyKey(key) === SENSITIVE,
  };
}
