import type { Setting } from '../setting.js';
import { CORE_SETTINGS } from './core.js';
import { HTTP_SETTINGS } from './http.js';
import { LAMBDA_SETTINGS } from './lambda.js';
import { LOGGING_SETTINGS } from './logging.js';
import { LOGS_SETTINGS } from './logs.js';
import { METRICS_SETTINGS } from './metrics.js';
import { OTLP_SETTINGS } from './otlp.js';
import { TRACING_SETTINGS } from './tracing.js';
import { XRAY_SETTINGS } from './xray.js';

/**
 * The one table of settings (STYLE.md): it drives environment parsing, option validation and
 * the generated docs/environment-variables.md. Each area keeps its rows in its own file.
 */
export const SETTINGS: readonly Setting[] = [
  ...CORE_SETTINGS,
  ...OTLP_SETTINGS,
  ...TRACING_SETTINGS,
  ...LAMBDA_SETTINGS,
  ...METRICS_SETTINGS,
  ...XRAY_SETTINGS,
  ...LOGGING_SETTINGS,
  ...LOGS_SETTINGS,
  ...HTTP_SETTINGS,
];
