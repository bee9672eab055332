import { describe, expect, it } from 'vitest';
import { DEFAULT_DEV_PORTS, parseDevArgs } from '../../../src/cli/dev/parse-dev-args.js';
import { createAppEnv } from '../../../src/cli/dev/run-app.js';
import { DEFAULT_STORE_LIMITS } from '../../../src/cli/dev/telemetry-store.js';
import { UsageError } from '../../../src/cli/parse-command-args.js';
import { SETTINGS } from '../../../src/config/settings/index.js';

describe('parseDevArgs', () => {
  it('defaults to OTLP 4318 and X-Ray 2000, and takes the app command after --', () => {
    const args = parseDevArgs(['--', 'node', '--import', 'lookout/register', 'app.mjs', '--port', '1']);

    expect(args).toEqual({
      uiPort: DEFAULT_DEV_PORTS.ui,
      otlpPort: 4318,
      xrayPort: 2000,
      limits: DEFAULT_STORE_LIMITS,
      command: ['node', '--import', 'lookout/register', 'app.mjs', '--port', '1'],
      showTelemetry: false,
      help: false,
    });
  });

  it('reads ports, limits and flags, as separate or inline values', () => {
    const args = parseDevArgs([
      '--port',
      '0',
      '--otlp-port=14318',
      '--xray-port',
      '12000',
      '--max-spans=50',
      '--max-memory',
      '64',
      '--show-telemetry',
    ]);

    expect(args).toMatchObject({
      uiPort: 0,
      otlpPort: 14318,
      xrayPort: 12000,
      limits: { maxSpans: 50, maxSpanBytes: 32 * 1024 * 1024, maxLogBytes: 16 * 1024 * 1024 },
      command: [],
      showTelemetry: true,
    });
  });

  it('answers --help whatever else is wrong, but not a --help meant for the app', () => {
    expect(parseDevArgs(['--port', 'x', '--help']).help).toBe(true);
    expect(parseDevArgs(['--', 'node', 'app.mjs', '--help']).help).toBe(false);
  });

  it.each([
    [['--port', '70000'], '--port needs a whole number from 0 to 65535, not "70000"'],
    [['--max-logs', '0'], '--max-logs needs a whole number from 1 to 10000000, not "0"'],
    [['--max-memory', '0.5'], '--max-memory needs a whole number from 1 to 65536, not "0.5"'],
    [['--otlp-port'], '"--otlp-port" needs a value'],
    [['--otlp-port', '--port', '1'], '"--otlp-port" needs a value'],
    [['--verbose'], 'unknown option "--verbose"'],
    [['--prot', '1'], 'unknown option "--prot" (did you mean "--port"?)'],
    [['--show-telemetry=yes'], '"--show-telemetry" takes no value'],
    [['node'], 'unexpected argument "node" (put the app\'s command after --)'],
    [
      ['--port', '4318'],
      '--port and --otlp-port are both 4318: the viewer and the OTLP receiver need a port each',
    ],
    [
      ['--port', '9000', '--otlp-port', '9000'],
      '--port and --otlp-port are both 9000: the viewer and the OTLP receiver need a port each',
    ],
  ])('refuses %j', (argv, message) => {
    expect(() => parseDevArgs(argv)).toThrow(new UsageError(message));
  });
});

describe('createAppEnv', () => {
  it("points every exporter here, clearing signal-specific endpoints, and keeps the app's own cadences", () => {
    const env = createAppEnv(
      { otlpUrl: 'http://127.0.0.1:4318', xrayAddress: '127.0.0.1:2000' },
      {
        OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://collector:4318/v1/traces',
        OTEL_BSP_SCHEDULE_DELAY: '100',
        KEEP: 'me',
      },
    );

    expect(env).toMatchObject({
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318',
      AWS_XRAY_DAEMON_ADDRESS: '127.0.0.1:2000',
      OTEL_BSP_SCHEDULE_DELAY: '100',
      LOOKOUT_METRICS_FLUSH_INTERVAL_MS: '1000',
      KEEP: 'me',
    });
    expect(env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT).toBeUndefined();
  });

  it('gives the app its short cadences where its own are blank, which the app reads as unset', () => {
    // Act
    const env = createAppEnv(
      { otlpUrl: 'http://127.0.0.1:4318', xrayAddress: '127.0.0.1:2000' },
      {
        OTEL_BSP_SCHEDULE_DELAY: '',
        LOOKOUT_METRICS_FLUSH_INTERVAL_MS: '  ',
        OTEL_BLRP_SCHEDULE_DELAY: '250',
      },
    );

    // Assess
    expect(env).toMatchObject({
      OTEL_BSP_SCHEDULE_DELAY: '500',
      LOOKOUT_METRICS_FLUSH_INTERVAL_MS: '1000',
      OTEL_BLRP_SCHEDULE_DELAY: '250',
      OTEL_METRIC_EXPORT_INTERVAL: '2000',
    });
  });

  it('clears every variable of every endpoint and daemon address setting, so no signal goes elsewhere', () => {
    // Prepare: each endpoint setting of the table, by its Lookout and standard variables
    const destinations = SETTINGS.filter(
      (setting) => setting.path.endsWith('.endpoint') || setting.path === 'xray.daemonAddress',
    );
    const variables = destinations.flatMap((setting) => [
      setting.env,
      ...(setting.standard ?? []).map((variable) =>
        typeof variable === 'string' ? variable : variable.name,
      ),
    ]);
    const base = Object.fromEntries(variables.map((name) => [name, 'http://elsewhere.example:4318']));

    // Act
    const env = createAppEnv({ otlpUrl: 'http://127.0.0.1:4318', xrayAddress: '127.0.0.1:2000' }, base);

    // Assess: the two lookout dev sets point here, the others are gone
    expect(variables).toContain('LOOKOUT_OTLP_LOGS_ENDPOINT');
    const left = Object.fromEntries(
      variables.filter((name) => env[name] !== undefined).map((name) => [name, env[name]]),
    );
    expect(left).toEqual({
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318',
      AWS_XRAY_DAEMON_ADDRESS: '127.0.0.1:2000',
    });
  });
});
