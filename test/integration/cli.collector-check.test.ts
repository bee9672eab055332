import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runScript } from '../helpers/node-process.js';

const lookout = (...args: string[]) => runScript(['bin/lookout.mjs', ...args], {});

describe('lookout collector check', () => {
  it.each([
    ['collector/lambda.yaml', 'lambda'],
    ['collector/ecs.yaml', 'ecs'],
  ])('passes the shipped %s for target %s with exit code 0', async (file, target) => {
    const result = await lookout('collector', 'check', file, '--target', target);

    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`${file}: 0 errors, 0 warnings`);
  });

  it('passes the shipped local.yaml with no target', async () => {
    const result = await lookout('collector', 'check', 'collector/local.yaml');

    expect(result.code).toBe(0);
    expect(result.stdout).toContain('0 errors, 0 warnings (checked against the ADOT Collector)');
  });

  it('exits 1 and names the file position, the YAML path and the fix for each error', async () => {
    // Prepare: the shipped ECS config with every attribute indexed and a processor missing.
    const dir = mkdtempSync(join(tmpdir(), 'lookout-collector-'));
    const file = join(dir, 'broken.yaml');
    const text = readFileSync('collector/ecs.yaml', 'utf8')
      .replace('    indexed_attributes:', '    index_all_attributes: true\n    indexed_attributes:')
      // The first pipeline in the file is traces.
      .replace(
        'processors: [memory_limiter, resourcedetection, batch]',
        'processors: [resourcedetection, batch]',
      );
    writeFileSync(file, text);

    // Act
    const result = await lookout('collector', 'check', file, '--target=ecs');

    // Assess
    expect(result.code).toBe(1);
    const line = text.split('\n').indexOf('    index_all_attributes: true') + 1;
    expect(result.stdout).toContain(
      `${file}:${line}:5: error [index-all-attributes] exporters.awsxray.index_all_attributes:`,
    );
    expect(result.stdout).toMatch(
      /error \[memory-limiter\] service\.pipelines\.traces\.processors: .*\n {2}fix: add memory_limiter as the first processor/,
    );
    expect(result.stdout).toContain('2 errors, 0 warnings');
  });

  it('exits 0 when there are only warnings', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lookout-collector-'));
    const file = join(dir, 'warn.yaml');
    const text = readFileSync('collector/ecs.yaml', 'utf8');
    // Drop awsemf's log_retention (the first one in the file).
    const retention = /^ {4}log_retention: .*\n/m.exec(text)?.[0] ?? 'absent';
    writeFileSync(file, text.replace(retention, ''));

    const result = await lookout('collector', 'check', file, '--target', 'ecs');

    expect(result.code).toBe(0);
    expect(result.stdout).toContain('warning [log-retention] exporters.awsemf:');
    expect(result.stdout).toContain('0 errors, 1 warning');
  });

  it.each([
    [
      ['collector', 'check'],
      'lookout collector check: missing the configuration FILE to check. See lookout collector check --help\n',
    ],
    [
      ['collector', 'check', 'collector/ecs.yaml', '--target', 'ecss'],
      'lookout collector check: --target must be one of lambda, ecs, not "ecss" (did you mean "ecs"?). See lookout collector check --help\n',
    ],
    [
      ['collector', 'check', 'collector/ecs.yaml', '--taget', 'ecs'],
      'lookout collector check: unknown option "--taget" (did you mean "--target"?). See lookout collector check --help\n',
    ],
    [
      ['collector', 'chek', 'collector/ecs.yaml'],
      'lookout collector: unknown subcommand "chek" (did you mean "check"?). See lookout collector --help\n',
    ],
  ])('answers a usage mistake %j with one line pointing at --help, exit 2', async (args, message) => {
    const result = await lookout(...args);

    expect(result.code).toBe(2);
    expect(result.stderr).toBe(message);
    expect(result.stdout).toBe('');
  });

  it('exits 2 when the file cannot be read', async () => {
    const result = await lookout('collector', 'check', 'collector/nope.yaml');

    expect(result.code).toBe(2);
    expect(result.stderr).toContain('cannot read collector/nope.yaml');
  });

  it.each([
    [['collector', '--help']],
    [['collector', 'check', '--help']],
    [['collector', 'check', 'collector/ecs.yaml', '--target', 'nope', '-h']],
  ])('prints its help for %j, exit 0', async (args) => {
    const result = await lookout(...args);

    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Usage: lookout collector check FILE \[--target lambda\|ecs\]/);
  });

  it('prints a YAML syntax error with its line and column, as an error', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lookout-collector-'));
    const file = join(dir, 'syntax.yaml');
    writeFileSync(file, 'receivers:\n  otlp:\n    protocols: [http\nexporters:\n');

    const result = await lookout('collector', 'check', file);

    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(new RegExp(`^${file}:\\d+:\\d+: error \\[yaml-syntax\\]`, 'm'));
  });

  it('reports an unused component as a warning, as the collector ignores it, exit 0', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lookout-collector-'));
    const file = join(dir, 'unused.yaml');
    const text = readFileSync('collector/local.yaml', 'utf8').replace(
      /^exporters:\n/m,
      'exporters:\n  otlphttp/unused:\n    endpoint: https://otlp.example.com\n',
    );
    writeFileSync(file, text);

    const result = await lookout('collector', 'check', file);

    expect(result.code).toBe(0);
    expect(result.stdout).toContain('warning [unused-component] exporters.otlphttp/unused:');
    expect(result.stdout).toContain('0 errors, 1 warning');
  });

  it('is listed in lookout --help', async () => {
    const result = await lookout('--help');

    expect(result.stdout).toMatch(/collector\s+check a collector configuration/);
  });
});
