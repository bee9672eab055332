/**
 * What the AWS SDK instrumentation hooks, known before it is loaded: it is set up when the app
 * first requires a module whose name starts with one of these prefixes
 * (docs/decisions/0055-start-up-loads-what-it-starts.md).
 */
export const AWS_SDK_PREFIXES = ['@aws-sdk/', '@smithy/'] as const;

/**
 * The modules `@opentelemetry/instrumentation-aws-sdk` hooks, for the choice an ES module app
 * makes at start-up (docs/decisions/0003-esm-without-loader-thread.md) while the
 * instrumentation itself is not loaded yet. A unit test holds this list to the instrumentation's
 * own module definitions.
 */
export const AWS_SDK_HOOKED_MODULES = [
  '@aws-sdk/middleware-stack',
  '@smithy/middleware-stack',
  '@smithy/core',
  '@aws-sdk/smithy-client',
  '@smithy/smithy-client',
] as const;

/** The instrumentation's name, as `init()` lists what runs. */
export const AWS_SDK_INSTRUMENTATION = '@opentelemetry/instrumentation-aws-sdk';
