// The Lambda layer as a function sees it: the zip built by layer/build-layer.mjs from dist/,
// extracted into a temporary folder that plays /opt, and fixture apps copied out of the
// repository as deployment packages (so that nothing resolves through the repository's own
// node_modules). For the layer's end-to-end tests.
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildLayer } from '../../layer/build-layer.mjs';
import { fixture } from './node-process.js';
import { extractZip } from './read-zip.js';

export interface ExtractedLayer {
  /** The folder playing /opt. */
  readonly opt: string;
  /** `AWS_LAMBDA_EXEC_WRAPPER` for a function that uses the layer. */
  readonly execWrapper: string;
  /** Copies `test/fixtures/lambda-layer/<app>` to a task root of its own and returns its path. */
  taskRoot(app: string): string;
  /** Removes the layer and every task root made. */
  remove(): void;
}

/**
 * Builds the layer from dist/ (run `npm run build` first) and extracts it.
 *
 * @example
 * const layer = await extractLayer('lookout-layer-');
 * await startLambdaFunction({ api, taskRoot: layer.taskRoot('esm-app'), handler: 'index.handler', optDir: layer.opt, env: { AWS_LAMBDA_EXEC_WRAPPER: layer.execWrapper } });
 */
export async function extractLayer(prefix: string): Promise<ExtractedLayer> {
  const work = mkdtempSync(join(tmpdir(), prefix));
  const opt = join(work, 'opt');
  const { out } = await buildLayer({ out: join(work, 'lookout-layer.zip'), log: () => {} });
  extractZip(readFileSync(out), opt);
  return {
    opt,
    execWrapper: join(opt, 'lookout-handler'),
    taskRoot(app) {
      const root = mkdtempSync(join(work, `${app}-`));
      cpSync(fixture(`lambda-layer/${app}`), root, { recursive: true });
      return root;
    },
    remove() {
      rmSync(work, { recursive: true, force: true });
    },
  };
}
