import type { RedactionPatternSource, RedactionRuleName } from '../../config/index.js';
import { ANY_KEY, parseRedactionPath } from '../../config/parse-redaction-path.js';
import { jsonNumberBytes, jsonStringBytes } from './json-bytes.js';
import { isCardNumber } from './luhn.js';
import { DEFAULT_SENSITIVE_KEYS, normalizeKey, SENSITIVE_KEY_SUFFIXES } from './sensitive-keys.js';
import { decodePercentEscapes, redactUrlParts, redactUserinfo } from './url-rules.js';
import { createValueRules, type ValueRule } from './value-rules.js';

const UUID_LENGTH = 36;
const CANONICAL_UUID = /^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}$/;

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
  /** Values (objects, arrays, strings, numbers, …) walked per line; past it the line is cut. */
  readonly maxLineValues?: number;
  /** Bytes of JSON per line; past it the line is cut. */
  readonly maxLineBytes?: number;
  /** Errors' stacks as arrays of lines (pretty output), as Powertools does in dev mode. */
  readonly stackAsLines?: boolean;
}

/**
 * One line being redacted: every entry put through it shares one set of visited objects (an
 * object is written once per line, then marked) and one value and byte budget.
 */
export interface RedactionLine {
  /** Writes one top-level entry, as `RedactionPolicy.putEntry` does, within the line's budget. */
  put(out: Record<string, unknown>, key: string, value: unknown): void;
  /** Why the line was cut (a budget ran out), or undefined while everything fitted. */
  readonly cut: string | undefined;
  /** Ends the line; it must not be used afterwards. */
  finish(): void;
}

/**
 * One compiled redaction policy. Every method returns a new, JSON-safe value and never throws;
 * the input is never mutated.
 */
export interface RedactionPolicy {
  readonly censor: string;
  /** The byte budget of one line, the value Lookout's lines are kept under. */
  readonly maxLineBytes: number;
  /** The length past which `redactString` cuts a string (`logging.maxStringLength`). */
  readonly maxStringLength: number;
  /** A redacted, JSON-safe copy of any value, within one line's budget. */
  redact(value: unknown): unknown;
  /** A string with every value rule applied, cut at the length limit. */
  redactString(text: string): string;
  /**
   * A URL, path or query string with the values of sensitive parameters censored (the censor
   * percent-encoded, so the URL stays valid), its userinfo censored and every value rule
   * applied: what an access log or a span's `url.*` attribute needs.
   */
  redactUrl(text: string): string;
  /** A header value: the censor text when the header's name is sensitive, else redacted. */
  redactHeader(name: string, value: string): string;
  /**
   * Writes one top-level entry of a log line into `out`: the censor text when the key or a
   * one-segment path matches, the redacted value otherwise, nothing when JSON would drop it.
   * A key holding a secret (an e-mail address) is itself rewritten. One call is one line;
   * use `startLine` to share a line between several entries.
   */
  putEntry(out: Record<string, unknown>, key: string, value: unknown): void;
  /**
   * Starts a line whose entries share the visited set and the budgets. `reservedBytes` is
   * what the caller writes besides these entries (message, timestamp, ids).
   */
  startLine(reservedBytes?: number): RedactionLine;
  /** Whether values under this key are always redacted. */
  isSensitiveKey(key: string): boolean;
}

export const MARKERS = {
  circular: '[Circular]',
  repeated: '[Repeated]',
  maxDepth: '[Max depth]',
  unreadable: '[Unreadable]',
  truncated: '[Truncated]',
} as const;

/** Defaults of the per-line budgets (docs/decisions/0015-log-line-budgets.md). */
export const LINE_BUDGET_DEFAULTS = {
  maxLineValues: 20_000,
  maxLineBytes: 256_000,
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

/** The bytes of a `"key":` prefix and the comma before the next entry. */
const keyBytes = (key: string): number => jsonStringBytes(key) + 2;

// The key cache is cleared when full, so memory stays bounded whatever keys the app logs
// (docs/design.md decision 4); real apps log a few hundred distinct keys and never reach it.
const KEY_CACHE_LIMIT = 4096;
// Nor are long keys kept: the cache holds each key and its written form, and keys taken from a
// request (a JSON body's member names) can be as long as the body; 4096 of 100 KB held 400 MB.
// Real keys are short; a longer one is judged again each time, in time linear in its length.
const MAX_CACHED_KEY_LENGTH = 256;

/** Returned by a key classifier for a key whose value must be censored. */
const SENSITIVE: unique symbol = Symbol('sensitive');

/** Compiles the key rules into a test on a key's normalised form. */
function compileSensitiveName(
  enabled: boolean,
  extraKeys: readonly string[],
  keepKeys: readonly string[],
): (name: string) => boolean {
  const exact = new Set(enabled ? DEFAULT_SENSITIVE_KEYS : []);
  const suffixes = enabled ? SENSITIVE_KEY_SUFFIXES : [];
  const kept = new Set(keepKeys.map(normalizeKey));
  for (const key of kept) exact.delete(key);
  const extra = new Set(extraKeys.map(normalizeKey));
  return (name) => {
    const normalized = normalizeKey(name);
    if (extra.has(normalized) || exact.has(normalized)) return true;
    if (kept.has(normalized)) return false;
    for (const suffix of suffixes) if (normalized.endsWith(suffix)) return true;
    return false;
  };
}

/** How a key may be written: the (possibly rewritten) key and the bytes of its `"key":` prefix. */
interface WritableKey {
  readonly key: string;
  readonly bytes: number;
}

/**
 * Caches a key classifier: SENSITIVE, or the key as it may be written (keys go through the
 * value rules too, since apps key maps by e-mail address or card number) with its size.
 */
function cacheKeyClassifier(
  isSensitiveName: (name: string) => boolean,
  rewriteKey: (key: string) => string,
): (key: string) => WritableKey | typeof SENSITIVE {
  // Normalising and scanning a key costs a lower-casing and several regular expressions; log
  // lines repeat the same few keys, so each key's verdict is computed once and cached.
  const cache = new Map<string, WritableKey | typeof SENSITIVE>();
  return (key) => {
    const cached = cache.get(key);
    if (cached !== undefined) return cached;
    let verdict: WritableKey | typeof SENSITIVE = SENSITIVE;
    if (!isSensitiveName(key)) {
      const written = rewriteKey(key);
      verdict = { key: written, bytes: keyBytes(written) };
    }
    if (key.length > MAX_CACHED_KEY_LENGTH) return verdict;
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

/** The value inside a Number, Boolean or BigInt object; undefined for any other object. */
function unboxed(value: object): number | boolean | bigint | undefined {
  if (value instanceof Number) return Number.prototype.valueOf.call(value);
  if (value instanceof Boolean) return Boolean.prototype.valueOf.call(value);
  if (value instanceof BigInt) return BigInt.prototype.valueOf.call(value);
  return undefined;
}

/**
 * An error's message that is not a string, as a string: its String() form, or the unreadable
 * marker when even that throws (an object whose `toString` is no function, copied from parsed
 * JSON), so that the error's name, stack and cause are still written.
 */
function messageText(message: unknown): string {
  try {
    return String(message ?? '');
  } catch {
    return MARKERS.unreadable;
  }
}

/**
 * Whether an object that is no `instanceof Error` here is an Error all the same, made in another
 * realm (code run in a `vm` context): its message and stack are not enumerable, so walked as a
 * plain object it was written `{}`. A plain object, the usual case, is told apart by its
 * prototype before the brand is read.
 *
 * @example
 * isErrorOfAnotherRealm(runInNewContext('new Error("x")')); // true
 */
export function isErrorOfAnotherRealm(value: object): boolean {
  const prototype: unknown = Object.getPrototypeOf(value);
  return (
    prototype !== Object.prototype &&
    prototype !== null &&
    !(value instanceof Error) &&
    Object.prototype.toString.call(value) === '[object Error]'
  );
}

/** Finds `file:line` in the first stack frame that has one, as Powertools' `location` does. */
function getCodeLocation(stack: string): string {
  for (const line of stack.split('\n')) {
    const match = /\(([^()]*?):(\d+):\d+\)$/.exec(line.trimEnd());
    if (match) return `${match[1]}:${match[2]}`;
  }
  return '';
}

// Kept back from every line's byte budget so that the cut can always be marked: the marker
// where the walk stopped and, for log lines, the `lookout_truncated` entry.
const MARKER_BYTES = jsonStringBytes(MARKERS.truncated) + 1;
const LINE_MARKER_RESERVE = 128;

/** How a container met during a walk stands: first meeting, inside itself, or met before. */
const FIRST_MEETING = 0;
const CIRCULAR = 1;
const REPEATED = 2;
type Meeting = typeof FIRST_MEETING | typeof CIRCULAR | typeof REPEATED;

// A line visits few containers (a handful of objects and arrays): a linear scan of an array
// beats a Set there and allocates nothing per line. Past this many, a Set takes over, so a
// graph of thousands of objects stays linear.
const LINEAR_VISITED_LIMIT = 32;

/** What one line has left, and the containers it has visited. Reused from line to line. */
class LineState {
  // A fixed array and a count, so that starting a line writes a few slots instead of
  // shrinking arrays (a runtime call on every line).
  readonly #visited: (object | undefined)[] = new Array(LINEAR_VISITED_LIMIT).fill(undefined);
  #visitedCount = 0;
  #visitedSet: Set<object> | undefined;
  /** Containers being walked, outermost first: at most maxDepth of them. */
  readonly #ancestors: object[] = [];
  values = 0;
  /** Bytes left, with the strings not yet measured counted at their smallest JSON size. */
  bytes = 0;
  /**
   * Characters of the strings counted at their smallest size (one byte each) and not measured
   * yet: each may take up to six bytes once escaped, so up to 5 x slack more bytes may be used
   * than `bytes` says. `settle()` measures them.
   */
  slack = 0;
  readonly #unmeasured: (string | undefined)[] = [];
  #unmeasuredCount = 0;
  cutBy: 'values' | 'bytes' | undefined;

  /** Counts a string at its smallest JSON size, to be measured only if the line nears its limit. */
  countUnmeasured(text: string, bytesAfter: number): void {
    this.bytes = bytesAfter;
    this.slack += text.length;
    this.#unmeasured[this.#unmeasuredCount] = text;
    this.#unmeasuredCount += 1;
  }

  /** Measures the strings counted at their smallest size: `bytes` becomes exact, slack 0. */
  settle(): void {
    for (let index = 0; index < this.#unmeasuredCount; index += 1) {
      const text = this.#unmeasured[index] as string;
      this.bytes -= jsonStringBytes(text) - text.length - 2;
      this.#unmeasured[index] = undefined;
    }
    this.#unmeasuredCount = 0;
    this.slack = 0;
  }

  /** Records a meeting with a container; a first meeting also enters it (see `leave`). */
  meet(value: object): Meeting {
    if (this.#visitedSet !== undefined) {
      if (this.#visitedSet.has(value)) return this.#ancestors.includes(value) ? CIRCULAR : REPEATED;
      this.#visitedSet.add(value);
    } else {
      for (let index = 0; index < this.#visitedCount; index += 1)
        if (this.#visited[index] === value) return this.#ancestors.includes(value) ? CIRCULAR : REPEATED;
      if (this.#visitedCount < LINEAR_VISITED_LIMIT) {
        this.#visited[this.#visitedCount] = value;
        this.#visitedCount += 1;
      } else {
        this.#visitedSet = new Set(this.#visited as object[]);
        this.#visitedSet.add(value);
      }
    }
    this.#ancestors.push(value);
    return FIRST_MEETING;
  }

  /** Leaves the container entered last. */
  leave(): void {
    this.#ancestors.pop();
  }

  /** Forgets every object, so the line holds on to nothing of the app's between calls. */
  reset(values: number, bytes: number): void {
    for (let index = 0; index < this.#visitedCount; index += 1) this.#visited[index] = undefined;
    this.#visitedCount = 0;
    for (let index = 0; index < this.#unmeasuredCount; index += 1) this.#unmeasured[index] = undefined;
    this.#unmeasuredCount = 0;
    this.#visitedSet = undefined;
    if (this.#ancestors.length > 0) this.#ancestors.length = 0;
    this.values = values;
    this.bytes = bytes;
    this.slack = 0;
    this.cutBy = undefined;
  }
}

/**
 * Compiles a redaction policy once (at init): the sensitive-key set, the path trie and the
 * value rules. The per-line path is then one walk over the value, building a JSON-safe copy.
 *
 * The walk's cost is bounded by the input's size, never by its shape (docs/decisions/
 * 0015-log-line-budgets.md): each object is visited once per line (a second reference is
 * written as `"[Repeated]"`, a reference to an ancestor as `"[Circular]"`), and a line stops
 * at a value budget and a byte budget, marked `"[Truncated]"` where it stopped.
 *
 * @example
 * const policy = createRedactionPolicy({ paths: ['user.*.ssn'] });
 * policy.redact({ password: 'x', note: 'mail jane@example.com' });
 * // { password: '[REDACTED]', note: 'mail ja***@example.com' }
 */
export function createRedactionPolicy(options: RedactionPolicyOptions = {}): RedactionPolicy {
  const censor = options.censor ?? '[REDACTED]';
  const censorBytes = jsonStringBytes(censor);
  const disabled = new Set<string>(options.disabledRules ?? []);
  const maxDepth = options.maxDepth ?? 16;
  const maxStringLength = options.maxStringLength ?? 10_000;
  const maxLineValues = options.maxLineValues ?? LINE_BUDGET_DEFAULTS.maxLineValues;
  const maxLineBytes = options.maxLineBytes ?? LINE_BUDGET_DEFAULTS.maxLineBytes;
  const stackAsLines = options.stackAsLines ?? false;
  const rootPaths = compilePaths(options.paths ?? []);
  const rootNodes: readonly PathNode[] | undefined = rootPaths ? [rootPaths] : undefined;
  const isSensitiveName = compileSensitiveName(
    !disabled.has('sensitive-keys'),
    options.keys ?? [],
    options.keepKeys ?? [],
  );
  const rules: readonly ValueRule[] = createValueRules(
    censor,
    disabled,
    options.patterns ?? [],
    isSensitiveName,
  );
  const urlRuleOn = !disabled.has('url-credentials');
  const encodedCensor = encodeURIComponent(censor);
  // Strings shorter than every rule's shortest match are returned as they are: most values in
  // a log line (ids, names, short messages) never reach a regular expression.
  const minRuleLength = rules.reduce((min, rule) => Math.min(min, rule.minLength), Number.POSITIVE_INFINITY);
  // Most strings in a line are short ids and words. Below the shortest rule that can match
  // without any particular character (a card number, a Bearer token, a user pattern), a string
  // with none of the other rules' trigger characters (nor `%`) is returned after one scan.
  const untriggeredLength = rules.reduce(
    (min, rule) => (rule.triggers === undefined ? Math.min(min, rule.minLength) : min),
    Number.POSITIVE_INFINITY,
  );
  const triggers = new Uint8Array(128);
  triggers[37] = 1; // %
  for (const rule of rules) for (const char of rule.triggers ?? '') triggers[char.charCodeAt(0)] = 1;
  const hasTrigger = (text: string): boolean => {
    for (let index = 0; index < text.length; index += 1) {
      const code = text.charCodeAt(index);
      if (code < 128 && triggers[code] === 1) return true;
    }
    return false;
  };
  const cardRuleOn = !disabled.has('card-number');
  // No built-in rule changes a UUID (the card rule keeps them; the others need a character or a
  // length a UUID does not have), so one test spares the request ids Lookout generates, written
  // on every line of a request, a pass of every rule. The app's own patterns may match one.
  const keepsUuids = (options.patterns ?? []).length === 0;

  function applyRulesOnce(text: string): string {
    let out = text;
    for (const rule of rules) {
      if (out.length < rule.minLength) continue;
      if (rule.mayMatch !== undefined && !rule.mayMatch(out)) continue;
      out = rule.apply(out);
    }
    return out;
  }

  function applyRules(text: string): string {
    if (text.length < minRuleLength) return text;
    if (text.length === UUID_LENGTH && keepsUuids && CANONICAL_UUID.test(text)) return text;
    if (text.length < untriggeredLength && !hasTrigger(text)) return text;
    const out = applyRulesOnce(text);
    // A secret may be percent-encoded (`jane%40example.com` in a path, `Bearer%20…` in a
    // query). The rules run again on the decoded text; when they find something there, the
    // decoded, redacted text is written. Otherwise the text keeps its encoding.
    const decoded = decodePercentEscapes(out);
    if (decoded === undefined) return out;
    const redactedDecoded = applyRulesOnce(decoded);
    return redactedDecoded === decoded ? out : redactedDecoded;
  }

  const classifyKey = cacheKeyClassifier(isSensitiveName, (key) => redactString(key));

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

  function redactUrl(text: string): string {
    // A URL past the length limit is cut like any string; a URL's parts are not worth keeping
    // apart once it is cut.
    if (!urlRuleOn || text.length > maxStringLength) return redactString(text);
    // Part by part, so the URL stays valid: sensitive parameters get the censor
    // percent-encoded, a secret found in a decoded part is re-encoded with its redaction.
    return redactUrlParts(redactUserinfo(text, censor), isSensitiveName, encodedCensor, applyRules);
  }

  function isCensoredNumber(value: number): boolean {
    // A card number stored as a number; only 13-19 digit integers can be one.
    return (
      cardRuleOn && value >= 1e12 && value < 1e19 && Number.isInteger(value) && isCardNumber(String(value))
    );
  }

  // ---- budgets -------------------------------------------------------------------------------

  function cutLine(line: LineState, reason: 'values' | 'bytes'): string {
    line.cutBy = reason;
    line.bytes -= MARKER_BYTES; // kept back for this marker
    return MARKERS.truncated;
  }

  /**
   * Whether `bytes` more fit the line. The strings counted at their smallest size are assumed
   * at their largest; when that is what stands in the way, they are measured first.
   */
  function fits(line: LineState, bytes: number): boolean {
    if (bytes <= line.bytes - 5 * line.slack) return true;
    if (line.slack === 0) return false;
    line.settle();
    return bytes <= line.bytes;
  }

  /** Counts a leaf of `bytes` against the line; the marker instead when it does not fit. */
  function leaf<T>(line: LineState, value: T, bytes: number): T | string {
    if (!fits(line, bytes)) return cutLine(line, 'bytes');
    line.bytes -= bytes;
    return value;
  }

  /**
   * Counts a string against the line. Far from the limit it is counted at its smallest JSON
   * size (its length and two quotes) and measured only if the line comes near its limit: most
   * lines never do, and scanning every string of every line would cost more than the walk.
   * Near the limit it is measured exactly. The budget holds either way.
   */
  function stringLeaf(line: LineState, text: string): string {
    const length = text.length;
    const after = line.bytes - length - 2;
    if (after > 5 * (line.slack + length)) {
      line.countUnmeasured(text, after);
      return text;
    }
    return leaf(line, text, jsonStringBytes(text));
  }

  // ---- the walk ------------------------------------------------------------------------------

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
    line: LineState,
  ): void {
    if (line.cutBy !== undefined) return;
    if (value === undefined) {
      // Dropped, as JSON drops it, but counted: a million undefined fields still cost a walk.
      if (--line.values < 0) cutLine(line, 'values');
      return;
    }
    const verdict = classifyKey(key);
    if (verdict === SENSITIVE) {
      // Rare enough (a few keys a line at most) to measure the key each time.
      const bytes = keyBytes(key) + censorBytes;
      if (!fits(line, bytes)) {
        cutLine(line, 'bytes');
        return;
      }
      line.bytes -= bytes;
      line.values -= 1;
      setEntry(out, key, censor);
      return;
    }
    const prefix = verdict.bytes;
    if (!fits(line, prefix)) {
      cutLine(line, 'bytes');
      return;
    }
    line.bytes -= prefix;
    let walked: unknown;
    if (nodes === undefined) {
      walked = walk(value, depth, undefined, line);
    } else {
      const next = stepPaths(nodes, key);
      walked = next === TERMINAL ? leaf(line, censor, censorBytes) : walk(value, depth, next, line);
    }
    if (walked === undefined) line.bytes += prefix;
    else setEntry(out, verdict.key, walked);
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
    line: LineState,
  ): Record<string, unknown> {
    for (const key of keys) {
      if (line.cutBy !== undefined) break;
      putChild(out, key, readProperty(source, key), depth + 1, nodes, line);
    }
    return out;
  }

  function walkError(
    error: Error,
    depth: number,
    nodes: readonly PathNode[] | undefined,
    line: LineState,
  ): unknown {
    const name = readProperty(error, 'name');
    const message = readProperty(error, 'message');
    const rawStack = readProperty(error, 'stack');
    const stack = typeof rawStack === 'string' ? redactString(rawStack) : undefined;
    const fields: Record<string, unknown> = {
      name: typeof name === 'string' ? redactString(name) : 'Error',
      location: stack === undefined ? '' : getCodeLocation(stack),
      message: redactString(typeof message === 'string' ? message : messageText(message)),
    };
    if (stack !== undefined) fields.stack = stackAsLines ? stack.split('\n') : stack;
    const out: Record<string, unknown> = {};
    // The fixed fields are Lookout's own strings, already redacted: only their size is counted.
    for (const key in fields) {
      const value = fields[key];
      const bytes =
        keyBytes(key) +
        (Array.isArray(value)
          ? value.reduce((sum: number, part: string) => sum + jsonStringBytes(part) + 1, 2)
          : jsonStringBytes(value as string));
      if (!fits(line, bytes)) {
        cutLine(line, 'bytes');
        out[key] = MARKERS.truncated;
        return out;
      }
      line.bytes -= bytes;
      out[key] = value;
    }
    putChild(out, 'cause', readProperty(error, 'cause'), depth + 1, nodes, line);
    // AggregateError keeps its errors in an own, non-enumerable property. Any other `errors`
    // (a validation error's map of paths to errors, as Mongoose's) is an own field like the rest.
    const errors = readProperty(error, 'errors');
    const listed = Array.isArray(errors);
    if (listed) putChild(out, 'errors', errors, depth + 1, nodes, line);
    const keys = Object.keys(error).filter(
      (key) =>
        key !== 'name' &&
        key !== 'message' &&
        key !== 'stack' &&
        key !== 'cause' &&
        (key !== 'errors' || !listed),
    );
    return walkObjectKeys(error, keys, depth, nodes, out, line);
  }

  /** The name a Map key is judged by, when it has one: strings, numbers, a symbol's description. */
  function nameOfMapKey(key: unknown): string | undefined {
    switch (typeof key) {
      case 'string':
        return key;
      case 'number':
      case 'bigint':
      case 'boolean':
        return String(key);
      case 'symbol':
        return key.description;
      default:
        return undefined;
    }
  }

  function walkMap(
    map: Map<unknown, unknown>,
    depth: number,
    nodes: readonly PathNode[] | undefined,
    line: LineState,
  ): unknown {
    // The internal slots are read through Map.prototype, so a subclass or an own `entries`
    // cannot change what is walked. Only as many keys are scanned as the budget can write.
    let primitiveKeys = true;
    let scanned = 0;
    for (const key of Map.prototype.keys.call(map)) {
      if (typeof key !== 'string' && typeof key !== 'number') {
        primitiveKeys = false;
        break;
      }
      if (++scanned > line.values) break;
    }
    if (primitiveKeys) {
      const out: Record<string, unknown> = {};
      for (const [key, value] of Map.prototype.entries.call(map) as IterableIterator<[unknown, unknown]>) {
        if (line.cutBy !== undefined) break;
        putChild(out, String(key), value, depth + 1, nodes, line);
      }
      return out;
    }
    // Pairs, when a key is an object: each key still decides whether its value is censored.
    const pairs: unknown[] = [];
    for (const [key, value] of Map.prototype.entries.call(map) as IterableIterator<[unknown, unknown]>) {
      if (line.cutBy !== undefined) break;
      if (!fits(line, 3)) {
        pairs.push(cutLine(line, 'bytes'));
        break;
      }
      line.bytes -= 3; // [ , ]
      const name = nameOfMapKey(key);
      const walkedKey =
        typeof key === 'symbol'
          ? stringLeaf(line, redactString(String(key)))
          : walk(key, depth + 1, undefined, line);
      const walkedValue =
        name !== undefined && classifyKey(name) === SENSITIVE
          ? leaf(line, censor, censorBytes)
          : walk(value, depth + 1, undefined, line);
      pairs.push([walkedKey ?? null, walkedValue ?? null]);
      line.bytes -= 1; // comma
    }
    return pairs;
  }

  /** Walks array items (or a Set's values) in order, stopping where the line is cut. */
  function walkItems(
    items: Iterable<unknown> | readonly unknown[],
    depth: number,
    nodes: readonly PathNode[] | undefined,
    line: LineState,
  ): unknown[] {
    const out: unknown[] = [];
    let index = 0;
    const each = (item: unknown): boolean => {
      let walked: unknown;
      if (nodes === undefined) {
        walked = walk(item, depth + 1, undefined, line);
      } else {
        const next = stepPaths(nodes, String(index));
        walked = next === TERMINAL ? leaf(line, censor, censorBytes) : walk(item, depth + 1, next, line);
      }
      // JSON writes null for a hole, undefined, a function or a symbol in an array.
      out.push(walked === undefined ? leaf(line, null, 4) : walked);
      line.bytes -= 1; // comma
      index += 1;
      return line.cutBy === undefined;
    };
    if (Array.isArray(items)) {
      // Indexed, not iterated: the length an array claims is never allocated up front, and a
      // sparse array of 2^31 holes stops at the budget.
      const length = items.length;
      for (let at = 0; at < length; at += 1) {
        let item: unknown;
        try {
          item = items[at];
        } catch {
          item = MARKERS.unreadable;
        }
        if (!each(item)) break;
      }
    } else {
      for (const item of items) if (!each(item)) break;
    }
    return out;
  }

  /** Values that are written as one string whatever they hold: never marked as repeated. */
  function walkLeafObject(value: object, line: LineState): string | undefined {
    if (value instanceof Date) {
      const time = value.getTime();
      return stringLeaf(line, Number.isNaN(time) ? 'Invalid Date' : value.toISOString());
    }
    // Binary data is summarised: dumping it would be large and could carry secrets the string
    // rules cannot see.
    if (ArrayBuffer.isView(value)) {
      const kind = Buffer.isBuffer(value) ? 'Buffer' : value.constructor.name;
      return stringLeaf(line, `[${kind}: ${value.byteLength} bytes]`);
    }
    if (value instanceof ArrayBuffer) return stringLeaf(line, `[ArrayBuffer: ${value.byteLength} bytes]`);
    if (value instanceof RegExp) return stringLeaf(line, redactString(String(value)));
    return undefined;
  }

  function walkContainer(
    value: object,
    depth: number,
    nodes: readonly PathNode[] | undefined,
    line: LineState,
  ): unknown {
    if (Array.isArray(value)) return walkItems(value, depth, nodes, line);
    if (value instanceof Error) return walkError(value, depth, nodes, line);
    if (value instanceof Map) return walkMap(value, depth, nodes, line);
    if (value instanceof Set) return walkItems(Set.prototype.values.call(value), depth, nodes, line);
    if (isErrorOfAnotherRealm(value)) return walkError(value as Error, depth, nodes, line);
    // A boxed value is written as JSON writes it, as the value, through the same rules (its
    // characters one key each would be out of their reach). A String object is recognised
    // before its keys are listed: they are its indexes, one string per character, which for a
    // few MB of text cost seconds and hundreds of MB before any budget could stop the walk.
    if (value instanceof String) return walk(String.prototype.valueOf.call(value), depth, nodes, line);
    const keys = Object.keys(value);
    // Other boxed values have no own keys: only objects like that are looked at twice.
    if (keys.length === 0) {
      const primitive = unboxed(value);
      if (primitive !== undefined) return walk(primitive, depth, nodes, line);
    }
    return walkObjectKeys(value, keys, depth, nodes, {}, line);
  }

  function walkObject(
    value: object,
    depth: number,
    nodes: readonly PathNode[] | undefined,
    line: LineState,
  ): unknown {
    const asLeaf = walkLeafObject(value, line);
    if (asLeaf !== undefined) return asLeaf;
    let inside: unknown = value;
    if (!Array.isArray(value) && !(value instanceof Error)) {
      const toJSON = (value as { toJSON?: unknown }).toJSON;
      if (typeof toJSON === 'function') {
        const json: unknown = toJSON.call(value);
        // A URL or any toJSON that returns a string is a leaf; an object result is walked in
        // place of the value, once: the value itself stands for it among the visited.
        if (json !== value) {
          if (json === null || typeof json !== 'object') return walk(json, depth, nodes, line);
          inside = json;
        }
      }
    }
    // Each container is walked once per line: met again, it is written as a marker,
    // "[Circular]" while it is still being walked (it contains itself), "[Repeated]" after.
    if (depth >= maxDepth) return stringLeaf(line, MARKERS.maxDepth);
    const meeting = line.meet(value);
    if (meeting !== FIRST_MEETING)
      return stringLeaf(line, meeting === CIRCULAR ? MARKERS.circular : MARKERS.repeated);
    try {
      if (!fits(line, 2)) return cutLine(line, 'bytes');
      line.bytes -= 2; // brackets
      return inside === value ? walkContainer(value, depth, nodes, line) : walk(inside, depth, nodes, line);
    } finally {
      line.leave();
    }
  }

  function walk(
    value: unknown,
    depth: number,
    nodes: readonly PathNode[] | undefined,
    line: LineState,
  ): unknown {
    if (line.cutBy !== undefined) return undefined;
    if (--line.values < 0) return cutLine(line, 'values');
    switch (typeof value) {
      case 'string':
        return stringLeaf(line, redactString(value));
      case 'number':
        return isCensoredNumber(value)
          ? leaf(line, censor, censorBytes)
          : leaf(line, value, jsonNumberBytes(value));
      case 'boolean':
        return leaf(line, value, value ? 4 : 5);
      case 'bigint':
        return stringLeaf(line, redactString(value.toString()));
      case 'undefined':
      case 'function':
      case 'symbol':
        return undefined;
    }
    if (value === null) return leaf(line, null, 4);
    try {
      return walkObject(value as object, depth, nodes, line);
    } catch {
      // A proxy whose traps throw, a toJSON that throws, a Map subclass that breaks iteration.
      return line.cutBy === undefined ? stringLeaf(line, MARKERS.unreadable) : MARKERS.truncated;
    }
  }

  // ---- lines ---------------------------------------------------------------------------------

  /**
   * One line as callers see it: a LineState with the policy's entry points. Lines are pooled,
   * so a log call allocates none; a line started while another is active (a getter that logs,
   * during a walk) takes another from the pool.
   */
  class Line extends LineState implements RedactionLine {
    #active = false;

    start(reservedBytes: number): this {
      this.reset(maxLineValues, maxLineBytes - reservedBytes - MARKER_BYTES);
      this.#active = true;
      return this;
    }

    put(out: Record<string, unknown>, key: string, value: unknown): void {
      if (!this.#active) return;
      try {
        putChild(out, key, value, 1, rootNodes, this);
      } catch {
        setEntry(out, key, MARKERS.unreadable);
      }
    }

    get cut(): string | undefined {
      if (this.cutBy === undefined) return undefined;
      return this.cutBy === 'values'
        ? `cut after ${maxLineValues} values`
        : `cut to fit ${maxLineBytes} bytes`;
    }

    finish(): void {
      if (!this.#active) return;
      this.#active = false;
      this.reset(0, 0);
      pool.push(this);
    }
  }

  const pool: Line[] = [];
  const acquireLine = (reservedBytes: number): Line => (pool.pop() ?? new Line()).start(reservedBytes);

  return {
    censor,
    maxLineBytes,
    maxStringLength,
    redact: (value) => {
      const line = acquireLine(0);
      try {
        return walk(value, 0, rootNodes, line);
      } catch {
        return MARKERS.unreadable;
      } finally {
        line.finish();
      }
    },
    redactString: (text) => {
      try {
        return redactString(text);
      } catch {
        return MARKERS.unreadable;
      }
    },
    redactUrl: (text) => {
      try {
        return redactUrl(text);
      } catch {
        return MARKERS.unreadable;
      }
    },
    redactHeader: (name, value) => {
      try {
        return isSensitiveName(name) ? censor : redactString(value);
      } catch {
        return MARKERS.unreadable;
      }
    },
    putEntry: (out, key, value) => {
      const line = acquireLine(0);
      line.put(out, key, value);
      line.finish();
    },
    startLine: (reservedBytes = 0) => acquireLine(reservedBytes + LINE_MARKER_RESERVE),
    isSensitiveKey: (key) => classifyKey(key) === SENSITIVE,
  };
}
