import { ROOT_CONTEXT, SpanKind } from '@opentelemetry/api';
import { SamplingDecision } from '@opentelemetry/sdk-trace-base';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { resolveConfig } from '../../../src/config/index.js';
import { detectRuntime } from '../../../src/runtime/index.js';
import {
  parseSamplingRulesPage,
  parseSamplingTargets,
} from '../../../src/tracing/xray-sampling/parse-sampling-responses.js';
import {
  FallbackDecider,
  MAX_CARRIED_REPORTS,
  RuleState,
} from '../../../src/tracing/xray-sampling/rule-state.js';
import {
  ruleMatches,
  type SamplingRule,
  wildcardMatch,
} from '../../../src/tracing/xray-sampling/sampling-rule.js';
import { RULES_TTL_MS, XRayRemoteSampler } from '../../../src/tracing/xray-sampling/xray-remote-sampler.js';

const ANY: SamplingRule = {
  ruleName: 'Default',
  priority: 10000,
  fixedRate: 0.05,
  reservoirSize: 1,
  serviceName: '*',
  serviceType: '*',
  host: '*',
  httpMethod: '*',
  urlPath: '*',
  resourceArn: '*',
  attributes: {},
};
/** Every request to /orders/* sampled, before the default rule. */
const ORDERS_RULE: SamplingRule = {
  ...ANY,
  ruleName: 'orders',
  priority: 1,
  urlPath: '/orders/*',
  fixedRate: 1,
  reservoirSize: 0,
};
const FACTS = { serviceName: 'orders-api', serviceType: 'AWS::ECS::Container', resourceArn: undefined };

describe('X-Ray wildcard matching', () => {
  it.each([
    ['*', undefined, true],
    ['/orders/*', '/orders/42', true],
    ['/orders/*', '/users/42', false],
    ['/orders/?', '/orders/4', true],
    ['/orders/?', '/orders/42', false],
    ['GET', 'get', true],
    ['*.example.com', 'API.example.com', true],
    ['a*b*c', 'aXXbYYc', true],
    ['a*b*c', 'aXXbYY', false],
    ['exact', undefined, false],
  ])('%s against %s is %s', (pattern, text, expected) => {
    expect(wildcardMatch(pattern, text)).toBe(expected);
  });
});

describe('a sampling rule', () => {
  it('matches service, type, method, path, host and every attribute, from stable or older names', () => {
    // Prepare
    const rule = {
      ...ANY,
      serviceName: 'orders-*',
      serviceType: 'AWS::ECS::Container',
      httpMethod: 'POST',
      urlPath: '/orders*',
      host: 'api.example.com',
      attributes: { tenant: 'acme*' },
    };
    const attributes = {
      'http.request.method': 'POST',
      'url.path': '/orders/7',
      'server.address': 'api.example.com',
      tenant: 'acme-eu',
    };

    // Act + Assess
    expect(ruleMatches(rule, { ...FACTS, attributes })).toBe(true);
    expect(
      ruleMatches(rule, {
        ...FACTS,
        attributes: {
          'http.method': 'POST',
          'http.target': '/orders',
          'http.host': 'api.example.com',
          tenant: 'acme',
        },
      }),
    ).toBe(true);
    expect(ruleMatches(rule, { ...FACTS, attributes: { ...attributes, tenant: 'other' } })).toBe(false);
    expect(ruleMatches(rule, { ...FACTS, serviceType: 'AWS::EC2::Instance', attributes })).toBe(false);
    expect(ruleMatches({ ...rule, resourceArn: 'arn:aws:ecs:*' }, { ...FACTS, attributes })).toBe(false);
  });
});

describe('a rule reservoir', () => {
  it('borrows one request a second before X-Ray assigns a quota, then applies the fixed rate', () => {
    // Prepare
    const state = new RuleState({ ...ANY, fixedRate: 0.1 });

    // Act
    const decisions = [
      state.decide(1_000, 0.99),
      state.decide(1_100, 0.05),
      state.decide(1_200, 0.5),
      state.decide(2_000, 0.99),
    ];

    // Assess
    expect(decisions).toEqual(['borrowed', 'fixed-rate', 'not-sampled', 'borrowed']);
    expect(state.takeStatistics()).toEqual({
      ruleName: 'Default',
      requestCount: 4,
      sampledCount: 3,
      borrowCount: 2,
    });
    expect(state.takeStatistics()).toEqual({
      ruleName: 'Default',
      requestCount: 0,
      sampledCount: 0,
      borrowCount: 0,
    });
  });

  it('takes up to the assigned quota each second until its TTL, then borrows again', () => {
    // Prepare
    const state = new RuleState({ ...ANY, fixedRate: 0 });
    state.applyTarget({
      ruleName: 'Default',
      fixedRate: 0,
      reservoirQuota: 2,
      reservoirQuotaTtlMs: 10_000,
      intervalSeconds: 10,
    });

    // Act
    const decisions = [5_000, 5_100, 5_200, 6_000, 10_000, 10_100].map((now) => state.decide(now, 0.5));

    // Assess
    expect(decisions).toEqual([
      'reservoir',
      'reservoir',
      'not-sampled',
      'reservoir',
      'borrowed',
      'not-sampled',
    ]);
  });

  it('never borrows for a rule without a reservoir', () => {
    const state = new RuleState({ ...ANY, reservoirSize: 0, fixedRate: 0 });
    expect(state.decide(1_000, 0.5)).toBe('not-sampled');
  });
});

describe('the fallback', () => {
  it('samples one request a second and 5 % of the rest', () => {
    const fallback = new FallbackDecider();
    expect([
      fallback.decide(1_000, 0.9),
      fallback.decide(1_500, 0.9),
      fallback.decide(1_600, 0.04),
      fallback.decide(2_000, 0.9),
    ]).toEqual([true, false, true, true]);
  });
});

describe('reading the sampling API', () => {
  it('keeps only complete version-1 rules with a rate from 0 to 1 and texts X-Ray accepts', () => {
    // Prepare
    const record = (rule: Record<string, unknown>) => ({
      SamplingRule: {
        RuleName: 'r',
        Priority: 1,
        FixedRate: 0.5,
        ReservoirSize: 1,
        ServiceName: '*',
        ServiceType: '*',
        Host: '*',
        HTTPMethod: '*',
        URLPath: '*',
        ResourceARN: '*',
        Version: 1,
        Attributes: { a: 'b', n: 1 },
        ...rule,
      },
    });

    // Act
    const page = parseSamplingRulesPage({
      SamplingRuleRecords: [
        record({}),
        record({ Version: 2 }),
        record({ FixedRate: 2 }),
        record({ URLPath: 7 }),
        record({ RuleName: '' }),
        record({ RuleName: 'r'.repeat(33) }),
        record({ URLPath: `/${'*a'.repeat(64)}` }),
        record({ HTTPMethod: 'G'.repeat(11) }),
        record({ Host: 'h'.repeat(65) }),
        record({ ResourceARN: 'a'.repeat(501) }),
        record({ Attributes: { k: 'v'.repeat(33) } }),
        record({ Attributes: { a: '1', b: '2', c: '3', d: '4', e: '5', f: '6' } }),
        record({
          RuleName: 'r'.repeat(32),
          URLPath: `/${'x'.repeat(127)}`,
          Attributes: { ['k'.repeat(32)]: 'v' },
        }),
      ],
      NextToken: 'next',
    });

    // Assess: X-Ray's own length limits hold (at most, never past).
    expect(page.nextToken).toBe('next');
    expect(page.rules.map((rule) => rule.ruleName)).toEqual(['r', 'r'.repeat(32)]);
    expect(page.rules[0]?.attributes).toEqual({ a: 'b' });
  });

  it('reads targets with Unix-second timestamps, and the rules whose statistics were not processed', () => {
    expect(
      parseSamplingTargets({
        SamplingTargetDocuments: [
          { RuleName: 'r', FixedRate: 0.2, ReservoirQuota: 3, ReservoirQuotaTTL: 1700000000.5, Interval: 10 },
        ],
        LastRuleModification: 1690000000,
        UnprocessedStatistics: [
          { RuleName: 'q', ErrorCode: '400', Message: 'unknown rule' },
          { ErrorCode: '500' },
        ],
      }),
    ).toEqual({
      targets: [
        {
          ruleName: 'r',
          fixedRate: 0.2,
          reservoirQuota: 3,
          reservoirQuotaTtlMs: 1700000000500,
          intervalSeconds: 10,
        },
      ],
      lastRuleModificationMs: 1690000000000,
      unprocessed: ['q'],
    });
  });
});

describe('the X-Ray remote sampler', () => {
  let sampler: XRayRemoteSampler | undefined;
  afterEach(() => {
    sampler?.stop();
    vi.useRealTimers();
  });

  function decide(attributes: Record<string, string>): SamplingDecision {
    return (sampler as XRayRemoteSampler).shouldSample(
      ROOT_CONTEXT,
      'a'.repeat(32),
      'GET',
      SpanKind.SERVER,
      attributes,
      [],
    ).decision;
  }

  it('uses the fallback until rules arrive, then the first matching rule by priority, and the fallback again when they grow stale', async () => {
    // Prepare
    let now = 1_000_000;
    let answerRules: (value: unknown) => void = () => {};
    let rulesAsked: () => void = () => {};
    const asked = new Promise<void>((resolve) => {
      rulesAsked = resolve;
    });
    sampler = new XRayRemoteSampler({
      endpoint: 'http://127.0.0.1:1',
      rulesIntervalMs: 300_000,
      targetsIntervalMs: 10_000,
      service: FACTS,
      now: () => now,
      random: () => 0.5,
      post: (url) =>
        url.endsWith('/GetSamplingRules')
          ? new Promise((resolve) => {
              answerRules = resolve;
              rulesAsked();
            })
          : Promise.resolve({}),
    });
    sampler.start();

    // Act + Assess: before any rule, 1/s + 5 % (random 0.5 is above 5 %).
    expect([decide({ 'url.path': '/orders/1' }), decide({ 'url.path': '/orders/2' })]).toEqual([
      SamplingDecision.RECORD_AND_SAMPLED,
      SamplingDecision.NOT_RECORD,
    ]);
    await asked;
    answerRules({
      SamplingRuleRecords: [
        { SamplingRule: { ...pascal({ ...ANY, ruleName: 'Default', fixedRate: 0, reservoirSize: 0 }) } },
        { SamplingRule: { ...pascal(ORDERS_RULE) } },
      ],
    });
    await new Promise((resolve) => setImmediate(resolve));
    expect(sampler.rules().map((rule) => rule.ruleName)).toEqual(['orders', 'Default']);
    now += 1000;
    expect(decide({ 'url.path': '/orders/3' })).toBe(SamplingDecision.RECORD_AND_SAMPLED);
    expect(decide({ 'url.path': '/health' })).toBe(SamplingDecision.NOT_RECORD);
    now += RULES_TTL_MS + 1;
    expect(decide({ 'url.path': '/health' })).toBe(SamplingDecision.RECORD_AND_SAMPLED);
  });

  it('keeps the first of two rules that share a name, poll after poll', async () => {
    // Prepare: X-Ray's rule names are unique; a proxy that sends one name twice, with
    // contradictory patterns and rates, at every poll.
    vi.useFakeTimers();
    const orders = ORDERS_RULE;
    const twin = { ...ANY, ruleName: 'orders', priority: 2, fixedRate: 0, reservoirSize: 0 };
    const fallback = { ...ANY, fixedRate: 1, reservoirSize: 0 };
    sampler = new XRayRemoteSampler({
      endpoint: 'http://127.0.0.1:1',
      rulesIntervalMs: 60_000,
      targetsIntervalMs: 3_600_000,
      service: FACTS,
      random: () => 0.5,
      post: async () => ({
        SamplingRuleRecords: [orders, twin, fallback].map((rule) => ({ SamplingRule: pascal(rule) })),
      }),
    });

    // Act: the first poll, then a second.
    sampler.start();
    await vi.advanceTimersByTimeAsync(1);
    const first = [decide({ 'url.path': '/orders/1' }), decide({ 'url.path': '/health' })];
    await vi.advanceTimersByTimeAsync(60_000);
    const second = [decide({ 'url.path': '/orders/1' }), decide({ 'url.path': '/health' })];

    // Assess: `orders` samples its path and leaves the rest to Default, both times.
    const expected = [SamplingDecision.RECORD_AND_SAMPLED, SamplingDecision.RECORD_AND_SAMPLED];
    expect(first).toEqual(expected);
    expect(second).toEqual(expected);
    expect(sampler.rules().map((rule) => `${rule.ruleName}:${rule.priority}`)).toEqual([
      'orders:1',
      'Default:10000',
    ]);
  });

  /**
   * A sampler with the `orders` rule (every request sampled) and the default one, reporting
   * every second to a proxy that refuses reports while `refusing` is true and answers with
   * `unprocessed` as UnprocessedStatistics; the `orders` documents it accepted, in order.
   */
  async function startReporting(proxy: { refusing: boolean; unprocessed: string[] }) {
    vi.useFakeTimers();
    const accepted: Array<{ RequestCount: number; SampledCount: number; BorrowCount: number }> = [];
    sampler = new XRayRemoteSampler({
      endpoint: 'http://127.0.0.1:1',
      rulesIntervalMs: 3_600_000,
      targetsIntervalMs: 1000,
      service: FACTS,
      random: () => 0.5,
      post: async (url, body) => {
        if (url.endsWith('/GetSamplingRules'))
          return { SamplingRuleRecords: [ORDERS_RULE, ANY].map((rule) => ({ SamplingRule: pascal(rule) })) };
        if (proxy.refusing) throw new Error('HTTP 429 from http://127.0.0.1:1/SamplingTargets');
        const documents = (body as { SamplingStatisticsDocuments: Array<{ RuleName: string }> })
          .SamplingStatisticsDocuments;
        for (const document of documents)
          if (document.RuleName === 'orders' && !proxy.unprocessed.includes('orders'))
            accepted.push(document as unknown as (typeof accepted)[number]);
        return {
          SamplingTargetDocuments: [],
          UnprocessedStatistics: proxy.unprocessed.map((RuleName) => ({ RuleName, ErrorCode: '400' })),
        };
      },
    });
    sampler.start();
    await vi.advanceTimersByTimeAsync(1);
    return accepted;
  }

  it('carries the counts of a refused report into the next one, through a bounded number of refusals', async () => {
    // Prepare
    const proxy = { refusing: false, unprocessed: [] as string[] };
    const accepted = await startReporting(proxy);

    // Act: two requests reported through MAX_CARRIED_REPORTS refusals; then one through one
    // refusal more than that.
    decide({ 'url.path': '/orders/1' });
    decide({ 'url.path': '/orders/2' });
    proxy.refusing = true;
    await vi.advanceTimersByTimeAsync(MAX_CARRIED_REPORTS * 1000);
    proxy.refusing = false;
    await vi.advanceTimersByTimeAsync(1000);
    const carried = accepted.splice(0);
    decide({ 'url.path': '/orders/3' });
    proxy.refusing = true;
    await vi.advanceTimersByTimeAsync((MAX_CARRIED_REPORTS + 1) * 1000);
    decide({ 'url.path': '/orders/4' });
    proxy.refusing = false;
    await vi.advanceTimersByTimeAsync(1000);

    // Assess: the first two arrive once, in the report after the refusals; the third, refused
    // past the bound, is dropped rather than held on to, and the fourth arrives.
    expect(carried.map((document) => [document.RequestCount, document.SampledCount])).toEqual([[2, 2]]);
    expect(accepted.map((document) => [document.RequestCount, document.SampledCount])).toEqual([[1, 1]]);
  });

  it('carries the counts of a rule X-Ray did not process into the next report', async () => {
    // Prepare
    const proxy = { refusing: false, unprocessed: ['orders'] };
    const accepted = await startReporting(proxy);

    // Act
    decide({ 'url.path': '/orders/1' });
    await vi.advanceTimersByTimeAsync(1000);
    proxy.unprocessed = [];
    await vi.advanceTimersByTimeAsync(1000);

    // Assess
    expect(accepted.map((document) => [document.RequestCount, document.SampledCount])).toEqual([[1, 1]]);
  });

  it('never polls the rules twice at once, however often X-Ray says they changed', async () => {
    // Prepare: a proxy slower than the targets interval, and targets that always report a rule
    // change after the last poll (as a clock behind X-Ray's makes them).
    vi.useFakeTimers();
    let inFlight = 0;
    let most = 0;
    let polls = 0;
    let changedAt = () => Date.now() / 1000 + 3600;
    sampler = new XRayRemoteSampler({
      endpoint: 'http://127.0.0.1:1',
      rulesIntervalMs: 60_000,
      targetsIntervalMs: 1000,
      service: FACTS,
      post: async (url) => {
        if (!url.endsWith('/GetSamplingRules'))
          return { SamplingTargetDocuments: [], LastRuleModification: changedAt() };
        polls++;
        inFlight++;
        most = Math.max(most, inFlight);
        await new Promise((resolve) => setTimeout(resolve, 1500));
        inFlight--;
        return { SamplingRuleRecords: [{ SamplingRule: pascal(ANY) }] };
      },
    });

    // Act: 30 s of such targets, then three rule intervals of targets that report no change.
    sampler.start();
    await vi.advanceTimersByTimeAsync(30_000);
    changedAt = () => 0;
    const pollsBefore = polls;
    await vi.advanceTimersByTimeAsync(180_000);

    // Assess: a poll asked for while another was under way used to start a second one (and a
    // chain of polls of its own); once the rules stop changing, one poll an interval remains.
    expect(most).toBe(1);
    expect(polls - pollsBefore).toBeLessThanOrEqual(4);
    expect(sampler.rules().map((rule) => rule.ruleName)).toEqual(['Default']);
  });
});

function pascal(rule: SamplingRule) {
  return {
    RuleName: rule.ruleName,
    Priority: rule.priority,
    FixedRate: rule.fixedRate,
    ReservoirSize: rule.reservoirSize,
    ServiceName: rule.serviceName,
    ServiceType: rule.serviceType,
    Host: rule.host,
    HTTPMethod: rule.httpMethod,
    URLPath: rule.urlPath,
    ResourceARN: rule.resourceArn,
    Attributes: rule.attributes,
    Version: 1,
  };
}

describe('configuring the xray sampler', () => {
  it('reads ADOT endpoint and polling interval from OTEL_TRACES_SAMPLER_ARG without a ratio warning', () => {
    // Act
    const env = {
      OTEL_TRACES_SAMPLER: 'xray',
      OTEL_TRACES_SAMPLER_ARG:
        'endpoint=http://collector:2000/,polling_interval=60,targets_interval=2,color=blue',
    };
    const { config, warnings } = resolveConfig({ env, runtime: detectRuntime(env, () => undefined) });

    // Assess
    expect(config.tracing.sampler).toBe('xray');
    expect(config.tracing.xraySampling).toEqual({
      endpoint: 'http://collector:2000',
      rulesIntervalMs: 60_000,
      targetsIntervalMs: 2_000,
    });
    expect(warnings.map((warning) => warning.message)).toEqual([
      expect.stringContaining('ignored "color=blue" for the xray sampler'),
    ]);
  });
});
