import {
  countMetric,
  DIMENSION_NAMES,
  describeError,
  diagnostics,
  ERROR_CODES,
  getLoggingRuntime,
  getServerSpan,
  isStringList,
  LookoutConfigError,
  logger,
  METRIC_NAMES,
} from '../../core.js';
import { requestIdOf } from '../request-id-of.js';
import { requestPath } from '../request-path.js';
import { getRequestState } from '../request-state.js';
import { sendJson } from '../send-json.js';
import type { ExpressRequest, RequestMiddleware } from '../types.js';
import { collectInspectedText, MASKED_CHAR } from './collect-inspected-text.js';
import { excerptOf, findSuspicious, type SecurityFinding } from './find-suspicious.js';
import { SECURITY_RULES, type SecurityRule } from './security-rules.js';

/** Options of `securityMonitor()`. */
export interface SecurityMonitorOptions {
  /**
   * Answers a flagged request with 400 `{ error: "Bad Request", requestId }` instead of letting
   * it through.
   * @default false
   */
  block?: boolean;
  /**
   * Rule ids to turn off (see SECURITY_RULES, docs/express.md).
   * @default []
   */
  disabledRules?: string[];
}

/**
 * The name of the span event added for each finding (attributes `security.rule`, `security.part`).
 *
 * @example
 * const flagged = span.events.filter((event) => event.name === SUSPICIOUS_REQUEST_EVENT);
 */
export const SUSPICIOUS_REQUEST_EVENT = 'security.suspicious_request';

const MASKED_RUN = new RegExp(`${MASKED_CHAR}+`, 'g');

function report(req: ExpressRequest, findings: readonly SecurityFinding[]): void {
  const { policy } = getLoggingRuntime();
  const span = getRequestState(req)?.serverSpan ?? getServerSpan();
  // The rules read secrets too (an attack can sit in a password field), but an excerpt must not
  // show one: it comes from the same text with the values of sensitive keys and parameters
  // masked, which the redaction of a string alone cannot tell. Read again only for a flagged
  // request, so the inspection of every other one costs nothing more.
  const masked = collectInspectedText(req, (key) => policy.isSensitiveKey(key));
  for (const finding of findings) {
    const text = masked.find((candidate) => candidate.part === finding.part)?.text ?? '';
    const excerpt = policy.redactString(
      excerptOf(text, finding.index, finding.length).replace(MASKED_RUN, policy.censor),
    );
    logger.warn('suspicious request', {
      rule: finding.rule,
      part: finding.part,
      excerpt,
      method: req.method,
      path: requestPath(req),
    });
    countMetric(METRIC_NAMES.suspiciousRequest, { [DIMENSION_NAMES.rule]: finding.rule });
    span?.addEvent(SUSPICIOUS_REQUEST_EVENT, {
      'security.rule': finding.rule,
      'security.part': finding.part,
    });
  }
}

/**
 * The rule ids to turn off, checked when the monitor is created, as `init()` checks its options
 * (docs/design.md decision 4): an id spelled wrong, or a string given for the list (read
 * character by character), used to turn nothing off without a word, and with `block: true` the
 * requests the app meant to let through were answered 400.
 */
function readDisabledRules(value: unknown): ReadonlySet<string> {
  if (value === undefined) return new Set();
  const known = SECURITY_RULES.map((rule) => rule.id);
  if (isStringList(value) && value.every((id) => known.includes(id))) return new Set(value);
  throw new LookoutConfigError({
    option: 'securityMonitor.disabledRules',
    value,
    accepted: `a list of rule ids from: ${known.join(', ')}`,
  });
}

/**
 * Looks for attack shapes in the URL, query string and parsed body (the first 16 KiB of each)
 * with a curated rule list: script injection, SQL injection (`UNION SELECT`, `'; DROP TABLE`,
 * tautologies, time delays), path traversal, command injection, template injection, prototype
 * pollution. Each matching rule writes one WARN line with its id and a redacted excerpt, adds
 * 1 to `SuspiciousRequest` (dimension `Rule`) and an event to the server span. It never blocks
 * unless `block: true`. Mount it after the body parser.
 *
 * @example
 * import { securityMonitor } from 'lookout/express';
 * app.use(express.json());
 * app.use(securityMonitor());
 */
export function securityMonitor(options: SecurityMonitorOptions = {}): RequestMiddleware {
  const disabled = readDisabledRules(options.disabledRules);
  const rules: readonly SecurityRule[] = SECURITY_RULES.filter((rule) => !disabled.has(rule.id));
  const block = options.block === true;
  return function lookoutSecurityMonitor(req, res, next) {
    let findings: SecurityFinding[];
    try {
      findings = findSuspicious(collectInspectedText(req), rules);
      if (findings.length > 0) report(req, findings);
    } catch (error) {
      diagnostics.errorOnce(
        'express:security-monitor',
        ERROR_CODES.INTERNAL,
        `securityMonitor() could not inspect a request, which continues: ${describeError(error)}`,
      );
      next();
      return;
    }
    if (block && findings.length > 0 && !res.headersSent) {
      sendJson(res, 400, { error: 'Bad Request', requestId: requestIdOf(req, res) ?? null });
      return;
    }
    next();
  };
}
