import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  checkCollectorConfig,
  type Finding,
  RULES,
} from '../../../src/cli/collector/check-collector-config.js';
import type { CollectorTarget } from '../../../src/cli/collector/distributions.js';

const shipped = (name: string) =>
  readFileSync(fileURLToPath(new URL(`../../../collector/${name}`, import.meta.url)), 'utf8');

/** A config that passes every rule for the ECS target; each broken case changes one thing. */
const VALID_ECS = `
extensions:
  health_check: {}
receivers:
  otlp:
    protocols:
      http:
        endpoint: localhost:4318
processors:
  memory_limiter:
    check_interval: 1s
    limit_percentage: 80
  batch: {}
exporters:
  awsxray:
    indexed_attributes: [http.route]
  awsemf:
    log_retention: 30
    dimension_rollup_option: NoDimensionRollup
    metric_declarations:
      - dimensions: [[Service, Operation]]
        metric_name_selectors: [Latency]
service:
  extensions: [health_check]
  pipelines:
    traces:
      receivers: [otlp]
      processors: [memory_limiter, batch]
      exporters: [awsxray]
    metrics:
      receivers: [otlp]
      processors: [memory_limiter, batch]
      exporters: [awsemf]
`;

const VALID_LAMBDA = `
receivers:
  otlp:
    protocols:
      http:
        endpoint: localhost:4318
exporters:
  awsxray: {}
service:
  pipelines:
    traces:
      receivers: [otlp]
      exporters: [awsxray]
`;

function errors(findings: Finding[]) {
  return findings.filter((finding) => finding.severity === 'error');
}

describe('the shipped collector configurations', () => {
  it.each([
    ['lambda.yaml', 'lambda'],
    ['ecs.yaml', 'ecs'],
    ['local.yaml', undefined],
  ] as Array<[string, CollectorTarget | undefined]>)(
    '%s passes with no finding at all (target %s)',
    (file, target) => {
      expect(checkCollectorConfig(shipped(file), { target })).toEqual([]);
    },
  );

  it('uses no processor in lambda.yaml and memory_limiter first in every ecs.yaml pipeline', () => {
    // The checker is what enforces these; this proves it would notice on the shipped files.
    expect(
      errors(checkCollectorConfig(shipped('ecs.yaml'), { target: 'lambda' })).map((f) => f.rule),
    ).toContain(RULES.lambdaProcessors);
    expect(
      errors(checkCollectorConfig(shipped('lambda.yaml'), { target: 'ecs' })).map((f) => f.rule),
    ).toContain(RULES.memoryLimiter);
  });

  it('has logs pipelines for OTLP log records: ecs.yaml and local.yaml on, lambda.yaml ready to uncomment', () => {
    // Prepare: lambda.yaml's logs exporter and pipeline, uncommented as its comments say.
    const lambda = shipped('lambda.yaml').replace(
      /^( *)# (otlphttp\/logs:| {2}endpoint: |logs:| {2}receivers: \[otlp\]| {2}exporters: \[otlphttp\/logs\])/gm,
      '$1$2',
    );

    // Act + Assess
    for (const file of ['ecs.yaml', 'local.yaml'])
      expect(shipped(file)).toMatch(/^ {4}logs:\n {6}receivers: \[otlp\]/m);
    expect(lambda).toMatch(/^ {4}logs:\n {6}receivers: \[otlp\]\n {6}exporters: \[otlphttp\/logs\]/m);
    expect(lambda).toMatch(/^ {2}otlphttp\/logs:\n {4}endpoint: https:/m);
    expect(checkCollectorConfig(lambda, { target: 'lambda' })).toEqual([]);
  });

  it('still passes ecs.yaml with its comments stripped, as docs/collector.md uploads it to SSM', () => {
    const stripped = shipped('ecs.yaml')
      .replace(/^ *#.*\n/gm, '')
      .replace(/ # .*$/gm, '');

    expect(Buffer.byteLength(stripped)).toBeLessThanOrEqual(4096);
    expect(checkCollectorConfig(stripped, { target: 'ecs' })).toEqual([]);
  });

  it('accepts the valid baselines the broken cases below start from', () => {
    expect(checkCollectorConfig(VALID_ECS, { target: 'ecs' })).toEqual([]);
    expect(checkCollectorConfig(VALID_LAMBDA, { target: 'lambda' })).toEqual([]);
  });
});

interface BrokenCase {
  rule: string;
  target: CollectorTarget | undefined;
  config: string;
  severity: 'error' | 'warning';
  path: string;
  fix: RegExp;
}

const ecs = (from: string, to: string) => {
  if (!VALID_ECS.includes(from)) throw new Error(`not in the baseline: ${from}`);
  return VALID_ECS.replace(from, to);
};

const BROKEN: BrokenCase[] = [
  {
    rule: RULES.yamlSyntax,
    target: 'ecs',
    config: 'receivers:\n  otlp: [unclosed\n',
    severity: 'error',
    path: '',
    fix: /YAML syntax/,
  },
  {
    rule: RULES.configShape,
    target: 'ecs',
    config: ecs('service:\n  extensions', 'servic:\n  extensions'),
    severity: 'error',
    path: '',
    fix: /service/,
  },
  {
    rule: RULES.pipelineName,
    target: 'ecs',
    config: ecs('    metrics:\n', '    my-metrics:\n'),
    severity: 'error',
    path: 'service.pipelines.my-metrics',
    fix: /rename/,
  },
  {
    rule: RULES.pipelineReceivers,
    target: 'ecs',
    config: ecs(
      '      receivers: [otlp]\n      processors: [memory_limiter, batch]\n      exporters: [awsxray]',
      '      receivers: []\n      processors: [memory_limiter, batch]\n      exporters: [awsxray]',
    ),
    severity: 'error',
    path: 'service.pipelines.traces.receivers',
    fix: /add receivers/,
  },
  {
    rule: RULES.pipelineExporters,
    target: 'ecs',
    config: ecs('      exporters: [awsemf]', '      exporters: []'),
    severity: 'error',
    path: 'service.pipelines.metrics.exporters',
    fix: /at least one exporter/,
  },
  {
    rule: RULES.undefinedComponent,
    target: 'ecs',
    config: ecs('      exporters: [awsxray]', '      exporters: [awsxray, otlphttp/vendor]'),
    severity: 'error',
    path: 'service.pipelines.traces.exporters[1]',
    fix: /define it under exporters/,
  },
  {
    rule: RULES.unusedComponent,
    target: 'ecs',
    config: ecs('exporters:\n', 'exporters:\n  otlphttp/spare:\n    endpoint: https://example.com\n'),
    severity: 'warning',
    path: 'exporters.otlphttp/spare',
    fix: /add it to any pipeline or delete it/,
  },
  {
    rule: RULES.unusedComponent,
    target: 'ecs',
    config: ecs('  extensions: [health_check]\n', ''),
    severity: 'warning',
    path: 'extensions.health_check',
    fix: /service\.extensions/,
  },
  {
    rule: RULES.unknownComponent,
    target: 'lambda',
    config: VALID_LAMBDA.replace('  awsxray: {}', '  awsxray: {}\n  file:\n    path: /tmp/x').replace(
      'exporters: [awsxray]',
      'exporters: [awsxray, file]',
    ),
    severity: 'error',
    path: 'exporters.file',
    fix: /use one of the exporters the ADOT Collector Lambda layer has: awsemf/,
  },
  {
    rule: RULES.componentNote,
    target: 'ecs',
    config: ecs('  awsxray:\n', '  logging: {}\n  awsxray:\n').replace(
      'exporters: [awsxray]',
      'exporters: [awsxray, logging]',
    ),
    severity: 'error',
    path: 'exporters.logging',
    fix: /rename it to debug/,
  },
  {
    rule: RULES.wrongSignal,
    target: 'ecs',
    config: ecs('      exporters: [awsemf]', '      exporters: [awsemf, awsxray]'),
    severity: 'error',
    path: 'service.pipelines.metrics.exporters[1]',
    fix: /move awsxray to a traces pipeline/,
  },
  {
    rule: RULES.wrongSignal,
    target: 'ecs',
    config: ecs('      exporters: [awsxray]', '      exporters: [awsxray, awsemf]'),
    severity: 'error',
    path: 'service.pipelines.traces.exporters[1]',
    fix: /metrics pipeline/,
  },
  {
    rule: RULES.indexAllAttributes,
    target: 'ecs',
    config: ecs('    indexed_attributes: [http.route]', '    index_all_attributes: true'),
    severity: 'error',
    path: 'exporters.awsxray.index_all_attributes',
    fix: /indexed_attributes/,
  },
  {
    rule: RULES.highCardinalityDimension,
    target: 'ecs',
    config: ecs('[[Service, Operation]]', '[[Service, RequestId]]'),
    severity: 'error',
    path: 'exporters.awsemf.metric_declarations[0].dimensions[0][1]',
    fix: /drop it from the dimensions/,
  },
  ...[
    'http.url',
    'url.full',
    'host.id',
    'aws.ecs.task.arn',
    'TaskARN',
    'service.instance.id',
    'faas.invocation_id',
  ].map(
    (dimension): BrokenCase => ({
      rule: RULES.highCardinalityDimension,
      target: 'ecs',
      config: ecs('[[Service, Operation]]', `[[Service, ${dimension}]]`),
      severity: 'error',
      path: 'exporters.awsemf.metric_declarations[0].dimensions[0][1]',
      fix: /drop it/,
    }),
  ),
  {
    rule: RULES.highCardinalityDimension,
    target: 'ecs',
    config: ecs(
      '    metric_declarations:\n      - dimensions: [[Service, Operation]]\n        metric_name_selectors: [Latency]\n',
      '    resource_to_telemetry_conversion:\n      enabled: true\n',
    ),
    severity: 'error',
    path: 'exporters.awsemf.resource_to_telemetry_conversion.enabled',
    fix: /declare the dimensions/,
  },
  {
    rule: RULES.memoryLimiter,
    target: 'ecs',
    config: ecs(
      '      processors: [memory_limiter, batch]\n      exporters: [awsxray]',
      '      processors: [batch]\n      exporters: [awsxray]',
    ),
    severity: 'error',
    path: 'service.pipelines.traces.processors',
    fix: /first processor/,
  },
  {
    rule: RULES.memoryLimiter,
    target: 'ecs',
    config: ecs(
      '      processors: [memory_limiter, batch]\n      exporters: [awsxray]',
      '      processors: [batch, memory_limiter]\n      exporters: [awsxray]',
    ),
    severity: 'error',
    path: 'service.pipelines.traces.processors[1]',
    fix: /move memory_limiter to the start/,
  },
  {
    rule: RULES.batch,
    target: 'ecs',
    config: ecs(
      '      processors: [memory_limiter, batch]\n      exporters: [awsemf]',
      '      processors: [memory_limiter]\n      exporters: [awsemf]',
    ),
    severity: 'error',
    path: 'service.pipelines.metrics.processors',
    fix: /add batch/,
  },
  {
    rule: RULES.lambdaProcessors,
    target: 'lambda',
    config: VALID_LAMBDA.replace('exporters:\n', 'processors:\n  batch: {}\nexporters:\n').replace(
      '      exporters: [awsxray]',
      '      processors: [batch]\n      exporters: [awsxray]',
    ),
    severity: 'error',
    path: 'service.pipelines.traces.processors',
    fix: /remove processors/,
  },
  {
    rule: RULES.noVerifySsl,
    target: 'ecs',
    config: ecs('    log_retention: 30\n', '    log_retention: 30\n    no_verify_ssl: true\n'),
    severity: 'error',
    path: 'exporters.awsemf.no_verify_ssl',
    fix: /remove no_verify_ssl/,
  },
  {
    rule: RULES.plaintextSecret,
    target: 'ecs',
    config: ecs(
      'exporters:\n',
      'exporters:\n  otlphttp/vendor:\n    endpoint: https://otlp.example.com\n    headers:\n      api-key: 0123456789abcdef\n',
    ).replace('exporters: [awsxray]', 'exporters: [awsxray, otlphttp/vendor]'),
    severity: 'error',
    path: 'exporters.otlphttp/vendor.headers.api-key',
    fix: /\$\{env:VARIABLE\}/,
  },
  {
    rule: RULES.plaintextSecret,
    target: 'ecs',
    config: ecs(
      '    indexed_attributes: [http.route]',
      '    indexed_attributes: [http.route]\n    role_arn: AKIAABCDEFGHIJKLMNOP',
    ),
    severity: 'error',
    path: 'exporters.awsxray.role_arn',
    fix: /Secrets Manager/,
  },
  {
    rule: RULES.emfDimensionRollup,
    target: 'ecs',
    config: ecs('    dimension_rollup_option: NoDimensionRollup\n', ''),
    severity: 'warning',
    path: 'exporters.awsemf',
    fix: /NoDimensionRollup/,
  },
  {
    rule: RULES.emfNoDeclarations,
    target: 'ecs',
    config: ecs(
      '    metric_declarations:\n      - dimensions: [[Service, Operation]]\n        metric_name_selectors: [Latency]\n',
      '',
    ),
    severity: 'warning',
    path: 'exporters.awsemf',
    fix: /metric_declarations/,
  },
  {
    rule: RULES.configShape,
    target: 'ecs',
    // The collector refuses to start: "service must have at least one pipeline".
    config: VALID_ECS.slice(0, VALID_ECS.indexOf('  pipelines:\n')).concat('  pipelines: {}\n'),
    severity: 'error',
    path: 'service.pipelines',
    fix: /traces:/,
  },
  {
    rule: RULES.duplicateProcessor,
    target: 'ecs',
    // The collector refuses to start: 'references processor "batch" multiple times'.
    config: ecs(
      'processors: [memory_limiter, batch]\n      exporters: [awsxray]',
      'processors: [memory_limiter, batch, batch]\n      exporters: [awsxray]',
    ),
    severity: 'error',
    path: 'service.pipelines.traces.processors[2]',
    fix: /once/,
  },
  {
    rule: RULES.componentId,
    target: 'lambda',
    // The collector refuses to start: 'in "otlp/" id: the part after / should not be empty'.
    config: VALID_LAMBDA.replace('  otlp:', '  otlp/:').replace('receivers: [otlp]', 'receivers: [otlp/]'),
    severity: 'error',
    path: 'receivers.otlp/',
    fix: /otlp\/<name>/,
  },
  {
    rule: RULES.authenticatorNotEnabled,
    target: 'lambda',
    // The exporter cannot start: 'failed to resolve authenticator "sigv4auth": authenticator
    // not found' (an authenticator is looked up among the extensions service.extensions enables).
    config: VALID_LAMBDA.replace(
      'exporters:\n  awsxray: {}',
      'extensions:\n  sigv4auth:\n    region: us-east-1\nexporters:\n  awsxray: {}\n  otlphttp:\n    endpoint: https://gateway.example.com\n    auth:\n      authenticator: sigv4auth',
    ).replace('exporters: [awsxray]', 'exporters: [awsxray, otlphttp]'),
    severity: 'error',
    path: 'exporters.otlphttp.auth.authenticator',
    fix: /service\.extensions/,
  },
  {
    rule: RULES.logRetention,
    target: 'ecs',
    config: ecs('    log_retention: 30\n', ''),
    severity: 'warning',
    path: 'exporters.awsemf',
    fix: /log_retention/,
  },
  {
    rule: RULES.resourceDetectionTimeout,
    target: 'ecs',
    config: ecs('  batch: {}\n', '  batch: {}\n  resourcedetection:\n    detectors: [env, ecs]\n').replace(
      'processors: [memory_limiter, batch]\n      exporters: [awsxray]',
      'processors: [memory_limiter, resourcedetection, batch]\n      exporters: [awsxray]',
    ),
    severity: 'warning',
    path: 'processors.resourcedetection',
    fix: /timeout: 2s/,
  },
  {
    rule: RULES.lambdaEmfDestination,
    target: 'lambda',
    config: VALID_LAMBDA.replace(
      '  awsxray: {}',
      '  awsxray: {}\n  awsemf:\n    dimension_rollup_option: NoDimensionRollup\n    metric_declarations:\n      - dimensions: [[Service]]\n        metric_name_selectors: [Latency]',
    ).replace(
      'service:\n  pipelines:\n',
      'service:\n  pipelines:\n    metrics:\n      receivers: [otlp]\n      exporters: [awsemf]\n',
    ),
    severity: 'warning',
    path: 'exporters.awsemf',
    fix: /output_destination: stdout/,
  },
];

describe('broken collector configurations', () => {
  it.each(BROKEN)('$rule: reports $path with its fix', ({ rule, target, config, severity, path, fix }) => {
    // Act
    const findings = checkCollectorConfig(config, { target });

    // Assess: the rule fires, where expected, saying how to fix it.
    const match = findings.find((finding) => finding.rule === rule && finding.path === path);
    expect(match, JSON.stringify(findings, null, 2)).toBeDefined();
    expect(match?.severity).toBe(severity);
    expect(match?.fix).toMatch(fix);
    expect(match?.message.length).toBeGreaterThan(10);
  });

  it('covers every rule with at least one broken configuration', () => {
    const covered = new Set(BROKEN.map((entry) => entry.rule));

    expect(Object.values(RULES).filter((rule) => !covered.has(rule))).toEqual([]);
  });

  it('reports aliases that expand without bound (a "billion laughs" file) as a YAML error', () => {
    // Prepare: nine levels of ten aliases of the level below, a billion values.
    const lines = ['a0: &a0 [x, x, x, x, x, x, x, x, x, x]'];
    for (let level = 1; level <= 9; level += 1)
      lines.push(
        `a${level}: &a${level} [${Array(10)
          .fill(`*a${level - 1}`)
          .join(', ')}]`,
      );
    lines.push('receivers:', '  otlp: *a9');

    // Act
    const findings = checkCollectorConfig(lines.join('\n'));

    // Assess
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ severity: 'error', rule: RULES.yamlSyntax });
    expect(findings[0]?.message).toMatch(/^the file cannot be read as YAML: /);
  });

  it('gives the line and column of the offending key', () => {
    const config = ecs('    indexed_attributes: [http.route]', '    index_all_attributes: true');

    const finding = checkCollectorConfig(config, { target: 'ecs' }).find(
      (f) => f.rule === RULES.indexAllAttributes,
    );

    const line = config.split('\n').findIndex((text) => text.includes('index_all_attributes')) + 1;
    expect({ line: finding?.line, column: finding?.column }).toEqual({ line, column: 5 });
  });

  it.each([
    ['an unclosed flow sequence', 'receivers:\n  otlp: [unclosed\n', 3, 1],
    ['a tab in the indentation', 'receivers:\n  otlp:\n\t  protocols: {}\n', 3, 1],
    ['a duplicate key', 'exporters:\n  debug: {}\n  debug: {}\n', 3, 3],
  ])('gives the line and column of a YAML syntax error: %s', (_, config, line, column) => {
    const [finding] = checkCollectorConfig(config);

    expect(finding).toMatchObject({ rule: RULES.yamlSyntax, severity: 'error', line, column });
  });

  it('names no source file of Lookout in any fix', () => {
    const cases = [...BROKEN, { config: 'just a string', target: undefined }];
    const fixes = cases.flatMap(({ config, target }) =>
      checkCollectorConfig(config, { target }).map((finding) => finding.fix),
    );

    expect(fixes.filter((fix) => /\bsrc\/|\.ts\b/.test(fix))).toEqual([]);
  });

  it('accepts credentials passed as environment references', () => {
    const config = ecs(
      'exporters:\n',
      // A collector environment reference, not a template literal.
      `exporters:\n  otlphttp/vendor:\n    endpoint: https://otlp.example.com\n    headers:\n      api-key: ${'$'}{env:VENDOR_API_KEY}\n`,
    ).replace('exporters: [awsxray]', 'exporters: [awsxray, otlphttp/vendor]');

    expect(checkCollectorConfig(config, { target: 'ecs' })).toEqual([]);
  });

  it('applies the ECS deployment rules only with --target ecs', () => {
    const config = ecs(
      '      processors: [memory_limiter, batch]\n      exporters: [awsxray]',
      '      exporters: [awsxray]',
    );

    expect(errors(checkCollectorConfig(config, {}))).toEqual([]);
    expect(errors(checkCollectorConfig(config, { target: 'ecs' })).map((f) => f.rule)).toEqual([
      RULES.memoryLimiter,
      RULES.batch,
    ]);
  });
});
