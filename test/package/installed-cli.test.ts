// The documented commands from a project that installed the packed package, run as the docs
// write them (`npx lookout …`): `layer build`, `collector check`, `check` on a CDK app that uses
// LookoutLayer and ServiceObservability.addFunction(), and `dev` running an app. The project
// lives in the system's temporary directory, so nothing resolves from the repository.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installProject, type PackedLookout, packLookout } from '../helpers/installed-lookout.js';
import { startLookoutDev } from '../helpers/lookout-dev.js';
import { readZip } from '../helpers/read-zip.js';

const APP = `import express from 'express';
import { logger } from 'lookout';
import { observe } from 'lookout/express';

const app = express();
app.use(observe());
app.get('/orders/:id', (req, res) => {
  logger.info('order read', { orderId: req.params.id });
  res.json({ id: req.params.id });
});
const server = app.listen(0, '127.0.0.1', () => {
  console.log('listening on http://127.0.0.1:' + server.address().port);
});
`;

/** A CDK app as docs/lambda.md shows it: the layer built from the installed package, attached in one call. */
const STACK = `import { App, Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { LookoutLayer, ServiceObservability } from 'lookout/cdk';

const app = new App({ outdir: 'cdk.out' });
for (const [name, activeTracing] of [['Orders', true], ['Untraced', false]]) {
  const stack = new Stack(app, name);
  const observability = new ServiceObservability(stack, 'Observability', {
    serviceName: 'orders-api',
    environment: 'prod',
    platform: 'lambda',
    alerts: { criticalEmails: ['oncall@example.com'] },
  });
  const fn = new lambda.Function(stack, 'Orders', {
    runtime: lambda.Runtime.NODEJS_22_X,
    handler: 'handler.handler',
    code: lambda.Code.fromAsset('function'),
    logGroup: observability.logGroup,
  });
  observability.addFunction(fn, { layer: new LookoutLayer(stack, 'LookoutLayer'), activeTracing });
}
app.synth();
console.log('synthesized');
`;

let work: string;
let packed: PackedLookout;
let dir: string;

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'lookout-installed-cli-'));
  packed = packLookout(work);
  ({ dir } = installProject(packed, 'cdk-app', {
    dependencies: ['express', 'aws-cdk-lib', 'constructs', 'esbuild'],
    manifest: { type: 'module' },
    files: {
      'app.mjs': APP,
      'stack.mjs': STACK,
      'function/handler.mjs': 'export const handler = async () => ({ statusCode: 200 });\n',
    },
  }));
}, 300_000);
afterAll(() => {
  rmSync(work, { recursive: true, force: true });
});

/** `npx lookout …` in the project, as the docs write it (no install: the project's own copy). */
function npxLookout(...args: string[]) {
  return spawnSync('npx', ['--no-install', 'lookout', ...args], {
    cwd: dir,
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' },
  });
}

describe('npx lookout from an installed project', () => {
  it('prints its version', () => {
    const result = npxLookout('--version');

    expect(result.stdout.trim()).toBe(packed.version);
  });

  it('layer build writes the layer zip from the installed package', () => {
    const result = npxLookout('layer', 'build');
    const zip = join(dir, 'dist', 'lookout-layer.zip');

    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^layer: wrote dist\/lookout-layer\.zip \(\d+ files, \d+ bytes/m);
    const entries = new Map(readZip(readFileSync(zip)).map((entry) => [entry.name, entry]));
    expect(entries.get('lookout-handler')?.mode).toBe(0o755);
    expect(
      JSON.parse(entries.get('nodejs/node_modules/lookout/package.json')?.data.toString() ?? '{}').version,
    ).toBe(packed.version);
  });

  it('collector check passes the shipped configurations and points at a YAML error by line and column', () => {
    const shipped = npxLookout(
      'collector',
      'check',
      'node_modules/lookout/collector/lambda.yaml',
      '--target',
      'lambda',
    );
    writeFileSync(join(dir, 'broken.yaml'), 'receivers:\n  otlp:\n    protocols: [http\nexporters: {}\n');
    const broken = npxLookout('collector', 'check', 'broken.yaml');

    expect(shipped.status).toBe(0);
    expect(shipped.stdout).toContain('0 errors, 0 warnings');
    expect(broken.status).toBe(1);
    expect(broken.stdout).toMatch(/^broken\.yaml:\d+:\d+: error \[yaml-syntax\]/m);
  });

  it('synthesizes a CDK app with LookoutLayer and addFunction, and check finds tracing only where it is off', () => {
    const synth = spawnSync(process.execPath, ['stack.mjs'], { cwd: dir, encoding: 'utf8' });
    expect(synth.stderr).toBe('');
    expect(synth.stdout).toContain('synthesized');
    const template = JSON.parse(readFileSync(join(dir, 'cdk.out', 'Orders.template.json'), 'utf8')) as {
      Resources: Record<string, { Type: string; Properties: Record<string, unknown> }>;
    };
    const resources = Object.values(template.Resources);
    const fn = resources.find((resource) => resource.Type === 'AWS::Lambda::Function');
    expect(resources.filter((resource) => resource.Type === 'AWS::Lambda::LayerVersion')).toHaveLength(1);
    expect(fn?.Properties).toMatchObject({
      TracingConfig: { Mode: 'Active' },
      Environment: { Variables: { AWS_LAMBDA_EXEC_WRAPPER: '/opt/lookout-handler' } },
    });

    const check = npxLookout('check', 'cdk.out', '--format', 'json', '--fail-on', 'none');
    const report = JSON.parse(check.stdout) as { findings: { ruleId: string; file: string }[] };
    const tracingFindings = report.findings
      .filter((finding) => finding.ruleId === 'Lookout.3' || finding.ruleId === 'Lambda.7')
      .map((finding) => `${finding.ruleId} ${finding.file.split('/').pop()}`)
      .sort();

    expect(check.status).toBe(0);
    expect(tracingFindings).toEqual(['Lambda.7 Untraced.template.json', 'Lookout.3 Untraced.template.json']);
  });

  it('dev runs the app, shows its request in the viewer, keeps EMF off the screen and stops on Ctrl-C', async () => {
    const dev = await startLookoutDev({
      lookoutBin: join(dir, 'node_modules', '.bin', 'lookout'),
      cwd: dir,
      command: [process.execPath, '--import', 'lookout/register', 'app.mjs'],
      env: { OTEL_SERVICE_NAME: 'installed-dev' },
    });
    const [, app = ''] = await dev.process.waitForLine(/listening on (http:\/\/\S+)/, 30_000);

    expect((await fetch(`${app}/orders/7`)).status).toBe(200);
    await dev.waitFor<{ traces: { operation: string }[] }>('/api/traces', (body) =>
      body.traces.some((trace) => trace.operation === 'GET /orders/:id'),
    );
    const emf = await dev.waitFor<{ points: unknown[] }>(
      '/api/metrics/points?name=RequestCount',
      (body) => body.points.length > 0,
    );
    expect(emf.points.length).toBeGreaterThan(0);
    expect(dev.process.stdoutLines().some((line) => line.includes('"message":"order read"'))).toBe(true);
    expect(dev.process.stdoutLines().filter((line) => line.includes('"_aws"'))).toEqual([]);
    const exit = await dev.stop();
    expect(exit.code).toBe(0);
  });
});
