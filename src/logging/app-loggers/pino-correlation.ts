import { addMissingTraceIds } from './active-trace-ids.js';

type Mixin = (mergeObject: object, level: number, logger: object) => object;
type Write = (this: object, ...args: unknown[]) => unknown;

const WRAPPED = Symbol.for('lookout.pino-correlation');
const ORIGINAL_WRITE = Symbol.for('lookout.pino-correlation.write');

function isWrapped(value: unknown): boolean {
  return typeof value === 'function' && (value as { [WRAPPED]?: true })[WRAPPED] === true;
}

/** A symbol of pino's own (`pino.write`, `pino.mixin`) on `object` or its prototype chain. */
function findPinoSymbol(object: object, description: string): symbol | undefined {
  for (let current: object | null = object; current !== null; current = Object.getPrototypeOf(current)) {
    for (const symbol of Object.getOwnPropertySymbols(current))
      if (symbol.description === description) return symbol;
  }
  return undefined;
}

/**
 * Gives a pino logger the active span's ids on every line, through pino's own `mixin` slot:
 * the app's mixin (if any) still runs first and its fields are kept, and pino's merge keeps the
 * fields of the log call itself above both. Children inherit it from their parent.
 */
export function addPinoMixin(logger: object, mixinSym: symbol): void {
  const holder = logger as Record<symbol, unknown>;
  const appMixin = holder[mixinSym];
  if (isWrapped(appMixin)) return;
  const mixin = function lookoutTraceIds(this: unknown, mergeObject: object, level: number, owner: object) {
    const fields: Record<string, unknown> =
      typeof appMixin === 'function' ? { ...(appMixin as Mixin).call(this, mergeObject, level, owner) } : {};
    addMissingTraceIds(fields);
    return fields;
  };
  (mixin as { [WRAPPED]?: true })[WRAPPED] = true;
  holder[mixinSym] = mixin;
}

/**
 * The file of pino whose export is the logger prototype's factory: a path inside pino, not one
 * of its public entries (docs/decisions/0048-trace-ids-in-app-loggers.md).
 */
export const PINO_PROTOTYPE_FILE = 'pino/lib/proto.js';

/**
 * Patches pino's logger prototype (the export of `pino/lib/proto.js`, a function that returns
 * an object inheriting from the one shared prototype) so that every logger, created before or
 * after, gets the trace-id mixin on its first line. The prototype is changed in place, so ES
 * module imports of pino see it as CommonJS ones do
 * (docs/decisions/0048-trace-ids-in-app-loggers.md). Returns the export unchanged.
 */
export function patchPinoPrototype(protoExport: unknown): unknown {
  if (typeof protoExport !== 'function') return protoExport;
  const prototype = Object.getPrototypeOf((protoExport as () => object)()) as Record<symbol, unknown> | null;
  if (prototype === null) return protoExport;
  const writeSym = findPinoSymbol(prototype, 'pino.write');
  const write = writeSym === undefined ? undefined : prototype[writeSym];
  if (writeSym === undefined || typeof write !== 'function' || isWrapped(write)) return protoExport;
  let mixinSym: symbol | undefined;
  const writeWithTraceIds = function writeWithTraceIds(this: object, ...args: unknown[]) {
    try {
      mixinSym ??= findPinoSymbol(this, 'pino.mixin');
      if (mixinSym !== undefined && !isWrapped((this as Record<symbol, unknown>)[mixinSym]))
        addPinoMixin(this, mixinSym);
    } catch {
      // A logger of an unexpected shape writes as pino made it (docs/design.md decision 4).
    }
    return (write as Write).apply(this, args);
  };
  (writeWithTraceIds as { [WRAPPED]?: true })[WRAPPED] = true;
  (writeWithTraceIds as { [ORIGINAL_WRITE]?: unknown })[ORIGINAL_WRITE] = write;
  prototype[writeSym] = writeWithTraceIds;
  return protoExport;
}

/** Undoes patchPinoPrototype (loggers that got the mixin keep it). */
export function unpatchPinoPrototype(protoExport: unknown): void {
  if (typeof protoExport !== 'function') return;
  const prototype = Object.getPrototypeOf((protoExport as () => object)()) as Record<symbol, unknown> | null;
  const writeSym = prototype === null ? undefined : findPinoSymbol(prototype, 'pino.write');
  if (prototype === null || writeSym === undefined) return;
  const original = (prototype[writeSym] as { [ORIGINAL_WRITE]?: unknown })[ORIGINAL_WRITE];
  if (original !== undefined) prototype[writeSym] = original;
}
