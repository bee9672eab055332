import type { Instrumentation } from '@opentelemetry/instrumentation';
import type { LogCorrelationTarget } from '../../config/index.js';
import { VERSION } from '../../version.js';
import { PINO_PROTOTYPE_FILE, patchPinoPrototype, unpatchPinoPrototype } from './pino-correlation.js';
import { patchWinston, unpatchWinston } from './winston-correlation.js';

/** The loggers patched when loaded, with the versions whose internals the patches rely on. */
const LOGGERS = {
  pino: { versions: ['>=9.0.0 <11'] },
  winston: { versions: ['>=3.0.0 <4'] },
} as const;
type PatchedLogger = keyof typeof LOGGERS;

/**
 * The instrumentations that add trace ids to the app's pino and winston lines, one per
 * requested logger the app can load (`isInstalled`). They go through the same require and
 * import hooks as every other instrumentation, so they load only with a logger that is there,
 * and a logger loaded before `init()` is reported like any hooked module.
 * `@opentelemetry/instrumentation` is required here, never at start-up otherwise.
 */
export function createAppLoggerInstrumentations(
  targets: readonly LogCorrelationTarget[],
  isInstalled: (name: string) => boolean,
): Instrumentation[] {
  const wanted = (Object.keys(LOGGERS) as PatchedLogger[]).filter(
    (name) => targets.includes(name) && isInstalled(name),
  );
  if (wanted.length === 0) return [];
  const { InstrumentationBase, InstrumentationNodeModuleDefinition, InstrumentationNodeModuleFile } =
    require('@opentelemetry/instrumentation') as typeof import('@opentelemetry/instrumentation');

  const definitionOf = (logger: PatchedLogger) =>
    logger === 'pino'
      ? new InstrumentationNodeModuleDefinition('pino', [...LOGGERS.pino.versions], undefined, undefined, [
          new InstrumentationNodeModuleFile(
            PINO_PROTOTYPE_FILE,
            [...LOGGERS.pino.versions],
            (exports) => patchPinoPrototype(exports),
            (exports) => unpatchPinoPrototype(exports),
          ),
        ])
      : new InstrumentationNodeModuleDefinition(
          'winston',
          [...LOGGERS.winston.versions],
          (exports) => patchWinston(exports),
          (exports) => unpatchWinston(exports),
        );
  // One class per logger: the base constructor calls init() before a subclass's own fields
  // exist, so the logger comes from the closure, not from a field.
  return wanted.map((logger) => {
    class LoggerTraceIds extends InstrumentationBase {
      constructor() {
        super(`lookout-${logger}-trace-ids`, VERSION, {});
      }
      protected override init() {
        return definitionOf(logger);
      }
    }
    return new LoggerTraceIds();
  });
}
