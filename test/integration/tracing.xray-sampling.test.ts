// X-Ray centralized sampling against a stand-in of the sampling API (test/helpers/
// xray-sampling-proxy.ts: AWS itself cannot run here): an Express app started with
// OTEL_TRACES_SAMPLER=xray samples by the rules it polls, reports its statistics, applies the
// targets it gets back, and keeps serving when the proxy is gone.
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { request } from '../helpers/http.js';
import { findFreePort } from '../helpers/local-server-process.js';
import { type OtlpReceiver, startOtlpReceiver } from '../helpers/otlp-receiver.js';
import { spawnApp } from '../helpers/spawn-app.js';
import {
  type ReceivedStatistics,
  type SamplingProxy,
  startSamplingProxy,
} from '../helpers/xray-sampling-proxy.js';

let receiver: OtlpReceiver;
let proxy: SamplingProxy;

beforeEach(async () => {
  receiver = await startOtlpReceiver();
  proxy = await startSamplingProxy([
    { RuleName: 'orders', Priority: 1, URLPath: '/orders/*', FixedRate: 1, ReservoirSize: 0 },
    {
      RuleName: 'failures',
      Priority: 2,
      URLPath: '/fail',
      HTTPMethod: 'GET',
      FixedRate: 0,
      ReservoirSize: 0,
    },
    { RuleName: 'Default', FixedRate: 0, ReservoirSize: 0 },
  ]);
});
afterEach(async () => {
  await receiver.close();
  await proxy.close();
});

function startApp(endpoint: string, pollingInterval = 300) {
  return spawnApp({
    args: ['--require', 'lookout/register', 'test/fixtures/traced-app.cjs'],
    env: {
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      OTEL_SERVICE_NAME: 'orders-api',
      OTEL_TRACES_SAMPLER: 'xray',
      OTEL_TRACES_SAMPLER_ARG: `endpoint=${endpoint},polling_interval=${pollingInterval},targets_interval=1`,
      LOOKOUT_DIAGNOSTICS_LEVEL: 'debug',
    },
  });
}

const statisticsOf = (
  all: readonly { RuleName: string; RequestCount: number; SampledCount: number }[],
  rule: string,
) =>
  all
    .filter((document) => document.RuleName === rule)
    .reduce(
      (sum, document) => ({
        requests: sum.requests + document.RequestCount,
        sampled: sum.sampled + document.SampledCount,
      }),
      {
        requests: 0,
        sampled: 0,
      },
    );

/** The counts a rule's statistics documents add up to. */
const totalsOf = (all: readonly ReceivedStatistics[], rule: string) =>
  all
    .filter((document) => document.RuleName === rule)
    .reduce(
      (sum, document) => ({
        requests: sum.requests + document.RequestCount,
        sampled: sum.sampled + document.SampledCount,
        borrowed: sum.borrowed + document.BorrowCount,
      }),
      { requests: 0, sampled: 0, borrowed: 0 },
    );

describe('OTEL_TRACES_SAMPLER=xray', () => {
  it('samples by the polled rules, reports statistics per rule, and applies the targets it gets back', async () => {
    // Prepare: the rules are in force once the app says it read them.
    const app = await startApp(proxy.url);
    await app.waitForLine(/X-Ray sampling: 3 rule\(s\) from .*: orders, failures, Default/);

    // Act
    const statuses = [];
    statuses.push((await request(`${app.url}/orders/1`)).status);
    for (let i = 0; i < 3; i++) statuses.push((await request(`${app.url}/fail`)).status);
    for (let i = 0; i < 2; i++) statuses.push((await request(`${app.url}/nested`)).status);
    const reported = await proxy.waitForStatistics(
      (all) => statisticsOf(all, 'failures').requests === 3 && statisticsOf(all, 'Default').requests === 2,
    );
    // X-Ray now asks for every request matching Default: the next report is sent after this
    // answer has been applied.
    proxy.setTargets([
      {
        RuleName: 'Default',
        FixedRate: 1,
        ReservoirQuota: 0,
        ReservoirQuotaTTL: Date.now() / 1000 + 600,
        Interval: 1,
      },
    ]);
    const before = proxy.statistics().length;
    await proxy.waitForStatistics((all) => all.length > before);
    await proxy.waitForStatistics((all) => all.length > before + 3);
    statuses.push((await request(`${app.url}/nested`)).status);
    await receiver.waitForSpans((span) => span.kind === 'SERVER' && span.name === 'GET /nested');
    await app.stop();

    // Assess
    expect(statuses).toEqual([200, 503, 503, 503, 200, 200, 200]);
    const servers = receiver.spans().filter((span) => span.kind === 'SERVER');
    expect(servers.map((span) => span.name)).toEqual(['GET /orders/:id', 'GET /nested']);
    expect(statisticsOf(reported, 'orders')).toEqual({ requests: 1, sampled: 1 });
    expect(statisticsOf(reported, 'failures')).toEqual({ requests: 3, sampled: 0 });
    expect(statisticsOf(reported, 'Default')).toEqual({ requests: 2, sampled: 0 });
    expect(new Set(reported.map((document) => document.ClientID)).size).toBe(1);
    expect(proxy.requests().filter((entry) => entry.status !== 200)).toEqual([]);
    expect(app.stderrLines().filter((line) => /LOOKOUT_(SAMPLING|ENV)/.test(line))).toEqual([]);
  });

  it('skips a rule X-Ray could not have made, and keeps reporting statistics for the others', async () => {
    // Prepare: a rule named past X-Ray's 32 characters (GetSamplingTargets refuses a request
    // naming one) and one whose path pattern is past its 128, beside a valid rule.
    proxy.setRules([
      { RuleName: 'r'.repeat(33), Priority: 1, FixedRate: 1, ReservoirSize: 0 },
      { RuleName: 'long-path', Priority: 2, URLPath: `/${'*a'.repeat(100)}`, FixedRate: 1, ReservoirSize: 0 },
      { RuleName: 'Default', FixedRate: 0, ReservoirSize: 0 },
    ]);
    const app = await startApp(proxy.url);
    await app.waitForLine(/X-Ray sampling: \d+ rule\(s\)/);

    // Act
    const status = (await request(`${app.url}/orders/1`)).status;
    const reported = await proxy
      .waitForStatistics((all) => statisticsOf(all, 'Default').requests === 1, 5000)
      .catch(() => proxy.statistics());
    await app.stop();

    // Assess: the valid rule decided and was reported; the proxy refused nothing.
    expect(status).toBe(200);
    expect(app.stdoutLines().concat(app.stderrLines()).join('\n')).toMatch(
      /X-Ray sampling: 1 rule\(s\) from .*: Default/,
    );
    expect(statisticsOf(reported, 'Default')).toEqual({ requests: 1, sampled: 0 });
    expect(proxy.requests().filter((entry) => entry.status !== 200)).toEqual([]);
  });

  it.each([
    ['an enormous', 1e9],
    ['a tiny', 1e-6],
  ])(
    'keeps reporting statistics about once a second or less when X-Ray asks for %s interval',
    async (_, interval) => {
      // Prepare: statistics every second until the proxy asks for another interval.
      const app = await startApp(proxy.url);
      await app.waitForLine(/X-Ray sampling: 3 rule\(s\)/);
      proxy.setTargets([{ RuleName: 'Default', FixedRate: 0, Interval: interval }]);
      const before = proxy.statistics().length;

      // Act: a report answered with that interval, then two seconds of the app idling.
      await proxy.waitForStatistics((all) => all.length > before);
      const answered = proxy.requests().filter((entry) => entry.path === '/SamplingTargets').length;
      await new Promise((resolve) => setTimeout(resolve, 2000));
      const after = proxy.requests().filter((entry) => entry.path === '/SamplingTargets').length;
      await app.stop();

      // Assess: no poll in a loop (a timer past 2^31 - 1 ms fires after 1 ms), and no warning
      // from Node in the app's output.
      expect(after - answered).toBeLessThanOrEqual(3);
      expect(app.stderrLines().filter((line) => line.includes('TimeoutOverflowWarning'))).toEqual([]);
    },
  );

  it('gives up on an answer that trickles in forever and reads the rules at the next poll', async () => {
    // Prepare: a proxy whose first GetSamplingRules answer sends a byte every 200 ms and never
    // ends (no idle timeout ever fires), then answers the next requests at once.
    const rule = { RuleName: 'Default', Priority: 10000, FixedRate: 0.05, ReservoirSize: 1 };
    const wildcards = { ServiceName: '*', ServiceType: '*', Host: '*', HTTPMethod: '*', URLPath: '*' };
    const rules = {
      SamplingRuleRecords: [{ SamplingRule: { ...rule, ...wildcards, ResourceARN: '*', Version: 1 } }],
    };
    let rulesRequests = 0;
    const server = createServer((incoming, response) => {
      incoming.resume();
      response.writeHead(200, { 'content-type': 'application/json' });
      if (incoming.url === '/GetSamplingRules' && rulesRequests++ === 0) {
        const trickle = setInterval(() => response.write(' '), 200);
        response.on('close', () => clearInterval(trickle));
        return;
      }
      response.end(
        JSON.stringify(incoming.url === '/GetSamplingRules' ? rules : { SamplingTargetDocuments: [] }),
      );
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as AddressInfo;

    try {
      // Act
      const app = await startApp(`http://127.0.0.1:${port}`, 1);
      const read = await app.waitForLine(/X-Ray sampling: 1 rule\(s\)/, 15_000).catch(() => undefined);
      await app.stop();

      // Assess
      expect(read?.[0]).toBe('X-Ray sampling: 1 rule(s)');
      expect(rulesRequests).toBeGreaterThanOrEqual(2);
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });

  it("keeps the 100 rules of highest priority and X-Ray's Default rule when the proxy sends thousands", async () => {
    // Prepare: 3,000 rules (X-Ray allows an account 25 by default), matching nothing here, in
    // no order, two to each priority, on pages of 200; and the Default rule.
    const many = Array.from({ length: 3000 }, (_, index) => ({
      RuleName: `rule-${String(index).padStart(4, '0')}`,
      Priority: ((index * 7919) % 1500) + 1,
      URLPath: `/never/${index}`,
    }));
    const byPriority = (a: (typeof many)[number], b: (typeof many)[number]) =>
      a.Priority - b.Priority || (a.RuleName < b.RuleName ? -1 : 1);
    const kept = [...many]
      .sort(byPriority)
      .slice(0, 100)
      .map((rule) => rule.RuleName);
    await proxy.close();
    proxy = await startSamplingProxy([...many, { RuleName: 'Default', Priority: 10000 }], { pageSize: 200 });

    // Act: two polls of the rules, and a statistics report.
    const app = await startApp(proxy.url, 1);
    const first = await app.waitForLine(/X-Ray sampling: (\d+) rule\(s\) from \S+: (.*)$/);
    const status = (await request(`${app.url}/orders/1`)).status;
    await proxy.waitForStatistics((all) => all.length > 0);
    const polls = (line: string) => line.includes('X-Ray sampling: 101 rule(s)');
    const deadline = Date.now() + 10_000;
    while (app.stderrLines().concat(app.stdoutLines()).filter(polls).length < 2 && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 50));
    await app.stop();

    // Assess: the rules in force are the 100 first by priority then name, as X-Ray orders
    // them, then Default; one warning however many polls; statistics name no other rule.
    expect(status).toBe(200);
    expect(first[1]).toBe('101');
    expect(first[2]?.split(', ')).toEqual([...kept, 'Default']);
    const output = app.stderrLines().concat(app.stdoutLines());
    expect(output.filter(polls).length).toBeGreaterThanOrEqual(2);
    const warnings = output.filter((line) => line.includes('LOOKOUT_SAMPLING_RULES_LIMIT'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('3001 sampling rules');
    const known = new Set([...kept, 'Default']);
    expect(proxy.statistics().filter((document) => !known.has(document.RuleName))).toEqual([]);
  });

  it('carries the statistics of a report the proxy refused into the next one', async () => {
    // Prepare: a rule that borrows one request a second (no quota assigned) and samples no
    // other; X-Ray throttles every report from the moment the rules are read.
    proxy.setRules([
      { RuleName: 'orders', Priority: 1, URLPath: '/orders/*', FixedRate: 0, ReservoirSize: 1 },
      { RuleName: 'Default', FixedRate: 0, ReservoirSize: 0 },
    ]);
    const app = await startApp(proxy.url);
    await app.waitForLine(/X-Ray sampling: 2 rule\(s\)/);
    proxy.refuseTargets(429);

    // Act: three requests, decided and reported while the proxy refuses the report; then it
    // accepts again.
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await request(`${app.url}/orders/${i}`)).status);
    await proxy.waitForRefusedStatistics((all) =>
      all.some((d) => d.RuleName === 'orders' && d.RequestCount > 0),
    );
    proxy.refuseTargets(undefined);
    const accepted = await proxy
      .waitForStatistics((all) => totalsOf(all, 'orders').requests >= 3, 10_000)
      .catch(() => proxy.statistics());
    const spans = await receiver.waitForSpans((span) => span.kind === 'SERVER');
    await app.stop();

    // Assess: the accepted reports count every request, each sampled one (the spans that
    // arrived) and each borrowed one exactly once.
    expect(statuses).toEqual([200, 200, 200]);
    expect(proxy.requests().some((entry) => entry.status === 429)).toBe(true);
    const sampled = receiver.spans().filter((span) => span.kind === 'SERVER').length;
    expect(spans.length).toBeGreaterThan(0);
    expect(totalsOf(accepted, 'orders')).toEqual({ requests: 3, sampled, borrowed: sampled });
  });

  it('keeps serving and samples one request a second plus 5 % when the proxy is unreachable', async () => {
    // Prepare: a port nothing listens on.
    const app = await startApp(`http://127.0.0.1:${await findFreePort()}`);
    await app.waitForLine(/LOOKOUT_SAMPLING_RULES_UNAVAILABLE/);

    // Act
    const statuses = [];
    for (let i = 0; i < 5; i++) statuses.push((await request(`${app.url}/orders/${i}`)).status);
    await receiver.waitForSpans((span) => span.kind === 'SERVER');
    await app.stop();

    // Assess
    expect(statuses).toEqual([200, 200, 200, 200, 200]);
    expect(
      app.stderrLines().filter((line) => line.includes('LOOKOUT_SAMPLING_RULES_UNAVAILABLE')),
    ).toHaveLength(1);
    expect(app.stderrLines().find((line) => line.includes('LOOKOUT_SAMPLING_RULES_UNAVAILABLE'))).toContain(
      '1 request a second and 5 % of the rest are sampled',
    );
  });
});
