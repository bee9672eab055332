// Lint step: architecture rules, layers and cycle check over src/ (see lib/import-graph.mjs), and
// dependencies' private members reached only from their one module (lib/private-members.mjs).
import { relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildGraph, checkLayers, checkRules, findCycles } from './lib/import-graph.mjs';
import { checkPrivateAccesses } from './lib/private-members.mjs';

const srcDir = resolve(fileURLToPath(new URL('../src', import.meta.url)));
const graph = buildGraph(srcDir);
// Layers are a strict order, so no two core folders can import each other: no folder cycles.
const problems = [
  ...checkRules(srcDir, graph),
  ...checkLayers(srcDir, graph),
  ...checkPrivateAccesses(srcDir),
];
for (const cycle of findCycles(graph)) {
  problems.push(
    `import cycle: ${cycle.map((/** @type {string} */ file) => relative(srcDir, file)).join(' -> ')}`,
  );
}
if (problems.length > 0) {
  for (const problem of problems) console.error(`check-imports: ${problem}`);
  process.exitCode = 1;
} else {
  console.log(
    `check-imports: ${graph.size} files, import direction ok, layers ok, no cycles, private members in their modules`,
  );
}
