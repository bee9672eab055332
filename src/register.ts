// `node --import lookout/register app.mjs` / `node --require lookout/register app.js`:
// starts Lookout from the environment alone, before the app's own modules load.
import { describeError, diagnostics, ERROR_CODES, init, markStartedByRegister } from './core.js';

try {
  // Before any of the app's modules: nothing it uses can have been loaded too early.
  markStartedByRegister();
  init();
} catch (error) {
  // With no options passed nothing here should throw; if something does, the app must still
  // start (DESIGN decision 4).
  diagnostics.error(
    ERROR_CODES.START_FAILED,
    `lookout/register could not start Lookout: ${describeError(error)}`,
  );
}
