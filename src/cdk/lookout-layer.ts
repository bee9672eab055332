import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { type RemovalPolicy, Token } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import type { Construct } from 'constructs';
import { LookoutConfigError, VERSION } from '../core.js';

/** The exec wrapper the layer ships: what `AWS_LAMBDA_EXEC_WRAPPER` is set to. */
export const LOOKOUT_EXEC_WRAPPER = '/opt/lookout-handler';

export interface LookoutLayerProps {
  /**
   * A layer zip (or its unpacked folder) built before, with `lookout layer build --out FILE`,
   * for a pipeline that builds it once.
   * @default built at synth from the installed lookout package (needs esbuild in the project)
   */
  readonly asset?: string;
  /** @default Node.js 20, 22 and 24 */
  readonly compatibleRuntimes?: lambda.Runtime[];
  /** The layer holds JavaScript and a shell script only. @default x86_64 and arm64 */
  readonly compatibleArchitectures?: lambda.Architecture[];
  /** @default a name CloudFormation generates */
  readonly layerVersionName?: string;
  /** @default "Lookout <version>: traces, logs and metrics for Node.js" */
  readonly description?: string;
  /** @default RemovalPolicy.DESTROY (CloudFormation deletes a replaced layer version) */
  readonly removalPolicy?: RemovalPolicy;
}

/** The installed lookout package: where its dist/, layer/ and collector/ are. */
function packageRoot(): string {
  return dirname(require.resolve('lookout/package.json'));
}

/** Every file under `dir`, sorted, as paths relative to it. */
function filesUnder(dir: string, prefix = ''): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const path = join(dir, name);
      return statSync(path).isDirectory() ? filesUnder(path, `${prefix}${name}/`) : [`${prefix}${name}`];
    });
}

/**
 * What the layer is built from (the package's dist/esm and dist/cjs, its layer/ scripts, the
 * collector configuration), hashed: the same package gives the same layer, built once per
 * machine, and the same zip bytes (the zip writer fixes timestamps), so the asset hash and the
 * layer version only change when Lookout does.
 */
function layerInputsHash(root: string): string {
  const hash = createHash('sha256').update(VERSION);
  const inputs = [
    ...filesUnder(join(root, 'dist', 'esm')).map((file) => join('dist', 'esm', file)),
    ...filesUnder(join(root, 'dist', 'cjs')).map((file) => join('dist', 'cjs', file)),
    ...filesUnder(join(root, 'layer')).map((file) => join('layer', file)),
    join('collector', 'lambda.yaml'),
  ];
  for (const file of inputs) hash.update(file).update(readFileSync(join(root, file)));
  return hash.digest('hex').slice(0, 20);
}

/**
 * Builds the layer zip with the installed package's layer/build-layer.mjs (what
 * `lookout layer build` runs) into a folder of the system's temporary directory named by the
 * inputs' hash, unless that folder already holds it. Synchronous: a construct is built in its
 * constructor.
 */
function buildLayerZip(): string {
  const root = packageRoot();
  const folder = join(tmpdir(), `lookout-layer-${VERSION}-${layerInputsHash(root)}`);
  const zip = join(folder, 'lookout-layer.zip');
  if (existsSync(zip)) return zip;
  const work = mkdtempSync(join(tmpdir(), 'lookout-layer-build-'));
  try {
    execFileSync(
      process.execPath,
      [join(root, 'layer', 'build-layer.mjs'), '--out', join(work, 'lookout-layer.zip')],
      // From the app's folder, so the build finds the app's esbuild.
      { cwd: process.cwd(), stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' },
    );
    try {
      renameSync(work, folder);
    } catch (error) {
      // Another synth built the same zip meanwhile: the same inputs, the same bytes.
      if (!existsSync(zip)) throw error;
    }
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr?.trim();
    throw new Error(`LookoutLayer: building the layer failed: ${stderr || (error as Error).message}`, {
      cause: error,
    });
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return zip;
}

/** What Lambda takes as a layer's name: 1 to 140 characters, a name or the layer's ARN. */
const LAYER_NAME = /^(?:arn:[a-zA-Z0-9-]+:lambda:[a-zA-Z0-9-]+:\d{12}:layer:)?[a-zA-Z0-9_-]+$/;
const MAX_LAYER_NAME_LENGTH = 140;

/**
 * `layerVersionName` as the layer's props, refused at synth when Lambda would refuse it at
 * deploy (CDK passes it through unchecked); a token is known only then.
 */
function layerNameProps(name: string | undefined): { layerVersionName?: string } {
  if (name === undefined) return {};
  if (Token.isUnresolved(name) || (name.length <= MAX_LAYER_NAME_LENGTH && LAYER_NAME.test(name)))
    return { layerVersionName: name };
  throw new LookoutConfigError({
    option: 'layerVersionName',
    value: name,
    accepted: `1 to ${MAX_LAYER_NAME_LENGTH} letters, digits, "-" and "_" (or the layer's ARN)`,
  });
}

/**
 * The Lookout Lambda layer as a CDK construct: a layer version whose asset is built at synth
 * from the lookout package the app installed (the same build as `lookout layer build`), so
 * the layer and the package never drift apart and nobody hosts or versions the zip by hand.
 * Attach it with `ServiceObservability.addFunction(fn, { layer })`, which also sets the exec
 * wrapper and X-Ray active tracing, or yourself with `LOOKOUT_EXEC_WRAPPER`.
 *
 * @example
 * const layer = new LookoutLayer(this, 'LookoutLayer');
 * observability.addFunction(fn, { layer });
 */
export class LookoutLayer extends lambda.LayerVersion {
  /** The exec wrapper path to set as `AWS_LAMBDA_EXEC_WRAPPER` on a function with this layer. */
  readonly execWrapper: string = LOOKOUT_EXEC_WRAPPER;

  constructor(scope: Construct, id: string, props: LookoutLayerProps = {}) {
    super(scope, id, {
      // First: a name Lambda refuses is refused before the layer's zip is built.
      ...layerNameProps(props.layerVersionName),
      code: lambda.Code.fromAsset(props.asset ?? buildLayerZip()),
      compatibleRuntimes: props.compatibleRuntimes ?? [
        lambda.Runtime.NODEJS_20_X,
        lambda.Runtime.NODEJS_22_X,
        lambda.Runtime.NODEJS_24_X,
      ],
      compatibleArchitectures: props.compatibleArchitectures ?? [
        lambda.Architecture.X86_64,
        lambda.Architecture.ARM_64,
      ],
      description: props.description ?? `Lookout ${VERSION}: traces, logs and metrics for Node.js`,
      license: 'Apache-2.0',
      ...(props.removalPolicy === undefined ? {} : { removalPolicy: props.removalPolicy }),
    });
  }
}
