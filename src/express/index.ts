// `lookout/express`: middleware for Express 4 and 5 on top of the core (imported through
// src/core.ts only, so the app's process holds one copy of the core's state).
export type { AccessLogFields } from './access-log.js';
export { ACCESS_LOG_MESSAGE } from './access-log.js';
export type { AuditMiddlewareOptions } from './audit-middleware.js';
export { auditMiddleware } from './audit-middleware.js';
export type { ErrorBody } from './build-error-body.js';
export type { ErrorHandlerOptions } from './error-handler.js';
export { errorHandler } from './error-handler.js';
export type { HealthBody, HealthOptions } from './health.js';
export { health } from './health.js';
export type { ObserveOptions } from './observe.js';
export { observe } from './observe.js';
export type { HealthCheck, HealthCheckResult } from './run-health-check.js';
export type { SecurityMonitorOptions } from './security/security-monitor.js';
export { SUSPICIOUS_REQUEST_EVENT, securityMonitor } from './security/security-monitor.js';
export type { InspectedPart, SecurityRule } from './security/security-rules.js';
export { SECURITY_RULES } from './security/security-rules.js';
export type {
  ErrorMiddleware,
  ExpressRequest,
  ExpressResponse,
  NextFunction,
  RequestMiddleware,
} from './types.js';
