// The environment the start-up decision scripts (startup-wall-clock.mjs, core-load-phases.mjs)
// start Lookout in: no signal handlers, an OTLP endpoint nothing listens on (start-up sends
// nothing), and with `lambda` the variables Lambda sets for a function, without a Runtime API
// (the function's init only).

/**
 * @param {{ lambda: boolean }} options
 * @returns {Record<string, string | undefined>}
 */
export function startupEnv({ lambda }) {
  return {
    PATH: process.env.PATH,
    LOOKOUT_HANDLE_SIGNALS: 'false',
    OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:9',
    ...(lambda
      ? {
          AWS_LAMBDA_FUNCTION_NAME: 'bench',
          AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs20.x',
          AWS_REGION: 'eu-west-1',
          LAMBDA_TASK_ROOT: process.cwd(),
        }
      : {}),
  };
}
