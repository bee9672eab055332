// cdk-nag's AwsSolutions rule pack over stacks using the constructs: ServiceObservability in
// every configuration needs no acknowledgement at all; the example app acknowledges only
// findings about its own API and function, each with its reason (examples/cdk-app).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Stack, Validations } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { AwsSolutionsChecks } from 'cdk-nag';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OrdersApiStack } from '../../examples/cdk-app/orders-api-stack.mjs';
import { ServiceObservability } from '../../src/cdk/index.js';
import { createStandInAssets } from '../helpers/cdk-assets.js';

interface Violation {
  readonly ruleName: string;
  readonly severity: string;
  readonly violatingConstructs: readonly { readonly constructPath: string }[];
}

interface NagResult {
  readonly failed: boolean;
  readonly violations: readonly Violation[];
}

const outdirs: string[] = [];
const assets = createStandInAssets();
afterAll(() => {
  for (const dir of outdirs) rmSync(dir, { recursive: true, force: true });
  assets.remove();
});

/** Synthesizes an app with the AwsSolutions pack and reads its validation report. */
function synthWithNag(build: (app: App) => void): NagResult {
  const outdir = mkdtempSync(join(tmpdir(), 'lookout-nag-'));
  outdirs.push(outdir);
  const app = new App({ outdir });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  build(app);
  let failed = false;
  try {
    app.synth();
  } catch {
    failed = true;
  }
  const report = JSON.parse(readFileSync(join(outdir, 'validation-report.json'), 'utf8')) as {
    pluginReports: { violations: Violation[] }[];
  };
  return { failed, violations: report.pluginReports.flatMap((plugin) => plugin.violations) };
}

/**
 * Two services covering every option that adds resources: functions, an encrypted log group,
 * e-mails, the no-traffic alarm, a cost budget, the metric filter, the error store (its own key,
 * or one given). (API alarms add alarms only; the example app, which has an API, covers `addApi`.)
 */
function observedServices(stack: Stack): lambda.Function {
  const fn = new lambda.Function(stack, 'Handler', {
    runtime: lambda.Runtime.NODEJS_24_X,
    handler: 'index.handler',
    code: lambda.Code.fromInline('exports.handler = async () => ({})'),
  });
  new ServiceObservability(stack, 'Lambda', {
    serviceName: 'orders-api',
    environment: 'prod',
    platform: 'lambda',
    functions: [fn],
    logGroup: { encryptionKey: new kms.Key(stack, 'LogKey', { enableKeyRotation: true }) },
    alerts: { criticalEmails: ['oncall@example.com'], warningEmails: ['team@example.com'] },
    alarms: { noTraffic: { enabled: true } },
    costBudget: { monthlyLimitUsd: 100 },
    errorStore: { tableName: 'error-logs-prod', forwarderTracing: false },
  });
  new ServiceObservability(stack, 'Server', {
    serviceName: 'orders-web',
    environment: 'prod',
    platform: 'server',
    auditMetricSource: 'logs',
    errorStore: { encryptionKey: new kms.Key(stack, 'ErrorStoreKey', { enableKeyRotation: true }) },
  });
  return fn;
}

let observed: NagResult;
let example: NagResult;

beforeAll(() => {
  // One app, two copies of the same stack: the test's own function is acknowledged in one and
  // not in the other, which shows the pack is really checking (one synth for both).
  observed = synthWithNag((app) => {
    const fn = observedServices(new Stack(app, 'Acknowledged'));
    // The Lambda basic execution role is an AWS managed policy: a finding about the test
    // function, not about ServiceObservability.
    Validations.of(fn).acknowledge({
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
      reason: 'A test function; the finding is about the function, not ServiceObservability.',
    });
    observedServices(new Stack(app, 'Unacknowledged'));
  });
  example = synthWithNag(
    (app) => new OrdersApiStack(app, 'OrdersApi', { layerAsset: assets.layer, codeAsset: assets.code }),
  );
});

describe('cdk-nag AwsSolutions', () => {
  it("reports nothing on ServiceObservability in any configuration, only the unacknowledged test function's role", () => {
    const findings = observed.violations.flatMap((violation) =>
      violation.violatingConstructs.map(({ constructPath }) => `${violation.ruleName} ${constructPath}`),
    );

    expect(observed.failed).toBe(true);
    expect(findings).toEqual([
      'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole] Unacknowledged/Handler/ServiceRole/Resource',
    ]);
  });

  it('reports no unacknowledged error on the example app', () => {
    expect(example.violations.filter((violation) => violation.severity === 'error')).toEqual([]);
    expect(example.failed).toBe(false);
  });
});
