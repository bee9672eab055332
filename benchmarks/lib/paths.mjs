// Paths the benchmark suite shares. The apps under test are constants here so that switching
// the cold-start app (for instance to examples/orders-api) is a one-line change.
import { fileURLToPath } from 'node:url';

/** The repository root (the benchmarks run with it as the working directory). */
export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Where `npm run bench` writes raw results and `npm run bench:report` reads them. */
export const RESULTS_DIR = `${ROOT}benchmarks/results`;

/** The generated report and its charts. */
export const REPORT_FILE = `${ROOT}docs/benchmarks.md`;
export const CHARTS_DIR = `${ROOT}docs/benchmarks`;

/**
 * Scenario a: the app, and the request whose 200 ends the cold start. The steady-state bench
 * app, so that each variant starts with the middleware its users mount (`BENCH_MIDDLEWARE`:
 * Lookout's `observe()` and `errorHandler()` in "Lookout full", the hand-built access log of
 * "OTel + Powertools"); the example app mounts none.
 */
export const COLD_START_APP = {
  path: 'benchmarks/apps/express-server.mjs',
  method: 'GET',
  firstRequest: '/hello/cold-start',
};

/** Scenarios b and e: the bench app with the hello route and the realistic route. */
export const STEADY_STATE_APP = { path: 'benchmarks/apps/express-server.mjs' };
