// vitest global setup of the projects that run the built package (integration, package, cdk):
// builds dist/ when it is missing or older than its sources, so `npx vitest run --project …`
// works right after `npm install` (the package has no install-time build script).
import { buildIfStale } from '../../scripts/lib/build-if-stale.mjs';

export function setup(): void {
  buildIfStale();
}
