import type { SamplingTarget } from './parse-sampling-responses.js';
import type { SamplingRule } from './sampling-rule.js';

/** What one rule decided since its statistics were last reported. */
export interface RuleStatistics {
  readonly ruleName: string;
  readonly requestCount: number;
  readonly sampledCount: number;
  readonly borrowCount: number;
}

/**
 * Reports in a row whose counts a rule carries into the next one when they fail (a minute at
 * X-Ray's 10-second interval). The counters are one set per rule whatever happens; this bounds
 * how stale the counts they hold can grow: X-Ray shares a reservoir by the recent request rate,
 * and an hour of requests reported at once after an outage would claim a share the rule does not
 * have. After that many, the carried counts are dropped and counting starts again.
 */
export const MAX_CARRIED_REPORTS = 6;

/** How a request that matched a rule was decided. */
export type RuleDecision = 'reservoir' | 'borrowed' | 'fixed-rate' | 'not-sampled';

/**
 * A rule with its reservoir and counters. The reservoir is counted per wall-clock second: up
 * to the quota X-Ray assigned (until its TTL); without a live quota, one request a second is
 * borrowed when the rule has a reservoir at all. After that, the fixed rate decides.
 */
export class RuleState {
  rule: SamplingRule;
  #fixedRate: number;
  #quota: number | undefined;
  #quotaExpiresAtMs = 0;
  #second = -1;
  #takenThisSecond = 0;
  #borrowedThisSecond = 0;
  #requests = 0;
  #sampled = 0;
  #borrowed = 0;
  /** Failed reports in a row whose counts are in the counters (MAX_CARRIED_REPORTS). */
  #carriedReports = 0;

  constructor(rule: SamplingRule) {
    this.rule = rule;
    this.#fixedRate = rule.fixedRate;
  }

  /** Keeps reservoir and counters when the same rule comes back from a later poll. */
  replaceRule(rule: SamplingRule): void {
    this.rule = rule;
    this.#fixedRate = rule.fixedRate;
  }

  applyTarget(target: SamplingTarget): void {
    if (target.fixedRate !== undefined) this.#fixedRate = target.fixedRate;
    if (target.reservoirQuota !== undefined && target.reservoirQuotaTtlMs !== undefined) {
      this.#quota = target.reservoirQuota;
      this.#quotaExpiresAtMs = target.reservoirQuotaTtlMs;
    }
  }

  /** Decides one matching request; `random` is in [0, 1). */
  decide(nowMs: number, random: number): RuleDecision {
    this.#requests++;
    const second = Math.floor(nowMs / 1000);
    if (second !== this.#second) {
      this.#second = second;
      this.#takenThisSecond = 0;
      this.#borrowedThisSecond = 0;
    }
    const quotaLive = this.#quota !== undefined && nowMs < this.#quotaExpiresAtMs;
    if (quotaLive) {
      if (this.#takenThisSecond < (this.#quota as number)) {
        this.#takenThisSecond++;
        this.#sampled++;
        return 'reservoir';
      }
    } else if (this.rule.reservoirSize > 0 && this.#borrowedThisSecond < 1) {
      this.#borrowedThisSecond++;
      this.#sampled++;
      this.#borrowed++;
      return 'borrowed';
    }
    if (random < this.#fixedRate) {
      this.#sampled++;
      return 'fixed-rate';
    }
    return 'not-sampled';
  }

  /** The counters since the last call, which resets them. */
  takeStatistics(): RuleStatistics {
    const statistics = {
      ruleName: this.rule.ruleName,
      requestCount: this.#requests,
      sampledCount: this.#sampled,
      borrowCount: this.#borrowed,
    };
    this.#requests = 0;
    this.#sampled = 0;
    this.#borrowed = 0;
    return statistics;
  }

  /**
   * Puts back the counts taken for a report that failed or that X-Ray did not process, so that
   * the next report carries them; counts carried through MAX_CARRIED_REPORTS failed reports in a
   * row are dropped instead.
   */
  restoreStatistics(statistics: RuleStatistics): void {
    if (this.#carriedReports >= MAX_CARRIED_REPORTS) {
      this.#carriedReports = 0;
      return;
    }
    this.#carriedReports++;
    this.#requests += statistics.requestCount;
    this.#sampled += statistics.sampledCount;
    this.#borrowed += statistics.borrowCount;
  }

  /** The report that took the counts was accepted. */
  statisticsReported(): void {
    this.#carriedReports = 0;
  }
}

/**
 * The sampler used while no rules are known (before the first poll, or when the sampling
 * proxy has been unreachable for longer than rules are trusted): one request a second, then
 * 5 % of the rest — X-Ray's default rule.
 */
export class FallbackDecider {
  #second = -1;
  #taken = 0;

  decide(nowMs: number, random: number): boolean {
    const second = Math.floor(nowMs / 1000);
    if (second !== this.#second) {
      this.#second = second;
      this.#taken = 0;
    }
    if (this.#taken < 1) {
      this.#taken++;
      return true;
    }
    return random < 0.05;
  }
}
