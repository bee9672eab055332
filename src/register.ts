// `node --import lookout/register app.mjs` / `node --require lookout/register app.js`:
// starts Lookout from the environment alone, before the app's own modules load.
import {
  describeError,
  diagnostics,
  ERROR_CODES,
  getProcessEnv,
  init,
  markStartedByRegister,
  setModuleSyntaxJudge,
} from './core.js';
import { hasModuleSyntax } from './startup/has-module-syntax.js';
import { isAppRunner } from './startup/is-app-runner.js';
import { isRegisterImportedByApp } from './startup/is-register-imported-by-app.js';

function start(): void {
  // Before any of the app's modules: nothing it uses can have been loaded too early.
  markStartedByRegister();
  // A `.js` entry with no declared type that Node runs as an ES module for its syntax is judged
  // by this (its own bundle's) parser.
  setModuleSyntaxJudge(hasModuleSyntax);
  const { active } = init();
  // Unless the app's own ES module code imported this file (`import 'lookout/register'` on an
  // entry's first line): then every module linked with it was loaded first, and the packages
  // among them that load as ES modules escape the instrumentations that hook packages (named
  // after theirs, `@opentelemetry/instrumentation-…`; Lookout's own `http`, `undici` and
  // `express` need no hook). Nothing else can see that: one warning, with the fix.
  if (
    active.instrumentations.some((name) => name.includes('/')) &&
    isRegisterImportedByApp(require, process.execArgv, getProcessEnv().NODE_OPTIONS)
  )
    diagnostics.warnOnce(
      'register-imported-by-app',
      ERROR_CODES.LOADED_BEFORE_INIT,
      'lookout/register was imported by the app\'s code instead of preloaded, so the modules imported with it were loaded before it ran, and instrumented packages among them that load as ES modules cannot be traced. Fix: preload it: node --import lookout/register app.mjs (or NODE_OPTIONS="--import lookout/register").',
    );
}

try {
  // `NODE_OPTIONS="--import lookout/register" npm start` preloads this into npm's own process
  // too, and `… npx lookout dev -- npm start` into Lookout's command: neither is the app, which
  // they start with the same NODE_OPTIONS.
  // COREPACK_HOME as Corepack reads it: the raw value, where it keeps its releases when set.
  if (isAppRunner(process.argv[1], require, getProcessEnv().COREPACK_HOME))
    diagnostics.debug(
      `lookout/register: not started in ${process.argv[1]}, which runs the app rather than being it.`,
    );
  else start();
} catch (error) {
  // With no options passed nothing here should throw; if something does, the app must still
  // start (docs/design.md decision 4).
  diagnostics.error(
    ERROR_CODES.START_FAILED,
    `lookout/register could not start Lookout: ${describeError(error)}`,
  );
}
