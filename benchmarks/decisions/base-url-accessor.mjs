// What the `baseUrl` accessor on Node's request prototype costs per request
// (docs/decisions/0076-mount-path-templates.md): a loop that takes the router's steps for a route
// under a fixed mount (read `req.baseUrl`, set it, set `req.params`, enter `/api`, read it, set it
// back) on 1,000 requests in turn, with plain data properties (`plain`) or after `init()` has
// defined the accessor (`accessor`). Prints nanoseconds per iteration.
//
//   npm run build && node benchmarks/decisions/base-url-accessor.mjs plain
//   npm run build && node benchmarks/decisions/base-url-accessor.mjs accessor
import { IncomingMessage } from 'node:http';
import { Socket } from 'node:net';

const mode = process.argv[2] ?? 'accessor';
if (mode === 'accessor') {
  const { init } = await import('lookout');
  init({ serviceName: 'base-url-accessor', tracing: { exporter: 'none' } });
}
if (Object.hasOwn(IncomingMessage.prototype, 'baseUrl') !== (mode === 'accessor'))
  throw new Error(`the accessor is ${mode === 'accessor' ? 'missing' : 'defined'}`);

const socket = new Socket();
const requests = Array.from({ length: 1000 }, () => new IncomingMessage(socket));
let sink = 0;

function run(iterations) {
  for (let index = 0; index < iterations; index++) {
    const request = requests[index % requests.length];
    const parent = request.baseUrl || '';
    request.baseUrl = parent;
    request.params = {};
    request.baseUrl = `${parent}/api`;
    sink += (request.baseUrl || '').length;
    request.baseUrl = parent;
  }
}

run(2_000_000);
const started = process.hrtime.bigint();
run(5_000_000);
const nanoseconds = Number(process.hrtime.bigint() - started) / 5_000_000;
process.stdout.write(
  `${mode}: ${nanoseconds.toFixed(1)} ns per iteration (${sink > 0 ? 'read back' : 'not read'})\n`,
);
process.exit(0);
