// Contract tests for the Powertools Logger members Lookout reaches although its types mark them
// private (src/logging/internals/powertools-logger-internals.ts,
// docs/decisions/0051-powertools-logger-internals.md). Each runs the real, pinned Logger, so an
// upgrade that removes or changes a member fails here, naming the member, before it fails
// anywhere else.
import { Console } from 'node:console';
import { Logger, LogLevelThreshold } from '@aws-lambda-powertools/logger';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  applyLoggerOptions,
  getLoggerLogData,
  type LoggerConsole,
  replaceConsoleSetup,
  replaceIndentationSetup,
  replaceLevelNameLookup,
  replaceLogEventSetting,
  setLoggerConsole,
  wrapLambdaLogLevelOverride,
} from '../../../src/logging/internals/powertools-logger-internals.js';

afterEach(() => {
  vi.unstubAllEnvs();
});

function capturingConsole(): { console: LoggerConsole; lines: Array<[string, string]> } {
  const lines: Array<[string, string]> = [];
  const method = (name: string) => (line: string) => {
    lines.push([name, line]);
  };
  return {
    lines,
    console: {
      log: method('log'),
      trace: method('trace'),
      debug: method('debug'),
      info: method('info'),
      warn: method('warn'),
      error: method('error'),
      critical: method('critical'),
    },
  };
}

/** A plain Powertools Logger that prints nowhere (its own console replaced). */
function quietLogger(options: ConstructorParameters<typeof Logger>[0] = {}): Logger {
  const logger = new Logger(options);
  setLoggerConsole(logger, capturingConsole().console);
  return logger;
}

describe('Powertools Logger private members (pinned version)', () => {
  it('setOptions re-applies constructor options to a logger that exists: level, service, environment', () => {
    const logger = quietLogger({ logLevel: 'INFO', serviceName: 'before' });

    applyLoggerOptions(logger, { logLevel: 'ERROR', serviceName: 'after', environment: 'prod' });

    expect(logger.getLevelName(), 'setOptions no longer applies logLevel').toBe('ERROR');
    expect(getLoggerLogData(logger), 'setOptions no longer applies serviceName/environment').toMatchObject({
      serviceName: 'after',
      environment: 'prod',
    });
  });

  it('console is what every line is printed with, by the level name lower-cased', () => {
    const { console, lines } = capturingConsole();
    const logger = new Logger({ logLevel: 'DEBUG', serviceName: 'svc' });
    setLoggerConsole(logger, console);

    logger.info('hello');
    logger.warn('careful');

    expect(
      lines.map(([method, line]) => [method, (JSON.parse(line) as { message: string }).message]),
      'Powertools no longer prints through its console member',
    ).toEqual([
      ['info', 'hello'],
      ['warn', 'careful'],
    ]);
  });

  it('powertoolsLogData holds the service, environment, sampling rate and region every line carries', () => {
    vi.stubEnv('AWS_REGION', 'eu-west-1');
    const logger = quietLogger({ serviceName: 'svc', environment: 'prod', sampleRateValue: 0.5 });

    expect(getLoggerLogData(logger), 'powertoolsLogData changed shape').toEqual({
      awsRegion: 'eu-west-1',
      environment: 'prod',
      serviceName: 'svc',
      sampleRateValue: 0.5,
    });
  });

  it('setLogEvent is where the constructor reads POWERTOOLS_LOGGER_LOG_EVENT, and only there', () => {
    vi.stubEnv('POWERTOOLS_LOGGER_LOG_EVENT', 'not-a-boolean');
    expect(() => quietLogger(), 'Powertools no longer throws on a bad value: the guard may go').toThrow();

    class Guarded extends Logger {}
    replaceLogEventSetting(Guarded.prototype, () => true);
    const logger = new Guarded();
    setLoggerConsole(logger, capturingConsole().console);

    expect(logger.getLogEvent(), 'setLogEvent no longer decides getLogEvent()').toBe(true);
  });

  it('awsLogLevelShortCircuit is how AWS_LAMBDA_LOG_LEVEL overrides the level, and skipping it leaves the level asked for', () => {
    vi.stubEnv('AWS_LAMBDA_LOG_LEVEL', 'ERROR');
    expect(quietLogger({ logLevel: 'DEBUG' }).getLevelName(), 'AWS_LAMBDA_LOG_LEVEL no longer wins').toBe(
      'ERROR',
    );

    class Unfiltered extends Logger {}
    wrapLambdaLogLevelOverride(Unfiltered.prototype, () => false);
    const unfiltered = new Unfiltered({ logLevel: 'DEBUG' });
    expect(unfiltered.getLevelName(), 'awsLogLevelShortCircuit no longer decides the override').toBe('DEBUG');

    class Filtered extends Logger {}
    wrapLambdaLogLevelOverride(Filtered.prototype, () => true);
    expect(new Filtered({ logLevel: 'DEBUG' }).getLevelName()).toBe('ERROR');
  });

  it('getLogLevelNameFromNumber names each level of the public table, and a line takes its level from it', () => {
    class Plain extends Logger {}
    replaceLevelNameLookup(Plain.prototype, {});
    const plain = new Plain();
    type Named = { getLogLevelNameFromNumber(level: number): string | undefined };
    for (const [name, level] of Object.entries(LogLevelThreshold))
      expect((plain as unknown as Named).getLogLevelNameFromNumber(level), `level ${level}`).toBe(name);

    // The names are read through a proxy, to see the line's path ask for them.
    const asked: string[] = [];
    const names = new Proxy({} as Record<number, string>, {
      get(_target, key) {
        asked.push(String(key));
        return key === String(LogLevelThreshold.WARN) ? 'WARN' : undefined;
      },
    });
    class Looked extends Logger {}
    replaceLevelNameLookup(Looked.prototype, names);
    const { console, lines } = capturingConsole();
    const looked = new Looked({ logLevel: 'DEBUG' });
    setLoggerConsole(looked, console);
    asked.length = 0;
    looked.warn('named');

    expect(asked, 'a line no longer names its level through getLogLevelNameFromNumber').toContain(
      String(LogLevelThreshold.WARN),
    );
    expect(lines.map(([method, line]) => [method, (JSON.parse(line) as { level: string }).level])).toEqual([
      ['warn', 'WARN'],
    ]);
  });

  it('setConsole is where the constructor, setOptions and each child get a Console, and replacing it builds none', () => {
    const own = new Logger({ serviceName: 'svc' });
    expect(
      (own as unknown as { console: unknown }).console,
      'Powertools no longer builds a Console per logger: the replacement may go',
    ).toBeInstanceOf(Console);

    const { console, lines } = capturingConsole();
    // As LookoutLogger does: a child is made by the subclass, not as a plain Logger.
    class Replaced extends Logger {
      protected override createLogger(options?: ConstructorParameters<typeof Logger>[0]): Logger {
        return new Replaced(options);
      }
    }
    replaceConsoleSetup(Replaced.prototype, console);
    const logger = new Replaced({ serviceName: 'svc' });
    logger.info('from the parent');
    applyLoggerOptions(logger, { serviceName: 'svc', logLevel: 'INFO' });
    logger.info('after setOptions');
    logger.createChild({ serviceName: 'child' }).info('from the child');

    expect(lines.map(([method, line]) => [method, JSON.parse(line).message])).toEqual([
      ['info', 'from the parent'],
      ['info', 'after setOptions'],
      ['info', 'from the child'],
    ]);
  });

  it('setLogIndentation is where the constructor and setOptions choose the indent, pretty in dev mode', () => {
    const indentOf = (logger: Logger) => (logger as unknown as { logIndentation: unknown }).logIndentation;
    class Replaced extends Logger {}
    let devMode = false;
    replaceIndentationSetup(Replaced.prototype, () => devMode);

    expect(indentOf(quietLogger()), 'logIndentation no longer holds the compact indent').toBe(0);
    expect(indentOf(new Replaced())).toBe(0);

    vi.stubEnv('POWERTOOLS_DEV', 'true');
    expect(indentOf(quietLogger()), "Powertools' pretty indent is no longer 4").toBe(4);
    vi.stubEnv('POWERTOOLS_DEV', undefined);

    const later = new Replaced();
    expect(indentOf(later)).toBe(0);
    setLoggerConsole(later, capturingConsole().console);
    devMode = true;
    expect(indentOf(new Replaced()), 'setLogIndentation no longer sets the indent').toBe(4);
    applyLoggerOptions(later, { serviceName: 'svc' });
    expect(indentOf(later), 'setOptions no longer runs setLogIndentation').toBe(4);
  });
});
