// `npm run bench:report`: regenerates docs/benchmarks.md and docs/benchmarks/*.svg from the
// raw results in benchmarks/results/, without running anything.
//
//   npm run bench:report [-- --results <dir> --report <file> --charts <dir>]
import { parseArgs } from 'node:util';
import { CHARTS_DIR, REPORT_FILE, RESULTS_DIR } from './lib/paths.mjs';
import { writeReport } from './lib/report.mjs';

const { values } = parseArgs({
  options: { results: { type: 'string' }, report: { type: 'string' }, charts: { type: 'string' } },
  strict: true,
});

try {
  const written = await writeReport({
    resultsDir: values.results ?? RESULTS_DIR,
    reportFile: values.report ?? REPORT_FILE,
    chartsDir: values.charts ?? CHARTS_DIR,
  });
  process.stdout.write(`wrote ${written.reportFile} and ${written.charts.length} charts\n`);
} catch (error) {
  process.stderr.write(`${error.message}\n`);
  process.exitCode = 1;
}
