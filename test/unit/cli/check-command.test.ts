// `lookout check` as a user runs it: arguments, exit codes, the table and JSON reports, cloud
// assemblies with construct paths. The command is run in-process with captured streams; the
// packed-tarball test (test/package/check-cli.test.ts) runs the real binary.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCheck } from '../../../src/cli/check/command.js';
import { runCli } from '../../../src/cli/main.js';
import { REPO_ROOT } from '../../helpers/node-process.js';

const FIXTURES = 'test/fixtures/check';
const AS_OF = ['--as-of', '2026-06-01'];
const scratch = mkdtempSync(join(tmpdir(), 'lookout-check-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

async function check(args: readonly string[]) {
  let stdout = '';
  let stderr = '';
  const code = await runCheck(args, {
    stdout: (text) => {
      stdout += text;
    },
    stderr: (text) => {
      stderr += text;
    },
    cwd: REPO_ROOT,
    columns: 140,
  });
  return { code, stdout, stderr };
}

describe('lookout check arguments', () => {
  it('prints its help with --help and -h, exit 0', async () => {
    for (const flag of ['--help', '-h']) {
      const { code, stdout } = await check([flag]);

      expect(code).toBe(0);
      expect(stdout).toContain('Usage: lookout check <template.json|template.yaml|cdk.out>');
      expect(stdout).toContain('--fail-on SEVERITY');
    }
  });

  it.each([
    [['--format', 'xml', 'x.yaml'], '--format must be one of table, json, sarif, not "xml"'],
    [
      ['--format', 'sarf', 'x.yaml'],
      '--format must be one of table, json, sarif, not "sarf" (did you mean "sarif"?)',
    ],
    [
      ['--fail-on', 'severe', 'x.yaml'],
      '--fail-on must be one of critical, high, medium, low, info, none, not "severe"',
    ],
    [
      ['--min-retention-days', 'year', 'x.yaml'],
      '--min-retention-days must be a whole number of days, not "year"',
    ],
    [['--as-of', '2026-13-45', 'x.yaml'], '--as-of must be a date as YYYY-MM-DD, not "2026-13-45"'],
    [['--colour', 'x.yaml'], 'unknown option "--colour"'],
    [['--fail-of', 'high', 'x.yaml'], 'unknown option "--fail-of" (did you mean "--fail-on"?)'],
    [['x.yaml', '--output'], '"--output" needs a value'],
    [[], 'missing the template or cdk.out directory to check'],
  ])('rejects %j with one line that points at --help, exit 2', async (args, message) => {
    const { code, stdout, stderr } = await check(args);

    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toBe(`lookout check: ${message}. See lookout check --help\n`);
  });

  it('names a target it cannot read, exit 2', async () => {
    const missing = await check(['no/such/template.yaml']);
    const notAnAssembly = await check([`${FIXTURES}/sam`]);

    expect(missing).toMatchObject({
      code: 2,
      stderr: 'lookout check: no/such/template.yaml: no such file or directory\n',
    });
    expect(notAnAssembly.code).toBe(2);
    expect(notAnAssembly.stderr).toContain('a directory without manifest.json is not a cloud assembly');
  });

  it.each([
    ['a manifest that is null', 'null', 'not a cloud assembly manifest'],
    ['artifacts that are a list', '{"artifacts":[1]}', 'not a cloud assembly manifest'],
    [
      'a stage that names its own directory',
      '{"artifacts":{"stage":{"type":"cdk:cloud-assembly","properties":{"directoryName":"."}}}}',
      'the cloud assembly contains itself',
    ],
  ])('names a cloud assembly with %s, exit 2', async (_what, manifest, message) => {
    // Prepare
    const directory = mkdtempSync(join(scratch, 'assembly-'));
    writeFileSync(join(directory, 'manifest.json'), manifest);

    // Act
    const { code, stdout, stderr } = await check([directory]);

    // Assess
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(new RegExp(`^lookout check: .*${message}`));
  });

  it('reads an assembly named by two stages once, however deep the chain of such manifests', async () => {
    // Prepare: 10 nested assemblies, each naming the next twice (as two stages); the last holds
    // one stack with one unencrypted topic. Read once per path to it, that is 2^10 readings
    // (and 2^40 with 40 levels: a hang).
    const root = mkdtempSync(join(scratch, 'assembly-'));
    const depth = 10;
    const directoryOf = (level: number) => (level === 0 ? root : join(root, `level-${level}`));
    for (let level = 1; level <= depth; level++) mkdirSync(directoryOf(level));
    for (let level = 0; level < depth; level++) {
      const next = level === 0 ? 'level-1' : `../level-${level + 1}`;
      const stage = { type: 'cdk:cloud-assembly', properties: { directoryName: next } };
      writeFileSync(
        join(directoryOf(level), 'manifest.json'),
        JSON.stringify({ artifacts: { first: stage, second: stage } }),
      );
    }
    writeFileSync(
      join(directoryOf(depth), 'manifest.json'),
      JSON.stringify({
        artifacts: {
          stack: { type: 'aws:cloudformation:stack', properties: { templateFile: 'stack.template.json' } },
        },
      }),
    );
    writeFileSync(
      join(directoryOf(depth), 'stack.template.json'),
      '{"Resources":{"Topic":{"Type":"AWS::SNS::Topic"}}}',
    );

    // Act
    const { code, stdout } = await check([root, '--format', 'json', ...AS_OF]);

    // Assess: one template, one finding, not one per path to it
    const report = JSON.parse(stdout) as { templates: unknown[]; findings: { ruleId: string }[] };
    expect(code).toBe(1);
    expect(report.templates).toHaveLength(1);
    expect(report.findings.filter((finding) => finding.ruleId === 'SNS.1')).toHaveLength(1);
  });

  it('writes a template’s control characters into the table as text, not to the terminal', async () => {
    // Prepare: a runtime and a suppression reason carrying terminal escape sequences (clear the
    // screen, set the window title) and a right-to-left override
    const file = join(scratch, 'escapes.json');
    writeFileSync(
      file,
      JSON.stringify({
        Resources: {
          Fn: {
            Type: 'AWS::Lambda::Function',
            Properties: {
              Runtime: 'node\u001b[2J\u001b]0;pwned\u0007js',
              TracingConfig: { Mode: 'PassThrough' },
            },
            Metadata: { lookout: { suppress: [{ id: 'Lambda.7', reason: 'batch\u202ehctab' }] } },
          },
        },
      }),
    );

    // Act
    const { stdout } = await check([file, ...AS_OF]);

    // Assess
    expect([...stdout].filter((char) => char !== '\n' && (char < ' ' || char === '\u202e'))).toEqual([]);
    expect(stdout).toContain('runtime node\\u001b[2J\\u001b]0;pwned\\u0007js is not in');
    expect(stdout).toContain('batch\\u202ehctab');
  });

  it('skips construct path metadata of another shape and still checks the stack', async () => {
    // Prepare: metadata whose entries are not lists of objects names no resource.
    const directory = mkdtempSync(join(scratch, 'assembly-'));
    writeFileSync(
      join(directory, 'manifest.json'),
      JSON.stringify({
        artifacts: {
          stack: {
            type: 'aws:cloudformation:stack',
            properties: { templateFile: 'stack.template.json' },
            metadata: { '/Stack/Topic': 5, '/Stack/Queue': [null, 'x'] },
          },
          broken: null,
        },
      }),
    );
    writeFileSync(join(directory, 'stack.template.json'), '{"Resources":{}}');

    // Act
    const { code, stderr } = await check([directory, '--format', 'json']);

    // Assess
    expect(stderr).toBe('');
    expect(code).toBe(0);
  });

  it('says it cannot write the report to an --output it cannot create, exit 2', async () => {
    // Prepare
    const blocker = join(scratch, 'a-file');
    writeFileSync(blocker, '');
    const output = join(blocker, 'report.json');

    // Act
    const { code, stderr } = await check([`${FIXTURES}/sam/SNS.1.fail.yaml`, ...AS_OF, '--output', output]);

    // Assess
    expect(code).toBe(2);
    expect(stderr).toMatch(new RegExp(`^lookout check: cannot write the report to ${output}: `));
  });

  it('is registered as a lookout subcommand', async () => {
    const writes: string[] = [];
    const write = process.stdout.write;
    process.stdout.write = ((chunk: string) => writes.push(String(chunk)) > 0) as typeof process.stdout.write;
    try {
      expect(await runCli(['check', '--help'])).toBe(0);
    } finally {
      process.stdout.write = write;
    }
    expect(writes.join('')).toContain('Usage: lookout check');
  });
});

describe('lookout check exit status', () => {
  it('exits 1 on a finding at or above --fail-on (default low), 0 below it or with none', async () => {
    const template = `${FIXTURES}/sam/Lambda.7.fail.yaml`; // one low finding

    expect((await check([template, ...AS_OF])).code).toBe(1);
    expect((await check([template, ...AS_OF, '--fail-on', 'low'])).code).toBe(1);
    expect((await check([template, ...AS_OF, '--fail-on', 'medium'])).code).toBe(0);
    expect((await check([template, ...AS_OF, '--fail-on', 'none'])).code).toBe(0);
    expect((await check([`${FIXTURES}/sam/Lambda.7.pass.yaml`, ...AS_OF])).code).toBe(0);
  });

  it('does not fail on a suppressed finding', async () => {
    expect((await check([`${FIXTURES}/sam/Lookout.0.pass.yaml`, ...AS_OF])).code).toBe(0);
  });

  it('judges runtimes as of --as-of', async () => {
    const template = `${FIXTURES}/sam/Lambda.2.pass.yaml`; // nodejs24.x, deprecated 2028-04-30

    expect((await check([template, '--as-of', '2026-06-01'])).code).toBe(0);
    expect((await check([template, '--as-of', '2028-05-01'])).code).toBe(1);
  });

  it('takes the shortest retention accepted from --min-retention-days', async () => {
    const template = `${FIXTURES}/sam/CloudWatch.16.fail.yaml`; // 30 days

    expect((await check([template, ...AS_OF])).code).toBe(1);
    expect((await check([template, ...AS_OF, '--min-retention-days', '30'])).code).toBe(0);
  });
});

describe('lookout check reports', () => {
  it('prints a table: severity, control, resource and what to change with the SAM property and line', async () => {
    const { stdout } = await check([`${FIXTURES}/sam/Lookout.3.fail.yaml`, ...AS_OF]);
    const lines = stdout.split('\n');

    expect(lines[0]).toMatch(/^SEVERITY\s+CONTROL\s+RESOURCE\s+WHAT TO CHANGE$/);
    expect(lines[1]).toMatch(/^HIGH\s+Lookout\.3\s+Orders\s+runs Lookout through/);
    expect(stdout).toContain(
      'set (SAM): Tracing: Active on the AWS::Serverless::Function (or Globals.Function)',
    );
    expect(stdout).toContain(`in ${FIXTURES}/sam/Lookout.3.fail.yaml:10`);
    expect(lines.at(-2)).toBe(
      '2 findings (1 high, 1 low), 0 suppressions; 2 at or above --fail-on low: FAIL',
    );
  });

  it('lists suppressions with their reasons in the table', async () => {
    const { stdout } = await check([`${FIXTURES}/sam/Lookout.0.pass.yaml`, ...AS_OF]);

    expect(stdout).toContain('Suppressed in the template (1):');
    expect(stdout).toContain(
      `  Lambda.7  Orders (${FIXTURES}/sam/Lookout.0.pass.yaml:5): A batch job whose traces nobody reads; its logs carry the request ids.`,
    );
    expect(stdout.trimEnd().split('\n').at(-1)).toBe(
      '0 findings, 1 suppression; 0 at or above --fail-on low: pass',
    );
  });

  it('reads every stack of a cloud assembly, nested stages too, with construct paths', async () => {
    const { code, stdout } = await check([`${FIXTURES}/assembly`, '--format', 'json', ...AS_OF]);
    const report = JSON.parse(stdout);

    expect(code).toBe(1);
    expect(report.templates).toEqual([
      { file: `${FIXTURES}/assembly/Api.template.json`, form: 'cdk' },
      { file: `${FIXTURES}/assembly/assembly-Prod/ProdQueue.template.json`, form: 'cdk' },
    ]);
    expect(
      report.findings.map((finding: Record<string, unknown>) => [
        finding.ruleId,
        finding.resourcePath,
        finding.file,
        finding.line,
        (finding.fix as { form: string }).form,
      ]),
    ).toEqual([
      [
        'SNS.1',
        'Prod/Queue/Topic/Resource',
        `${FIXTURES}/assembly/assembly-Prod/ProdQueue.template.json`,
        3,
        'cdk',
      ],
      ['Lambda.7', 'Api/Orders/Resource', `${FIXTURES}/assembly/Api.template.json`, 3, 'cdk'],
    ]);
    expect(report.summary).toEqual({ findings: 2, failing: 2, suppressed: 0, passed: false });
  });

  it('writes the report to --output and a summary to stderr', async () => {
    const output = join(scratch, 'report.json');
    const { code, stdout, stderr } = await check([
      `${FIXTURES}/sam/SNS.1.fail.yaml`,
      ...AS_OF,
      '--format',
      'json',
      '--output',
      output,
    ]);

    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toBe(`lookout check: 1 findings, 1 failing; report in ${output}\n`);
    const report = JSON.parse(readFileSync(output, 'utf8'));
    expect(report.templates).toEqual([{ file: `${FIXTURES}/sam/SNS.1.fail.yaml`, form: 'sam' }]);
    expect(report.findings[0]).toMatchObject({
      ruleId: 'SNS.1',
      title: 'SNS topics should be encrypted at-rest using AWS KMS',
      severity: 'medium',
      logicalId: 'Alerts',
      resourceType: 'AWS::SNS::Topic',
      helpUrl: 'https://docs.aws.amazon.com/securityhub/latest/userguide/sns-controls.html#sns-1',
    });
  });
});
