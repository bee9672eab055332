// LookoutChecks over the CDK-form fixtures (test/fixtures/check/cdk): every passing stack has no
// Lookout annotation, every failing stack has an error for its rule, the errors are in the
// cloud assembly where `cdk synth` looks for them, and `lookout check` on the same cdk.out
// reports exactly what the Aspect reported.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Aspects, NestedStack, Stack } from 'aws-cdk-lib';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as sns from 'aws-cdk-lib/aws-sns';
import type { Construct } from 'constructs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LookoutChecks } from '../../src/cdk/index.js';
import { RULES, SUPPRESSION_RULE } from '../../src/checks/index.js';
import { runCheck } from '../../src/cli/check/command.js';
import { type CdkFixture, faultAlarm, lookoutFunction } from '../fixtures/check/cdk/common.js';
import { REPO_ROOT } from '../helpers/node-process.js';

const FIXTURES = join(REPO_ROOT, 'test', 'fixtures', 'check', 'cdk');
const TODAY = new Date('2026-06-01T00:00:00Z');
const RULE_IDS = [...RULES, SUPPRESSION_RULE].map((rule) => rule.id);
const LOOKOUT_MESSAGE = /^\[((?:APIGateway|Lambda|CloudWatch|SNS|KMS|IAM|CloudTrail|Lookout)\.\d+)\] /;

interface Message {
  readonly level: 'error' | 'warning' | 'info';
  readonly rule: string;
  readonly path: string;
  readonly text: string;
}

const outdir = mkdtempSync(join(tmpdir(), 'lookout-checks-'));
afterAll(() => rmSync(outdir, { recursive: true, force: true }));

const stackId = (kind: 'Pass' | 'Fail', rule: string) => `${kind}-${rule.replace('.', '-')}`;
const messages = new Map<string, Message[]>();
let cli: { code: number; findings: { ruleId: string; resourcePath: string; file: string }[] };
let fixtures: CdkFixture[];

beforeAll(async () => {
  fixtures = await Promise.all(
    readdirSync(FIXTURES)
      .filter((name) => name !== 'common.ts' && name.endsWith('.ts'))
      .map(async (name) => ((await import(join(FIXTURES, name))) as { fixture: CdkFixture }).fixture),
  );
  const app = new App({ outdir });
  for (const fixture of fixtures) {
    fixture.pass(new Stack(app, stackId('Pass', fixture.rule)));
    fixture.fail(new Stack(app, stackId('Fail', fixture.rule)));
  }
  Aspects.of(app).add(new LookoutChecks({ today: TODAY }));
  const assembly = app.synth();
  for (const stack of assembly.stacks) {
    messages.set(
      stack.stackName,
      stack.messages
        .map((message) => ({ message, match: LOOKOUT_MESSAGE.exec(String(message.entry.data)) }))
        .filter(({ match }) => match !== null)
        .map(({ message, match }) => ({
          level: message.level as Message['level'],
          rule: match?.[1] ?? '',
          path: message.id.replace(/^\//, ''),
          text: String(message.entry.data),
        })),
    );
  }
  let out = '';
  const code = await runCheck([outdir, '--format', 'json', '--as-of', '2026-06-01'], {
    stdout: (text) => {
      out += text;
    },
    stderr: () => undefined,
    cwd: REPO_ROOT,
  });
  const report = JSON.parse(out);
  cli = { code, findings: [...report.findings, ...report.suppressed] };
});

describe('LookoutChecks (CDK Aspect)', () => {
  it('has a CDK-form fixture for every rule', () => {
    expect(fixtures.map((fixture) => fixture.rule).sort()).toEqual([...RULE_IDS].sort());
  });

  it.each(RULE_IDS)('%s: the passing stack gets no Lookout error or warning', (rule) => {
    const found = (messages.get(stackId('Pass', rule)) ?? []).filter((message) => message.level !== 'info');

    expect(found.map((message) => `${message.level} ${message.path}: ${message.text}`)).toEqual([]);
  });

  it.each(RULE_IDS)('%s: the failing stack gets an error annotation for the rule on the resource', (rule) => {
    const found = (messages.get(stackId('Fail', rule)) ?? []).filter(
      (message) => message.level === 'error' && message.rule === rule,
    );

    expect(found.length).toBeGreaterThan(0);
    for (const message of found) expect(message.path.startsWith(`${stackId('Fail', rule)}/`)).toBe(true);
  });

  it('lists a suppressed finding as an info annotation with its reason', () => {
    const infos = (messages.get(stackId('Pass', 'Lookout.0')) ?? []).filter(
      (message) => message.level === 'info',
    );

    expect(infos.map((message) => [message.rule, message.path])).toEqual([
      ['Lambda.7', 'Pass-Lookout-0/Orders/Resource'],
    ]);
    expect(infos[0]?.text).toContain(
      '(suppressed: A batch job whose traces nobody reads; its logs carry the request ids.)',
    );
  });

  it('writes the errors into the cloud assembly metadata the CDK CLI reads to fail `cdk synth`', () => {
    for (const fixture of fixtures) {
      for (const kind of ['Pass', 'Fail'] as const) {
        const metadata = JSON.parse(
          readFileSync(join(outdir, `${stackId(kind, fixture.rule)}.metadata.json`), 'utf8'),
        ) as Record<string, { type: string; data: unknown }[]>;
        const errors = Object.values(metadata)
          .flat()
          .filter((entry) => entry.type === 'aws:cdk:error' && LOOKOUT_MESSAGE.test(String(entry.data)));

        expect(errors.length > 0, `${kind} ${fixture.rule}`).toBe(kind === 'Fail');
      }
    }
  });

  it('reports what lookout check reports on the same cdk.out, rule by rule and resource by resource', () => {
    const fromAspect = [...messages.values()]
      .flat()
      .map((message) => `${message.rule} ${message.path}`)
      .sort();
    const fromCli = cli.findings.map((finding) => `${finding.ruleId} ${finding.resourcePath}`).sort();

    expect(cli.code).toBe(1);
    expect(fromCli).toEqual(fromAspect);
  });
});

describe('LookoutChecks and lookout check on a stack with nested stacks', () => {
  it('count the Fault alarm of the parent stack for a function in a nested stack, and the other way round', async () => {
    // Prepare: one function in a nested stack watched by an alarm with an action in the parent;
    // one function in the parent watched by an alarm in a nested stack two levels down
    const nestedOut = mkdtempSync(join(tmpdir(), 'lookout-checks-nested-'));
    const app = new App({ outdir: nestedOut });
    const parent = new Stack(app, 'Parent');
    const inner = new NestedStack(parent, 'Inner');
    const deeper = new NestedStack(inner, 'Deeper');
    const notify = (alarm: cloudwatch.Alarm, scope: Construct) =>
      alarm.addAlarmAction(new actions.SnsAction(new sns.Topic(scope, 'Alerts')));
    lookoutFunction(inner, { environment: { LOOKOUT_SERVICE_NAME: 'orders', LOOKOUT_ENVIRONMENT: 'prod' } });
    notify(faultAlarm(parent, 'orders'), parent);
    lookoutFunction(parent, {
      environment: { LOOKOUT_SERVICE_NAME: 'payments', LOOKOUT_ENVIRONMENT: 'prod' },
    });
    notify(faultAlarm(deeper, 'payments'), deeper);
    Aspects.of(app).add(new LookoutChecks({ today: TODAY }));

    // Act
    const assembly = app.synth();
    const fromAspect = assembly.stacks
      .flatMap((stack) => stack.messages)
      .map((message) => String(message.entry.data))
      .filter((text) => text.startsWith('[Lookout.5]'));
    let out = '';
    await runCheck([nestedOut, '--format', 'json', '--as-of', '2026-06-01'], {
      stdout: (text) => {
        out += text;
      },
      stderr: () => undefined,
      cwd: REPO_ROOT,
    });
    const report = JSON.parse(out) as { templates: unknown[]; findings: { ruleId: string }[] };
    rmSync(nestedOut, { recursive: true, force: true });

    // Assess: three templates read, and no Lookout.5 finding from either front-end
    expect(report.templates).toHaveLength(3);
    expect(report.findings.filter((finding) => finding.ruleId === 'Lookout.5')).toEqual([]);
    expect(fromAspect).toEqual([]);
  });
});

describe('LookoutChecks on the example app (examples/cdk-app)', () => {
  it('annotates nothing: the example passes every rule', async () => {
    const { OrdersApiStack } = await import('../../examples/cdk-app/orders-api-stack.mjs');
    const { createStandInAssets } = await import('../helpers/cdk-assets.js');
    const assets = createStandInAssets();
    const exampleOut = mkdtempSync(join(tmpdir(), 'lookout-checks-example-'));
    try {
      const app = new App({ outdir: exampleOut });
      new OrdersApiStack(app, 'OrdersApi', { layerAsset: assets.layer, codeAsset: assets.code });
      Aspects.of(app).add(new LookoutChecks());
      const [stack] = app.synth().stacks;
      const lookout = (stack?.messages ?? []).filter((message) =>
        LOOKOUT_MESSAGE.test(String(message.entry.data)),
      );

      expect(
        lookout.map((message) => `${message.level} ${message.id}: ${String(message.entry.data)}`),
      ).toEqual([]);
    } finally {
      assets.remove();
      rmSync(exampleOut, { recursive: true, force: true });
    }
  });
});
