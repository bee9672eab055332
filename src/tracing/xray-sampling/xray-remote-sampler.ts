import type { Attributes, Context, Link, SpanKind } from '@opentelemetry/api';
import { type Sampler, SamplingDecision, type SamplingResult } from '@opentelemetry/sdk-trace-base';
import { describeError, diagnostics } from '../../diag/index.js';
import { ERROR_CODES } from '../../errors/index.js';
import { randomHex } from '../../runtime/index.js';
import { parseSamplingRulesPage, parseSamplingTargets } from './parse-sampling-responses.js';
import { postJson } from './post-json.js';
import { FallbackDecider, RuleState } from './rule-state.js';
import { compareRules, ruleMatches, type SamplingFacts, type SamplingRule } from './sampling-rule.js';

/** Rules older than this are no longer trusted: the fallback decides until a poll succeeds. */
export const RULES_TTL_MS = 60 * 60 * 1000;
/** GetSamplingTargets takes at most 25 statistics documents per request. */
const MAX_STATISTICS_PER_REQUEST = 25;
/** A request to the proxy that takes longer is abandoned; no request ever waits for one. */
const REQUEST_TIMEOUT_MS = 2000;
/**
 * Rules kept from the proxy's answer, besides X-Ray's Default rule. X-Ray allows an account 25
 * sampling rules by default (a service quota); a proxy that sends thousands (a fault, or not
 * X-Ray) would have every span start matched against all of them and a statistics request sent
 * per 25 of them at each report. The ones X-Ray tries first are kept: lowest Priority, then name.
 */
export const MAX_SAMPLING_RULES = 100;
/** X-Ray's catch-all rule, which every account has: kept in any case, so that it still decides what no other rule matches. */
const DEFAULT_RULE_NAME = 'Default';
/** Pages of GetSamplingRules read at most, against a proxy that never stops paginating. */
const MAX_RULE_PAGES = 20;
/**
 * The targets interval X-Ray may ask for is held to what `targets_interval` accepts (1 s to an
 * hour; X-Ray asks for 10 s): a tiny one would poll the proxy in a loop, and one past Node's
 * timer limit (2^31 - 1 ms) fires after 1 ms, with a warning on the app's stderr each time.
 */
const MIN_TARGETS_INTERVAL_MS = 1000;
const MAX_TARGETS_INTERVAL_MS = 60 * 60 * 1000;

export interface XRayRemoteSamplerOptions {
  /** The daemon's or collector's sampling proxy, e.g. `http://localhost:2000`. */
  readonly endpoint: string;
  readonly rulesIntervalMs: number;
  readonly targetsIntervalMs: number;
  /** The service as rules see it; the span's attributes are added per request. */
  readonly service: Omit<SamplingFacts, 'attributes'>;
  readonly now?: () => number;
  readonly random?: () => number;
  readonly post?: (url: string, body: unknown) => Promise<unknown>;
}

const SAMPLED: SamplingResult = { decision: SamplingDecision.RECORD_AND_SAMPLED };
const DROPPED: SamplingResult = { decision: SamplingDecision.NOT_RECORD };

/**
 * X-Ray centralized sampling (`OTEL_TRACES_SAMPLER=xray`): the rules and the reservoir quotas
 * of the account, fetched through the X-Ray daemon's or the ADOT collector's sampling proxy
 * (GetSamplingRules every `rulesIntervalMs`, GetSamplingTargets with this process's statistics
 * every `targetsIntervalMs` or the interval X-Ray asks for). A decision reads only memory: the
 * first matching rule by priority takes from its reservoir, then applies its fixed rate; with no
 * rules yet, or rules older than an hour because the proxy is unreachable, one request a second
 * plus 5 % are sampled. Polls run on unref'd timers, off every request's path
 * (docs/decisions/0046-xray-centralized-sampling.md).
 */
export class XRayRemoteSampler implements Sampler {
  readonly #options: XRayRemoteSamplerOptions;
  readonly #now: () => number;
  readonly #random: () => number;
  readonly #post: (url: string, body: unknown) => Promise<unknown>;
  readonly #clientId = randomHex(12);
  readonly #fallback = new FallbackDecider();
  #rules: RuleState[] = [];
  #rulesFetchedAtMs = Number.NEGATIVE_INFINITY;
  #rulesTimer: NodeJS.Timeout | undefined;
  #targetsTimer: NodeJS.Timeout | undefined;
  #targetsIntervalMs: number;
  #stopped = false;
  /** A rules poll is under way: a refetch asked for meanwhile is that poll. */
  #pollingRules = false;

  constructor(options: XRayRemoteSamplerOptions) {
    this.#options = options;
    this.#now = options.now ?? Date.now;
    this.#random = options.random ?? Math.random;
    this.#post = options.post ?? ((url, body) => postJson(url, body, REQUEST_TIMEOUT_MS));
    this.#targetsIntervalMs = options.targetsIntervalMs;
  }

  shouldSample(
    _context: Context,
    _traceId: string,
    _spanName: string,
    _spanKind: SpanKind,
    attributes: Attributes,
    _links: Link[],
  ): SamplingResult {
    const now = this.#now();
    if (this.#rules.length > 0 && now - this.#rulesFetchedAtMs <= RULES_TTL_MS) {
      const facts: SamplingFacts = { ...this.#options.service, attributes };
      for (const state of this.#rules) {
        if (!ruleMatches(state.rule, facts)) continue;
        return state.decide(now, this.#random()) === 'not-sampled' ? DROPPED : SAMPLED;
      }
    }
    return this.#fallback.decide(now, this.#random()) ? SAMPLED : DROPPED;
  }

  toString(): string {
    return `XRayRemoteSampler{endpoint=${this.#options.endpoint}}`;
  }

  /** Starts polling: the rules right away (off the caller's turn), the targets after one interval. */
  start(): void {
    const first = setTimeout(() => void this.#refreshRules(), 0);
    first.unref();
    this.#scheduleTargets();
  }

  stop(): void {
    this.#stopped = true;
    clearTimeout(this.#rulesTimer);
    clearTimeout(this.#targetsTimer);
  }

  /** The rules in force, by priority (for diagnostics and tests). */
  rules(): readonly SamplingRule[] {
    return this.#rules.map((state) => state.rule);
  }

  async #refreshRules(): Promise<void> {
    // A refetch asked for by a targets answer while a poll is under way (a slow proxy, or a
    // rule change dated after every poll by a clock behind X-Ray's) would start a second chain
    // of polls beside the first, each rescheduling itself.
    if (this.#stopped || this.#pollingRules) return;
    this.#pollingRules = true;
    try {
      const rules: SamplingRule[] = [];
      let nextToken: string | undefined;
      for (let page = 0; page < MAX_RULE_PAGES; page++) {
        const body = await this.#post(
          `${this.#options.endpoint}/GetSamplingRules`,
          nextToken === undefined ? {} : { NextToken: nextToken },
        );
        const parsed = parseSamplingRulesPage(body);
        rules.push(...parsed.rules);
        nextToken = parsed.nextToken;
        if (nextToken === undefined) break;
      }
      this.#installRules(rules);
      const names = this.#rules.map((state) => state.rule.ruleName);
      diagnostics.debug(
        `X-Ray sampling: ${names.length} rule(s) from ${this.#options.endpoint}: ${names.join(', ')}`,
      );
    } catch (error) {
      diagnostics.warnOnce(
        'xray-sampling-rules',
        ERROR_CODES.SAMPLING_RULES_UNAVAILABLE,
        `X-Ray sampling rules could not be read from ${this.#options.endpoint} (${describeError(error)}); ${
          this.#rules.length > 0 ? 'the last rules stay in force for up to an hour, then ' : ''
        }1 request a second and 5 % of the rest are sampled until they can.`,
      );
    } finally {
      this.#pollingRules = false;
    }
    if (this.#stopped) return;
    this.#rulesTimer = setTimeout(() => void this.#refreshRules(), this.#options.rulesIntervalMs);
    this.#rulesTimer.unref();
  }

  #installRules(rules: readonly SamplingRule[]): void {
    const previous = new Map(this.#rules.map((state) => [state.rule.ruleName, state]));
    // X-Ray's rule names are unique, and the state (reservoir, statistics, targets) is kept by
    // name: a name sent twice would share one state between two rules, the later rule taking
    // the earlier one's place at the next poll. The first by priority is kept.
    const seen = new Set<string>();
    const unique = [...rules].sort(compareRules).filter((rule) => {
      if (seen.has(rule.ruleName)) return false;
      seen.add(rule.ruleName);
      return true;
    });
    let rank = 0;
    const kept =
      unique.length <= MAX_SAMPLING_RULES
        ? unique
        : unique.filter((rule) => rule.ruleName === DEFAULT_RULE_NAME || rank++ < MAX_SAMPLING_RULES);
    if (kept.length < unique.length)
      diagnostics.warnOnce(
        'xray-sampling-rules-limit',
        ERROR_CODES.SAMPLING_RULES_LIMIT,
        `The sampling proxy at ${this.#options.endpoint} sent ${unique.length} sampling rules (X-Ray allows an account 25 by default); the ${MAX_SAMPLING_RULES} of highest priority and the Default rule are used.`,
      );
    this.#rules = kept.map((rule) => {
      const kept = previous.get(rule.ruleName);
      if (kept === undefined) return new RuleState(rule);
      kept.replaceRule(rule);
      return kept;
    });
    this.#rulesFetchedAtMs = this.#now();
  }

  #scheduleTargets(): void {
    if (this.#stopped) return;
    this.#targetsTimer = setTimeout(() => void this.#refreshTargets(), this.#targetsIntervalMs);
    this.#targetsTimer.unref();
  }

  async #refreshTargets(): Promise<void> {
    try {
      if (this.#rules.length > 0) {
        const timestamp = this.#now() / 1000;
        const taken = this.#rules.map((state) => ({ state, statistics: state.takeStatistics() }));
        let nextIntervalMs: number | undefined;
        let refetchRules = false;
        for (let start = 0; start < taken.length; start += MAX_STATISTICS_PER_REQUEST) {
          const batch = taken.slice(start, start + MAX_STATISTICS_PER_REQUEST);
          let body: unknown;
          try {
            body = await this.#post(`${this.#options.endpoint}/SamplingTargets`, {
              SamplingStatisticsDocuments: batch.map(({ statistics }) => ({
                RuleName: statistics.ruleName,
                ClientID: this.#clientId,
                Timestamp: timestamp,
                RequestCount: statistics.requestCount,
                SampledCount: statistics.sampledCount,
                BorrowCount: statistics.borrowCount,
              })),
            });
          } catch (error) {
            // The counts of this batch and of those not sent go with the next report instead of
            // being lost with it (bounded: rule-state.ts MAX_CARRIED_REPORTS).
            for (const { state, statistics } of taken.slice(start)) state.restoreStatistics(statistics);
            throw error;
          }
          const response = parseSamplingTargets(body);
          const unprocessed = new Set(response.unprocessed);
          for (const { state, statistics } of batch) {
            if (unprocessed.has(statistics.ruleName)) state.restoreStatistics(statistics);
            else state.statisticsReported();
          }
          const byName = new Map(this.#rules.map((state) => [state.rule.ruleName, state]));
          for (const target of response.targets) {
            byName.get(target.ruleName)?.applyTarget(target);
            if (target.intervalSeconds !== undefined && target.intervalSeconds > 0)
              nextIntervalMs = Math.min(
                nextIntervalMs ?? Number.POSITIVE_INFINITY,
                target.intervalSeconds * 1000,
              );
          }
          if (
            response.lastRuleModificationMs !== undefined &&
            response.lastRuleModificationMs > this.#rulesFetchedAtMs
          )
            refetchRules = true;
        }
        this.#targetsIntervalMs =
          nextIntervalMs === undefined
            ? this.#options.targetsIntervalMs
            : Math.min(Math.max(nextIntervalMs, MIN_TARGETS_INTERVAL_MS), MAX_TARGETS_INTERVAL_MS);
        if (refetchRules) {
          clearTimeout(this.#rulesTimer);
          void this.#refreshRules();
        }
      }
    } catch (error) {
      diagnostics.warnOnce(
        'xray-sampling-targets',
        ERROR_CODES.SAMPLING_RULES_UNAVAILABLE,
        `X-Ray sampling targets could not be read from ${this.#options.endpoint} (${describeError(error)}); rules keep their last quotas until these expire, and the statistics go with the next report.`,
      );
    }
    this.#scheduleTargets();
  }
}
