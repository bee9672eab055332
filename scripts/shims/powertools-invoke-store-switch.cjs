'use strict';
// Stands in for @aws-lambda-powertools/commons' `envUtils.js` where its InvocationScoped stores
// import it (see scripts/build.mjs, docs/decisions/0064-invoke-store-switch-read-once.md). Those
// stores hold the Logger's and Metrics' per-invocation state and ask `shouldUseInvokeStore()` on
// every read and write: about 16 reads of `process.env` per invocation that logs a line and adds
// a metric, each a call into the environment (about 0.3 µs). The answer cannot change: Lambda
// sets AWS_LAMBDA_MAX_CONCURRENCY for the execution environment before the function's process
// starts. Same answer as Powertools': set and not blank.

/** @type {boolean | undefined} */
let useInvokeStore;

/** Whether invocations may run concurrently here, read from the environment once. */
function shouldUseInvokeStore() {
  if (useInvokeStore === undefined) {
    useInvokeStore = (process.env.AWS_LAMBDA_MAX_CONCURRENCY ?? '').trim() !== '';
  }
  return useInvokeStore;
}

module.exports = { shouldUseInvokeStore };
