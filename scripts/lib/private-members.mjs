// Private members of dependencies (members their types mark private, or files that are not one
// of their public entries) are reached from one module per dependency, each with a contract
// test against the pinned version and a decision record saying what breaks on an upgrade. This
// check fails lint when any other file of src/ names one of them.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

/**
 * @typedef {object} PrivateAccess
 * @property {string} dependency the package whose internals these are
 * @property {string} module the one file of src/ that may reach them
 * @property {string} contract the test that fails when an upgrade removes or changes one
 * @property {string} decision the decision record
 * @property {string[]} members names distinctive enough to find in code (a generic one, such
 *   as `console`, is reached only through the module's functions, which the review keeps so)
 */

/** @type {PrivateAccess[]} */
export const PRIVATE_ACCESSES = [
  {
    dependency: '@aws-lambda-powertools/logger',
    module: 'logging/internals/powertools-logger-internals.ts',
    contract: 'test/unit/internals/powertools-logger-internals.test.ts',
    decision: 'docs/decisions/0051-powertools-logger-internals.md',
    members: ['powertoolsLogData', 'setLogEvent', 'awsLogLevelShortCircuit', 'getLogLevelNameFromNumber'],
  },
  {
    dependency: '@aws-lambda-powertools/metrics',
    module: 'metrics/internals/powertools-metrics-internals.ts',
    contract: 'test/unit/internals/powertools-metrics-internals.test.ts',
    decision: 'docs/decisions/0052-powertools-metrics-internals.md',
    members: ['setEnvConfig', 'shouldThrowOnEmptyMetrics', 'setNamespace', 'setDisabled'],
  },
  {
    dependency: 'aws-cdk-lib',
    module: 'cdk/stack-template.ts',
    contract: 'test/cdk/stack-template.test.ts',
    decision: 'docs/decisions/0054-other-dependency-internals.md',
    members: ['_toCloudFormation', '_synthesizeTemplate'],
  },
  {
    dependency: '@opentelemetry/otlp-exporter-base',
    module: 'otlp/export-delegate-internals.ts',
    contract: 'test/unit/internals/otlp-export-delegate-internals.test.ts',
    decision: 'docs/decisions/0054-other-dependency-internals.md',
    members: ['_transport', '_delegate'],
  },
  {
    dependency: 'pino',
    module: 'logging/app-loggers/pino-correlation.ts',
    contract: 'test/integration/logging.app-loggers.test.ts',
    decision: 'docs/decisions/0048-trace-ids-in-app-loggers.md',
    members: [],
  },
];

// A package path that is not a public entry: `pkg/lib/…`, `@scope/pkg/dist/…`, `…/build/src/…`.
const DEEP_PATH = /['"`]((?:@[\w.-]+\/)?[\w.-]+)\/(?:lib|dist|build|src|internal)\/[^'"`]*['"`]/g;

/**
 * The source without its comments, so that a comment may name what it explains. Strings are
 * kept; a `//` inside one (a URL) is not taken for a comment.
 * @param {string} source
 * @returns {string}
 */
export function stripComments(source) {
  let out = '';
  let index = 0;
  while (index < source.length) {
    const char = source[index];
    const next = source[index + 1];
    if (char === '/' && next === '*') {
      const end = source.indexOf('*/', index + 2);
      index = end < 0 ? source.length : end + 2;
    } else if (char === '/' && next === '/') {
      const end = source.indexOf('\n', index);
      index = end < 0 ? source.length : end;
    } else if (char === "'" || char === '"' || char === '`') {
      let end = index + 1;
      while (end < source.length && source[end] !== char) end += source[end] === '\\' ? 2 : 1;
      out += source.slice(index, end + 1);
      index = end + 1;
    } else {
      out += char;
      index += 1;
    }
  }
  return out;
}

/**
 * Every place a file names a private member, or a deep path, of a dependency it does not own.
 * @param {string} file path relative to src/
 * @param {string} source
 * @param {PrivateAccess[]} [accesses]
 * @returns {string[]}
 */
export function findPrivateAccesses(file, source, accesses = PRIVATE_ACCESSES) {
  const code = stripComments(source);
  /** @type {string[]} */
  const problems = [];
  for (const access of accesses) {
    if (access.module === file) continue;
    for (const member of access.members) {
      if (new RegExp(`(?<![\\w$])${member.replace(/\$/g, '\\$')}(?![\\w$])`).test(code))
        problems.push(
          `${file} names ${access.dependency}'s private ${member}: only src/${access.module} may (${access.decision})`,
        );
    }
  }
  for (const match of code.matchAll(DEEP_PATH)) {
    const dependency = /** @type {string} */ (match[1]);
    const owner = accesses.find((access) => access.dependency === dependency);
    if (owner?.module === file) continue;
    problems.push(
      owner === undefined
        ? `${file} names ${match[0]}, a path inside ${dependency}: reach it from one module listed in PRIVATE_ACCESSES (scripts/lib/private-members.mjs), with a contract test and a decision record`
        : `${file} names ${match[0]}, a path inside ${dependency}: only src/${owner.module} may (${owner.decision})`,
    );
  }
  return problems;
}

/**
 * @param {string} dir
 * @returns {string[]}
 */
function listSources(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return listSources(path);
    return name.endsWith('.ts') && !name.endsWith('.d.ts') ? [path] : [];
  });
}

/**
 * Every private access in src/ outside its module.
 * @param {string} srcDir
 * @returns {string[]}
 */
export function checkPrivateAccesses(srcDir) {
  return listSources(srcDir).flatMap((path) =>
    findPrivateAccesses(relative(srcDir, path), readFileSync(path, 'utf8')),
  );
}
