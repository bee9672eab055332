// Stand-ins for the example app's assets (the Lookout layer and the orders API code), for
// synthesizing it in tests: synthesis only hashes and copies asset directories, so their
// content does not matter here; the real layer comes from the layer build.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface StandInAssets {
  readonly layer: string;
  readonly code: string;
  remove(): void;
}

export function createStandInAssets(): StandInAssets {
  const root = mkdtempSync(join(tmpdir(), 'lookout-cdk-assets-'));
  const layer = join(root, 'layer');
  const code = join(root, 'code');
  mkdirSync(join(layer, 'nodejs', 'node_modules', 'lookout'), { recursive: true });
  writeFileSync(join(layer, 'nodejs', 'node_modules', 'lookout', 'package.json'), '{"name":"lookout"}\n');
  writeFileSync(join(layer, 'lookout-handler'), '#!/bin/sh\nexec "$@"\n');
  mkdirSync(code, { recursive: true });
  writeFileSync(join(code, 'lambda.mjs'), 'export const handler = async () => ({ statusCode: 200 });\n');
  return { layer, code, remove: () => rmSync(root, { recursive: true, force: true }) };
}
