// lookout check on templates written to make it work without bound: it must answer, not hang.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runScript } from '../helpers/node-process.js';

describe('lookout check on hostile templates', () => {
  it('answers for an IAM action of forty stars instead of backtracking through it', async () => {
    // Prepare: `*` forty times then a character no action has, on every resource. As a regular
    // expression (.*.*…#) each sensitive action is split among the stars every possible way.
    const dir = mkdtempSync(join(tmpdir(), 'lookout-check-'));
    const file = join(dir, 'stars.json');
    writeFileSync(
      file,
      JSON.stringify({
        Resources: {
          Policy: {
            Type: 'AWS::IAM::ManagedPolicy',
            Properties: {
              PolicyDocument: {
                Statement: [{ Effect: 'Allow', Action: `${'*'.repeat(40)}#`, Resource: '*' }],
              },
            },
          },
        },
      }),
    );

    // Act: killed after 30 s if it does not answer
    const result = await runScript(['bin/lookout.mjs', 'check', file, '--format', 'json'], {});

    // Assess: the pattern matches no action, so no IAM finding, and an exit code of its own
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as { findings: unknown[] };
    expect(report.findings).toEqual([]);
  });

  it('answers for a Metrics Insights alarm with a hundred thousand unclosed SCHEMA(', async () => {
    // Prepare: a function running Lookout and an alarm query on Fault whose SCHEMA( never closes,
    // repeated: reading each SCHEMA( to the end of the text again would be quadratic.
    const dir = mkdtempSync(join(tmpdir(), 'lookout-check-'));
    const file = join(dir, 'schema.json');
    writeFileSync(
      file,
      JSON.stringify({
        Resources: {
          Fn: {
            Type: 'AWS::Lambda::Function',
            Properties: {
              Runtime: 'nodejs24.x',
              TracingConfig: { Mode: 'Active' },
              LoggingConfig: { LogGroup: 'orders' },
              Environment: { Variables: { NODE_OPTIONS: '--import lookout/register' } },
            },
          },
          Alarm: {
            Type: 'AWS::CloudWatch::Alarm',
            Properties: {
              AlarmActions: ['arn:aws:sns:eu-west-1:123456789012:oncall'],
              Metrics: [
                {
                  Id: 'q',
                  Expression: `SELECT SUM(Fault) FROM SCHEMA("Lookout", Service, Environment ${'SCHEMA('.repeat(100_000)}`,
                },
              ],
            },
          },
        },
      }),
    );

    // Act: killed after 30 s if it does not answer
    const result = await runScript(['bin/lookout.mjs', 'check', file, '--format', 'json'], {});

    // Assess: an unreadable SCHEMA gets the benefit of the doubt, so the alarm counts
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as { findings: { ruleId: string }[] };
    expect(report.findings.filter((finding) => finding.ruleId === 'Lookout.5')).toEqual([]);
  });

  it('reads fifteen thousand functions and their fifteen thousand Fault alarms in one pass each', async () => {
    // Prepare: each function has its own service and its own alarm. Comparing every function
    // with every alarm is 225 million comparisons (minutes); looking alarms up by service is not.
    const dir = mkdtempSync(join(tmpdir(), 'lookout-check-'));
    const file = join(dir, 'huge.json');
    const resources: Record<string, unknown> = {};
    for (let index = 0; index < 15_000; index++) {
      resources[`Fn${index}`] = {
        Type: 'AWS::Lambda::Function',
        Properties: {
          Runtime: 'nodejs24.x',
          TracingConfig: { Mode: 'Active' },
          LoggingConfig: { LogGroup: 'orders' },
          Environment: {
            Variables: {
              NODE_OPTIONS: '--import lookout/register',
              LOOKOUT_SERVICE_NAME: `service-${index}`,
            },
          },
        },
      };
      resources[`Alarm${index}`] = {
        Type: 'AWS::CloudWatch::Alarm',
        Properties: {
          Namespace: 'Lookout',
          MetricName: 'Fault',
          Dimensions: [
            { Name: 'Service', Value: `service-${index}` },
            { Name: 'Environment', Value: 'production' },
          ],
          AlarmActions: ['arn:aws:sns:eu-west-1:123456789012:oncall'],
        },
      };
    }
    writeFileSync(file, JSON.stringify({ Resources: resources }));

    // Act: killed after 30 s if it does not answer
    const result = await runScript(['bin/lookout.mjs', 'check', file, '--format', 'json'], {});

    // Assess: every function is watched by its own alarm
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as { findings: unknown[] };
    expect(report.findings).toEqual([]);
  });

  it('finds the log groups of fifteen thousand functions among forty-five thousand without comparing each pair', async () => {
    // Prepare: thirty thousand unrelated log groups, then each function's own; one Metrics
    // Insights alarm on Fault for every service. Scanning every log group for every function is
    // 15,000 × 30,000 and more comparisons (most of a minute); a set of their names is not.
    const dir = mkdtempSync(join(tmpdir(), 'lookout-check-'));
    const file = join(dir, 'log-groups.json');
    const resources: Record<string, unknown> = {};
    const logGroup = (name: string) => ({
      Type: 'AWS::Logs::LogGroup',
      Properties: { LogGroupName: name, RetentionInDays: 365, KmsKeyId: 'alias/logs' },
    });
    for (let index = 0; index < 30_000; index++) resources[`Other${index}`] = logGroup(`/aws/other/${index}`);
    for (let index = 0; index < 15_000; index++) {
      resources[`Fn${index}`] = {
        Type: 'AWS::Lambda::Function',
        Properties: {
          FunctionName: `fn-${index}`,
          Runtime: 'nodejs24.x',
          TracingConfig: { Mode: 'Active' },
          Environment: { Variables: { NODE_OPTIONS: '--import lookout/register' } },
        },
      };
      resources[`Logs${index}`] = logGroup(`/aws/lambda/fn-${index}`);
    }
    resources.Alarm = {
      Type: 'AWS::CloudWatch::Alarm',
      Properties: {
        AlarmActions: ['arn:aws:sns:eu-west-1:123456789012:oncall'],
        Metrics: [{ Id: 'q', Expression: 'SELECT SUM(Fault) FROM SCHEMA("Lookout", Service, Environment)' }],
      },
    };
    writeFileSync(file, JSON.stringify({ Resources: resources }));

    // Act: killed after 30 s if it does not answer
    const result = await runScript(['bin/lookout.mjs', 'check', file, '--format', 'json'], {});

    // Assess: every function has its log group
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as { findings: unknown[] };
    expect(report.findings).toEqual([]);
  });

  it('matches forty thousand findings with forty thousand template-wide suppressions by rule id', async () => {
    // Prepare: forty thousand unencrypted topics (SNS.1), and as many template-wide suppressions
    // of another rule: every finding looked for its suppression through the whole list is
    // 1.6 billion comparisons.
    const dir = mkdtempSync(join(tmpdir(), 'lookout-check-'));
    const file = join(dir, 'suppressions.json');
    const resources: Record<string, unknown> = {};
    const suppress: unknown[] = [];
    for (let index = 0; index < 40_000; index++) {
      resources[`Topic${index}`] = { Type: 'AWS::SNS::Topic' };
      suppress.push({ id: 'Lambda.7', reason: `batch job ${index}` });
    }
    writeFileSync(file, JSON.stringify({ Metadata: { lookout: { suppress } }, Resources: resources }));

    // Act: killed after 30 s if it does not answer
    const result = await runScript(['bin/lookout.mjs', 'check', file, '--format', 'json'], {});

    // Assess: every topic is reported, none suppressed
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout) as { findings: unknown[]; suppressed: unknown[] };
    expect(report.findings).toHaveLength(40_000);
    expect(report.suppressed).toEqual([]);
  });
});
