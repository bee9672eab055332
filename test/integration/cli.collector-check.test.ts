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
    [['collector', 'check'], 'missing FILE'],
    [['collector', 'check', 'collector/ecs.yaml', '--target', 'eks'], '--target must be one of: lambda, ecs'],
    [['collector', 'check', 'collector/nope.yaml'], 'cannot read collector/nope.yaml'],
  ])('exits 2 on bad usage: %j', async (args, message) => {
    const result = await lookout(...args);

    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
  });

  it('is listed in lookout --help', async () => {
    const result = await lookout('--help');

    expect(result.stdout).toMatch(/collector\s+check a collector configuration/);
  });
});
