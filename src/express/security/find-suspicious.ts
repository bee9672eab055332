import type { InspectedText } from './collect-inspected-text.js';
import type { InspectedPart, SecurityRule } from './security-rules.js';

/** One rule that matched a request. */
export interface SecurityFinding {
  readonly rule: string;
  readonly part: InspectedPart;
  /** Up to ~130 characters around the match, on one line (not yet redacted). */
  readonly excerpt: string;
  /** Where the match starts in the part's text, and its length. */
  readonly index: number;
  readonly length: number;
}

const CONTEXT_CHARS = 24;
const MAX_MATCH_CHARS = 80;

/**
 * Up to ~130 characters of `text` around a match, on one line.
 *
 * @example
 * excerptOf('q=1 UNION SELECT password FROM users', 4, 12); // 'q=1 UNION SELECT password FROM users'
 */
export function excerptOf(text: string, index: number, length: number): string {
  const start = Math.max(0, index - CONTEXT_CHARS);
  const end = Math.min(text.length, index + Math.min(length, MAX_MATCH_CHARS) + CONTEXT_CHARS);
  return text.slice(start, end).replace(/\s+/g, ' ');
}

/**
 * The rules that match any part of a request, each reported once (at its first match).
 *
 * @example
 * findSuspicious([{ part: 'query', text: "q=' OR '1'='1" }], SECURITY_RULES); // [{ rule: 'sqli-tautology', ... }]
 */
export function findSuspicious(
  parts: readonly InspectedText[],
  rules: readonly SecurityRule[],
): SecurityFinding[] {
  const findings: SecurityFinding[] = [];
  for (const rule of rules) {
    for (const { part, text } of parts) {
      if (!rule.parts.includes(part)) continue;
      const match = rule.pattern.exec(text);
      if (match === null) continue;
      const { index } = match;
      const { length } = match[0];
      findings.push({ rule: rule.id, part, excerpt: excerptOf(text, index, length), index, length });
      break;
    }
  }
  return findings;
}
