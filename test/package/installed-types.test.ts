// The types of the installed package in a strict TypeScript project, under every module
// resolution users have: node10 (still what `"module": "commonjs"` gives many Lambda and CDK
// templates on TypeScript 5), node16, nodenext and bundler. Each compiles a file importing every
// subpath, with assertions on the types themselves (`wrap()` keeps the handler's type, nothing
// is `any`).
//
// node10 exists only up to TypeScript 6 (TypeScript 7 removed it): it compiles with
// TypeScript 5.9 (devDependency `typescript-5`); the other modes with both.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installProject, type PackedLookout, packLookout } from '../helpers/installed-lookout.js';
import { REPO_ROOT } from '../helpers/node-process.js';

const COMPILERS = {
  'typescript 5.9': join(REPO_ROOT, 'node_modules', 'typescript-5', 'bin', 'tsc'),
  'typescript 7': join(REPO_ROOT, 'node_modules', 'typescript', 'bin', 'tsc'),
} as const;
type Compiler = keyof typeof COMPILERS;

/** True only when A and B are the same type (and neither is any). */
const TYPE_ASSERTIONS = `
type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
type IsAny<T> = 0 extends 1 & T ? true : false;
function assertType<T extends true>(): T | undefined {
  return undefined;
}
`;

/**
 * Uses the runtime entry points, with type assertions that fail to compile if a type is wrong
 * or \`any\`. Checked with skipLibCheck off: every declaration file the package reaches, and
 * those of the packages they name, must compile in the user's strict settings.
 */
const CONSUMER = `
import { AUDIT_ACTIONS, getTracer, init, logAudit, logger, type LookoutOptions, shutdown } from 'lookout';
import 'lookout/register';
import { errorHandler, health, observe } from 'lookout/express';
import { middy, wrap } from 'lookout/lambda';
${TYPE_ASSERTIONS}
const options: LookoutOptions = { serviceName: 'orders-api', tracing: { sampler: 'traceidratio', samplerArg: 0.5 } };
export const handle = init(options);
logger.info('order created', { orderId: 42 });
assertType<Equal<IsAny<typeof logger>, false>>();
logAudit({ action: AUDIT_ACTIONS.CREATE, status: 'SUCCESS', resource: 'order/42' });
export const span = getTracer().startSpan('work');
assertType<Equal<IsAny<typeof span>, false>>();
export const stopped: Promise<void> = shutdown();

export const middleware = [observe(), health(), errorHandler()];
assertType<Equal<IsAny<(typeof middleware)[number]>, false>>();

type Event = { readonly orderId: string };
type Result = { readonly statusCode: number; readonly body: string };
async function original(event: Event, context: { readonly awsRequestId: string }): Promise<Result> {
  return { statusCode: 200, body: event.orderId + context.awsRequestId };
}
export const handler = wrap(original);
assertType<Equal<typeof handler, typeof original>>();
export const middyMiddleware = middy();
assertType<Equal<IsAny<typeof middyMiddleware>, false>>();
`;

/**
 * lookout/cdk, with the app's aws-cdk-lib. aws-cdk-lib's own declarations do not compile under
 * every strict option (exactOptionalPropertyTypes) and take long to check, so this one compiles
 * with skipLibCheck, as CDK apps do; the assertions catch a type that went \`any\`.
 */
const CDK_CONSUMER = `
import { App, Stack } from 'aws-cdk-lib';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { LOOKOUT_EXEC_WRAPPER, LookoutLayer, ServiceObservability } from 'lookout/cdk';
${TYPE_ASSERTIONS}
const app = new App();
const stack = new Stack(app, 'Orders');
const observability = new ServiceObservability(stack, 'Observability', {
  serviceName: 'orders-api',
  environment: 'prod',
  platform: 'lambda',
});
declare const fn: lambda.Function;
const layer = new LookoutLayer(stack, 'LookoutLayer', { asset: 'layer.zip' });
assertType<Equal<IsAny<typeof layer>, false>>();
const asLayerVersion: lambda.ILayerVersion = layer;
export const alarms = observability.addFunction(fn, { layer: asLayerVersion, activeTracing: true });
assertType<Equal<IsAny<typeof alarms>, false>>();
assertType<Equal<typeof LOOKOUT_EXEC_WRAPPER, '/opt/lookout-handler'>>();
`;

interface Mode {
  readonly name: string;
  readonly compilers: readonly Compiler[];
  readonly compilerOptions: Readonly<Record<string, string>>;
  /** The consumer's file extension: .mts is an ES module under node16/nodenext. */
  readonly extension: '.ts' | '.mts';
}

const MODES: readonly Mode[] = [
  {
    name: 'node10 (module commonjs)',
    compilers: ['typescript 5.9'],
    compilerOptions: { module: 'commonjs', moduleResolution: 'node10' },
    extension: '.ts',
  },
  {
    name: 'node16, CommonJS',
    compilers: ['typescript 5.9', 'typescript 7'],
    compilerOptions: { module: 'node16', moduleResolution: 'node16' },
    extension: '.ts',
  },
  {
    name: 'nodenext, ES module',
    compilers: ['typescript 5.9', 'typescript 7'],
    compilerOptions: { module: 'nodenext', moduleResolution: 'nodenext' },
    extension: '.mts',
  },
  {
    name: 'bundler',
    compilers: ['typescript 5.9', 'typescript 7'],
    compilerOptions: { module: 'esnext', moduleResolution: 'bundler' },
    extension: '.ts',
  },
];

let work: string;
let packed: PackedLookout;
let project: string;

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'lookout-installed-types-'));
  packed = packLookout(work);
  ({ dir: project } = installProject(packed, 'strict-ts', {
    dependencies: ['@types/node', 'aws-cdk-lib', 'constructs'],
    files: {},
  }));
}, 300_000);
afterAll(() => {
  rmSync(work, { recursive: true, force: true });
});

interface Compiled {
  readonly status: number | null;
  readonly output: string;
}

function compile(
  compiler: Compiler,
  mode: Mode,
  { code = CONSUMER, label = 'consumer', skipLibCheck = false } = {},
): Compiled {
  const name = `${label}-${mode.name.replace(/\W+/g, '-')}-${compiler.replace(/\W+/g, '-')}`;
  const source = `${name}${mode.extension}`;
  writeFileSync(join(project, source), code);
  writeFileSync(
    join(project, `tsconfig.${name}.json`),
    JSON.stringify({
      compilerOptions: {
        ...mode.compilerOptions,
        target: 'es2022',
        lib: ['es2023'],
        types: ['node'],
        strict: true,
        exactOptionalPropertyTypes: !skipLibCheck,
        noUncheckedIndexedAccess: true,
        skipLibCheck,
        noEmit: true,
      },
      files: [source],
    }),
  );
  const result = spawnSync(process.execPath, [COMPILERS[compiler], '-p', `tsconfig.${name}.json`], {
    cwd: project,
    encoding: 'utf8',
  });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

describe('the installed package in a strict TypeScript project', () => {
  const cases = MODES.flatMap((mode) =>
    mode.compilers.map((compiler) => [mode.name, compiler, mode] as const),
  );

  it.each(cases)(
    'resolves lookout, register, express and lambda with their types under %s (%s)',
    (_, compiler, mode) => {
      const { status, output } = compile(compiler, mode);

      expect(output).toBe('');
      expect(status).toBe(0);
    },
  );

  it.each(cases)('resolves lookout/cdk with its types under %s (%s)', (_, compiler, mode) => {
    const { status, output } = compile(compiler, mode, {
      code: CDK_CONSUMER,
      label: 'cdk',
      skipLibCheck: true,
    });

    expect(output).toBe('');
    expect(status).toBe(0);
  });

  it('fails to compile when a type assertion is wrong, so the assertions above can fail', () => {
    const wrong = `${CONSUMER}\nassertType<Equal<typeof handler, (event: unknown) => Promise<unknown>>>();\n`;

    const { status, output } = compile('typescript 7', MODES[3] as Mode, { code: wrong, label: 'wrong' });

    expect(status).not.toBe(0);
    expect(output).toMatch(/error TS2344/);
  });
});
