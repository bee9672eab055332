// LookoutLayer builds the Lambda layer from the package at synth (the same build as
// `lookout layer build`), and ServiceObservability.addFunction() runs a function with it in
// one call: the layer, the exec wrapper, the service's variables and X-Ray active tracing.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { beforeAll, describe, expect, it } from 'vitest';
import { LOOKOUT_EXEC_WRAPPER, LookoutLayer, ServiceObservability } from '../../src/cdk/index.js';
import { LookoutConfigError, VERSION } from '../../src/core.js';
import { createStandInAssets } from '../helpers/cdk-assets.js';
import { resourcesOfType, type TemplateJson } from '../helpers/cdk-template.js';
import { readZip } from '../helpers/read-zip.js';

interface Synthesized {
  readonly template: TemplateJson;
  readonly outdir: string;
}

interface RawResource {
  readonly Type: string;
  readonly Properties?: Record<string, unknown>;
  readonly Metadata?: Record<string, unknown>;
}

/** The one layer version of a template, with its id and the asset folder or file it was staged as. */
function layerOf({ template, outdir }: Synthesized): {
  id: string;
  properties: Record<string, unknown>;
  asset: string;
} {
  const resources = (template as unknown as { Resources: Record<string, RawResource> }).Resources;
  const [id, layer] =
    Object.entries(resources).find(([, resource]) => resource.Type === 'AWS::Lambda::LayerVersion') ?? [];
  if (id === undefined || layer === undefined) throw new Error('no layer version in the template');
  return {
    id,
    properties: layer.Properties ?? {},
    asset: join(outdir, String(layer.Metadata?.['aws:asset:path'])),
  };
}

function synthesize(build: (stack: Stack) => void): Synthesized {
  // Asset metadata, as the CDK CLI asks for it: where each asset was staged.
  const app = new App({ context: { 'aws:cdk:enable-asset-metadata': true } });
  const stack = new Stack(app, 'Service');
  build(stack);
  const assembly = app.synth();
  return { template: Template.fromStack(stack).toJSON() as TemplateJson, outdir: assembly.directory };
}

function functionWithLookout(stack: Stack, options: { activeTracing?: boolean } = {}): void {
  const observability = new ServiceObservability(stack, 'Observability', {
    serviceName: 'orders-api',
    environment: 'prod',
    platform: 'lambda',
  });
  const layer = new LookoutLayer(stack, 'LookoutLayer');
  const fn = new lambda.Function(stack, 'Orders', {
    runtime: lambda.Runtime.NODEJS_22_X,
    handler: 'index.handler',
    code: lambda.Code.fromInline('exports.handler = async () => 1;'),
    logGroup: observability.logGroup,
  });
  observability.addFunction(fn, { layer, ...options });
}

let traced: Synthesized;
let untraced: Synthesized;

beforeAll(() => {
  traced = synthesize((stack) => functionWithLookout(stack));
  untraced = synthesize((stack) => functionWithLookout(stack, { activeTracing: false }));
});

describe('LookoutLayer', () => {
  it('is a layer version for Node.js 20, 22 and 24 on both architectures, named with the version', () => {
    expect(layerOf(traced).properties).toMatchObject({
      CompatibleRuntimes: ['nodejs20.x', 'nodejs22.x', 'nodejs24.x'],
      CompatibleArchitectures: ['x86_64', 'arm64'],
      Description: `Lookout ${VERSION}: traces, logs and metrics for Node.js`,
      LicenseInfo: 'Apache-2.0',
    });
  });

  it('stages the layer zip built from the package: the exec wrapper, Lookout and the collector configuration', () => {
    const entries = new Map(readZip(readFileSync(layerOf(traced).asset)).map((entry) => [entry.name, entry]));

    expect(entries.get('lookout-handler')?.mode).toBe(0o755);
    expect(entries.has('collector-config/config.yaml')).toBe(true);
    expect(entries.has('nodejs/node_modules/lookout/dist/cjs/register.js')).toBe(true);
    const manifest = JSON.parse(
      entries.get('nodejs/node_modules/lookout/package.json')?.data.toString() ?? '{}',
    );
    expect(manifest.version).toBe(VERSION);
  });

  it('gives the same asset for the same package, so an unchanged Lookout deploys no new layer version', () => {
    const assetName = (synthesized: Synthesized) =>
      layerOf(synthesized).asset.slice(synthesized.outdir.length);

    expect(assetName(traced)).toMatch(/asset\.[0-9a-f]{64}\.zip$/);
    expect(assetName(untraced)).toBe(assetName(traced));
  });

  it.each(['lookout layer', 'lookout.layer', 'l'.repeat(141), ''])(
    'refuses the layer name %o at synth, which Lambda would refuse at deploy',
    (layerVersionName) => {
      const act = () => new LookoutLayer(new Stack(new App(), 'BadName'), 'Layer', { layerVersionName });

      expect(act).toThrow(LookoutConfigError);
      expect(act).toThrow('Invalid option "layerVersionName"');
    },
  );

  it('takes a zip or folder built before instead', () => {
    const assets = createStandInAssets();
    try {
      const synthesized = synthesize((stack) => new LookoutLayer(stack, 'Layer', { asset: assets.layer }));

      expect(readFileSync(join(layerOf(synthesized).asset, 'lookout-handler'), 'utf8')).toBe(
        '#!/bin/sh\nexec "$@"\n',
      );
    } finally {
      assets.remove();
    }
  });
});

describe('ServiceObservability.addFunction with the layer', () => {
  it('adds the layer, the exec wrapper, the service variables and X-Ray active tracing', () => {
    const template = Template.fromJSON(traced.template as never);

    template.hasResourceProperties('AWS::Lambda::Function', {
      Layers: [{ Ref: layerOf(traced).id }],
      TracingConfig: { Mode: 'Active' },
      Environment: {
        Variables: {
          AWS_LAMBDA_EXEC_WRAPPER: LOOKOUT_EXEC_WRAPPER,
          LOOKOUT_SERVICE_NAME: 'orders-api',
          LOOKOUT_ENVIRONMENT: 'prod',
          LOOKOUT_METRICS_NAMESPACE: 'Lookout',
        },
      },
    });
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'],
            Resource: '*',
          }),
        ]),
      },
    });
  });

  it('watches the function as before: its alarms are there', () => {
    const alarms = resourcesOfType(traced.template, 'AWS::CloudWatch::Alarm').filter(([id]) =>
      id.includes('Orders'),
    );

    expect(alarms.length).toBeGreaterThan(0);
  });

  it('leaves tracing alone with activeTracing: false', () => {
    const [[, properties] = []] = resourcesOfType(untraced.template, 'AWS::Lambda::Function');

    expect(properties).toHaveProperty('Layers');
    expect(properties).not.toHaveProperty('TracingConfig');
    expect(resourcesOfType(untraced.template, 'AWS::IAM::Policy')).toEqual([]);
  });

  it('refuses an imported function, which it cannot change', () => {
    const app = new App();
    const stack = new Stack(app, 'Imported');
    const observability = new ServiceObservability(stack, 'Observability', {
      serviceName: 'orders-api',
      environment: 'prod',
      platform: 'lambda',
    });
    const imported = lambda.Function.fromFunctionArn(
      stack,
      'Imported',
      'arn:aws:lambda:eu-west-1:111122223333:function:orders',
    );
    const assets = createStandInAssets();
    try {
      const layer = new LookoutLayer(stack, 'Layer', { asset: assets.layer });

      expect(() => observability.addFunction(imported, { layer })).toThrow(LookoutConfigError);
    } finally {
      assets.remove();
    }
  });
});
