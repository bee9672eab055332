// The project documents itself (docs/design.md decision 10): what the code and the docs cite is
// the design document and the decision records in docs/, and every citation resolves.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const SEARCHED = ['src', 'docs', 'scripts', 'layer', 'benchmarks', 'examples', 'collector', 'test'];
const SKIPPED_DIRECTORIES = new Set(['node_modules', 'dist', 'results', 'cdk.out', 'opentelemetry-proto']);
const TEXT = /\.(ts|mts|cts|js|mjs|cjs|md|yaml|yml|json|sh)$/;

function textFiles(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const path = join(directory, entry.name);
    if (entry.isDirectory()) return SKIPPED_DIRECTORIES.has(entry.name) ? [] : textFiles(path);
    return TEXT.test(entry.name) ? [path] : [];
  });
}

const files = [join(root, 'README.md'), ...SEARCHED.flatMap((folder) => textFiles(join(root, folder)))];
const records = new Set(readdirSync(join(root, 'docs', 'decisions')));
const designDecisions = [
  ...readFileSync(join(root, 'docs', 'design.md'), 'utf8').matchAll(/^(\d+)\. \*\*/gm),
].map(([, number]) => Number(number));

/** Every citation in the project that does not resolve, as `file: citation`. */
function unresolvedCitations(): string[] {
  const problems: string[] = [];
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    const where = relative(root, file);
    for (const [citation, name] of text.matchAll(/docs\/decisions\/(\d{4}-[a-z0-9-]*[a-z0-9])/g)) {
      if (!records.has(`${name}.md`)) problems.push(`${where}: ${citation}`);
    }
    for (const [citation, list] of text.matchAll(
      /docs\/design\.md\s*(?:\/\/|\*|#)?\s*decisions? ([\d, and]+)/g,
    )) {
      for (const number of list?.match(/\d+/g) ?? []) {
        if (!designDecisions.includes(Number(number))) problems.push(`${where}: ${citation.trim()}`);
      }
    }
    // The design and style documents used to live outside the repository.
    for (const [citation] of text.matchAll(/\b(?:DESIGN(?:\.md| decisions?)|STYLE\.md)\b/g)) {
      if (where !== 'test/unit/docs-citations.test.ts') problems.push(`${where}: ${citation}`);
    }
  }
  return problems;
}

describe('citations of the design', () => {
  it('finds the numbered decisions of docs/design.md', () => {
    expect(designDecisions).toEqual(designDecisions.map((_, index) => index + 1));
    expect(designDecisions.length).toBeGreaterThanOrEqual(10);
  });

  it('resolve: every cited decision record exists, every cited design decision is numbered there', () => {
    expect(unresolvedCitations()).toEqual([]);
  });
});
