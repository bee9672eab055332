// `npm run synth`: synthesizes the orders API stack into cdk.out/ offline, without the CDK CLI
// or an AWS account. Deploy the result with `npx cdk deploy --app cdk.out`.
//
//   npm run synth                                  # the layer built from the installed lookout
//   npm run synth -- --layer PATH --code PATH      # a layer zip built before; the handler code elsewhere
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { App } from 'aws-cdk-lib';
import { ORDERS_API_CODE, OrdersApiStack } from './orders-api-stack.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const { values } = parseArgs({
  options: {
    layer: { type: 'string' },
    code: { type: 'string', default: ORDERS_API_CODE },
    out: { type: 'string', default: join(here, 'cdk.out') },
  },
});

const missing = [
  ...(values.layer === undefined ? [] : [[values.layer, 'the Lookout layer zip given with --layer']]),
  [values.code, 'the orders API code: see examples/orders-api, or pass --code'],
].filter(([path]) => !existsSync(path));
if (missing.length > 0) {
  for (const [path, hint] of missing) console.error(`synth: ${path} does not exist (${hint})`);
  process.exit(1);
}

const app = new App({ outdir: resolve(values.out) });
const stack = new OrdersApiStack(app, 'OrdersApi', {
  ...(values.layer === undefined ? {} : { layerAsset: resolve(values.layer) }),
  codeAsset: resolve(values.code),
});
const assembly = app.synth();

const artifact = assembly.getStackByName(stack.stackName);
const template = JSON.parse(readFileSync(artifact.templateFullPath, 'utf8'));
const counts = {};
for (const resource of Object.values(template.Resources))
  counts[resource.Type] = (counts[resource.Type] ?? 0) + 1;
console.log(`synth: ${artifact.templateFullPath}`);
for (const [type, count] of Object.entries(counts).sort())
  console.log(`  ${String(count).padStart(3)}  ${type}`);
