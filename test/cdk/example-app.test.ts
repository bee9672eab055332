// examples/cdk-app: `npm run synth` in that folder synthesizes offline (no AWS account, no CDK
// CLI), and the template holds the orders API on Lambda with the Lookout layer, active
// tracing, API Gateway access logs and ServiceObservability wired to the function.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCheck } from '../../src/cli/check/command.js';
import { createStandInAssets } from '../helpers/cdk-assets.js';
import { resourcesOfType, type TemplateJson } from '../helpers/cdk-template.js';
import { REPO_ROOT } from '../helpers/node-process.js';

const run = promisify(execFile);
const EXAMPLE = join(REPO_ROOT, 'examples', 'cdk-app');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

const assets = createStandInAssets();
const out = mkdtempSync(join(tmpdir(), 'lookout-cdk-out-'));
let stdout: string;
let template: Template;
let json: TemplateJson;
let manifest: { artifacts: Record<string, { environment?: string }> };

afterAll(() => {
  assets.remove();
  rmSync(out, { recursive: true, force: true });
});

beforeAll(async () => {
  // No AWS credentials or region: the synth must not need them.
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env))
    if (!key.startsWith('AWS_') && !key.startsWith('CDK_')) env[key] = value;
  ({ stdout } = await run(
    npm,
    ['run', 'synth', '--', '--layer', assets.layer, '--code', assets.code, '--out', out],
    {
      cwd: EXAMPLE,
      env,
    },
  ));
  json = JSON.parse(readFileSync(join(out, 'OrdersApi.template.json'), 'utf8'));
  template = Template.fromJSON(json as never);
  manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
});

function logicalId(type: string, prefix: string): string {
  const found = resourcesOfType(json, type).find(([id]) => id.startsWith(prefix));
  if (found === undefined) throw new Error(`no ${type} ${prefix}…`);
  return found[0];
}

describe('examples/cdk-app npm run synth', () => {
  it('synthesizes an environment-agnostic stack and lists what it made', () => {
    expect(manifest.artifacts.OrdersApi?.environment).toBe('aws://unknown-account/unknown-region');
    expect(stdout).toContain(join(out, 'OrdersApi.template.json'));
    expect(stdout).toMatch(/\b13\s+AWS::CloudWatch::Alarm/);
  });

  it('runs the orders API on Lambda with the Lookout layer, its exec wrapper and active tracing', () => {
    const layer = logicalId('AWS::Lambda::LayerVersion', 'LookoutLayer');

    template.hasResourceProperties('AWS::Lambda::Function', {
      Handler: 'lambda.handler',
      Layers: [{ Ref: layer }],
      TracingConfig: { Mode: 'Active' },
      LoggingConfig: { LogGroup: { Ref: logicalId('AWS::Logs::LogGroup', 'ObservabilityLogGroup') } },
      Environment: {
        Variables: {
          AWS_LAMBDA_EXEC_WRAPPER: '/opt/lookout-handler',
          LOOKOUT_SERVICE_NAME: 'orders-api',
          LOOKOUT_ENVIRONMENT: 'prod',
          LOOKOUT_METRICS_NAMESPACE: 'Lookout',
        },
      },
    });
  });

  it('logs API Gateway access as JSON to its own log group, with X-Ray tracing on the stage', () => {
    const accessLogs = logicalId('AWS::Logs::LogGroup', 'ApiAccessLogs');

    template.hasResourceProperties('AWS::ApiGateway::Stage', {
      StageName: 'prod',
      TracingEnabled: true,
      AccessLogSetting: {
        DestinationArn: { 'Fn::GetAtt': [accessLogs, 'Arn'] },
        Format: Match.stringLikeRegexp('"requestId":"\\$context.requestId"'),
      },
      MethodSettings: Match.arrayWith([Match.objectLike({ LoggingLevel: 'ERROR' })]),
    });
  });

  it("watches the function and the API with ServiceObservability's alarms, counting Invocations", () => {
    const names = resourcesOfType(json, 'AWS::CloudWatch::Alarm').map(
      ([, properties]) => properties.AlarmName,
    );

    expect(names).toEqual(
      expect.arrayContaining([
        'orders-api-prod-error-rate',
        'orders-api-prod-orders-api-function-error-rate',
        'orders-api-prod-orders-api-function-duration',
        'orders-api-prod-orders-api-function-throttles',
        'orders-api-prod-orders-api-5xx-rate',
        'orders-api-prod-orders-api-4xx-rate',
        'orders-api-prod-orders-api-latency-p99',
      ]),
    );
    expect(JSON.stringify(json)).toContain('"MetricName":"Invocations","Namespace":"Lookout"');
  });

  it('passes lookout check with no finding at all, suppressed or not (runtimes judged as of today)', async () => {
    let printed = '';
    const code = await runCheck([out, '--format', 'json'], {
      stdout: (text) => {
        printed += text;
      },
      stderr: () => undefined,
      cwd: REPO_ROOT,
    });
    const report = JSON.parse(printed);

    expect(report.findings).toEqual([]);
    expect(report.suppressed).toEqual([]);
    expect(code).toBe(0);
  });

  it('fails with the missing asset named when the layer is not built', async () => {
    const missing = join(out, 'no-such-layer.zip');
    const act = run(
      npm,
      ['run', 'synth', '--', '--layer', missing, '--code', assets.code, '--out', join(out, 'x')],
      {
        cwd: EXAMPLE,
      },
    );

    await expect(act).rejects.toMatchObject({ stderr: expect.stringContaining(`${missing} does not exist`) });
  });
});
