// A stand-in for the X-Ray sampling API as the X-Ray daemon and the ADOT collector's awsproxy
// extension serve it on port 2000: POST /GetSamplingRules and POST /SamplingTargets, JSON
// bodies and Unix-second timestamps as in AWS's API reference. AWS itself cannot run here, so
// this serves rules and targets the test sets, checks every request as the API would
// (required fields, types, at most 25 statistics documents) and records the statistics.
import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A rule as the test writes it; everything but the name has the Default rule's value. */
export interface ProxyRule {
  readonly RuleName: string;
  readonly Priority?: number;
  readonly FixedRate?: number;
  readonly ReservoirSize?: number;
  readonly ServiceName?: string;
  readonly ServiceType?: string;
  readonly Host?: string;
  readonly HTTPMethod?: string;
  readonly URLPath?: string;
  readonly ResourceARN?: string;
  readonly Attributes?: Record<string, string>;
  readonly Version?: number;
}

/** A target as the test writes it; `ReservoirQuotaTTL` in Unix seconds. */
export interface ProxyTarget {
  readonly RuleName: string;
  readonly FixedRate?: number;
  readonly ReservoirQuota?: number;
  readonly ReservoirQuotaTTL?: number;
  readonly Interval?: number;
}

/** One statistics document a client sent. */
export interface ReceivedStatistics {
  readonly RuleName: string;
  readonly ClientID: string;
  readonly Timestamp: number;
  readonly RequestCount: number;
  readonly SampledCount: number;
  readonly BorrowCount: number;
}

export interface SamplingProxy {
  /** `http://127.0.0.1:<port>`, what `endpoint=` takes. */
  readonly url: string;
  setRules(rules: readonly ProxyRule[]): void;
  setTargets(targets: readonly ProxyTarget[], lastRuleModification?: number): void;
  /**
   * Answers every GetSamplingTargets with this HTTP status and X-Ray's error body until called
   * again with `undefined`, as X-Ray does when it throttles (429) or fails (500). The statistics
   * of a refused request are not counted as received; they are kept in `refusedStatistics()`.
   */
  refuseTargets(status: number | undefined): void;
  /** Every statistics document received, in order. */
  statistics(): ReceivedStatistics[];
  /** Every statistics document of a refused GetSamplingTargets, in order. */
  refusedStatistics(): ReceivedStatistics[];
  /** Requests answered per path, and the requests refused with why. */
  requests(): { path: string; status: number; error?: string }[];
  /** Resolves with the statistics once `check` accepts them (checked at each request). */
  waitForStatistics(
    check: (all: ReceivedStatistics[]) => boolean,
    timeoutMs?: number,
  ): Promise<ReceivedStatistics[]>;
  /** The same over the statistics of refused requests. */
  waitForRefusedStatistics(
    check: (all: ReceivedStatistics[]) => boolean,
    timeoutMs?: number,
  ): Promise<ReceivedStatistics[]>;
  close(): Promise<void>;
}

/** Rules per GetSamplingRules page, unless the test asks for another size. */
export const RULES_PAGE_SIZE = 2;

function completeRule(rule: ProxyRule) {
  return {
    RuleName: rule.RuleName,
    RuleARN: `arn:aws:xray:eu-west-1:123456789012:sampling-rule/${rule.RuleName}`,
    ResourceARN: rule.ResourceARN ?? '*',
    Priority: rule.Priority ?? 10000,
    FixedRate: rule.FixedRate ?? 0.05,
    ReservoirSize: rule.ReservoirSize ?? 1,
    ServiceName: rule.ServiceName ?? '*',
    ServiceType: rule.ServiceType ?? '*',
    Host: rule.Host ?? '*',
    HTTPMethod: rule.HTTPMethod ?? '*',
    URLPath: rule.URLPath ?? '*',
    Version: rule.Version ?? 1,
    Attributes: rule.Attributes ?? {},
  };
}

const isCount = (value: unknown) => typeof value === 'number' && Number.isInteger(value) && value >= 0;

/** Why a GetSamplingTargets body is invalid, or undefined. */
function checkTargetsRequest(body: unknown): string | undefined {
  const documents = (body as { SamplingStatisticsDocuments?: unknown } | null)?.SamplingStatisticsDocuments;
  if (!Array.isArray(documents)) return 'SamplingStatisticsDocuments is required';
  if (documents.length > 25) return 'SamplingStatisticsDocuments has more than 25 items';
  for (const [index, document] of documents.entries()) {
    const d = document as Record<string, unknown>;
    if (typeof d.RuleName !== 'string' || d.RuleName.length < 1 || d.RuleName.length > 32)
      return `SamplingStatisticsDocuments[${index}].RuleName must be 1-32 characters`;
    if (typeof d.ClientID !== 'string' || !/^[0-9a-f]{24}$/.test(d.ClientID))
      return `SamplingStatisticsDocuments[${index}].ClientID must be 24 hex digits`;
    if (typeof d.Timestamp !== 'number' || !Number.isFinite(d.Timestamp))
      return `SamplingStatisticsDocuments[${index}].Timestamp must be a number of seconds`;
    if (!isCount(d.RequestCount) || !isCount(d.SampledCount))
      return `SamplingStatisticsDocuments[${index}] needs RequestCount and SampledCount`;
    if (d.BorrowCount !== undefined && !isCount(d.BorrowCount))
      return `SamplingStatisticsDocuments[${index}].BorrowCount must be a count`;
  }
  return undefined;
}

/**
 * Starts the stand-in on 127.0.0.1 at a free port.
 *
 * @example
 * const proxy = await startSamplingProxy([{ RuleName: 'orders', URLPath: '/orders/*', Priority: 1, FixedRate: 1 }]);
 * // OTEL_TRACES_SAMPLER=xray OTEL_TRACES_SAMPLER_ARG=endpoint=${proxy.url}
 */
export async function startSamplingProxy(
  initialRules: readonly ProxyRule[] = [],
  { pageSize = RULES_PAGE_SIZE }: { readonly pageSize?: number } = {},
): Promise<SamplingProxy> {
  let rules = initialRules.map(completeRule);
  let targets: ProxyTarget[] = [];
  let lastRuleModification = Date.now() / 1000 - 3600;
  const received: ReceivedStatistics[] = [];
  const refused: ReceivedStatistics[] = [];
  let refuseStatus: number | undefined;
  const log: { path: string; status: number; error?: string }[] = [];
  const waiters = new Set<() => void>();

  function answer(response: ServerResponse, path: string, status: number, body: unknown, error?: string) {
    log.push(error === undefined ? { path, status } : { path, status, error });
    response.writeHead(status, { 'content-type': 'application/json' });
    response.end(JSON.stringify(body));
    for (const waiter of waiters) waiter();
  }

  async function handle(request: IncomingMessage, response: ServerResponse) {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const path = request.url ?? '';
    if (request.method !== 'POST') return answer(response, path, 405, { message: 'POST only' }, 'not POST');
    let body: unknown;
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
    } catch {
      return answer(
        response,
        path,
        400,
        { __type: 'InvalidRequestException', message: 'body is not JSON' },
        'not JSON',
      );
    }
    if (path === '/GetSamplingRules') {
      const token = (body as { NextToken?: unknown }).NextToken;
      const start = typeof token === 'string' ? Number(token) : 0;
      const page = rules.slice(start, start + pageSize);
      const next = start + pageSize < rules.length ? String(start + pageSize) : undefined;
      const now = Date.now() / 1000;
      return answer(response, path, 200, {
        SamplingRuleRecords: page.map((rule) => ({
          CreatedAt: now - 7200,
          ModifiedAt: now - 3600,
          SamplingRule: rule,
        })),
        ...(next === undefined ? {} : { NextToken: next }),
      });
    }
    if (path === '/SamplingTargets') {
      const problem = checkTargetsRequest(body);
      if (problem !== undefined)
        return answer(response, path, 400, { __type: 'InvalidRequestException', message: problem }, problem);
      const documents = (body as { SamplingStatisticsDocuments: ReceivedStatistics[] })
        .SamplingStatisticsDocuments;
      if (refuseStatus !== undefined) {
        for (const document of documents)
          refused.push({ ...document, BorrowCount: document.BorrowCount ?? 0 });
        const type = refuseStatus === 429 ? 'ThrottledException' : 'InternalFailure';
        return answer(
          response,
          path,
          refuseStatus,
          { __type: type, message: 'refused by the test' },
          'refused',
        );
      }
      for (const document of documents)
        received.push({ ...document, BorrowCount: document.BorrowCount ?? 0 });
      const names = new Set(documents.map((document) => document.RuleName));
      return answer(response, path, 200, {
        SamplingTargetDocuments: targets.filter((target) => names.has(target.RuleName)),
        LastRuleModification: lastRuleModification,
        UnprocessedStatistics: [],
      });
    }
    return answer(response, path, 404, { message: 'not found' }, 'unknown path');
  }

  function waitFor(
    documents: ReceivedStatistics[],
    check: (all: ReceivedStatistics[]) => boolean,
    timeoutMs = 30_000,
  ): Promise<ReceivedStatistics[]> {
    return new Promise((resolve, reject) => {
      const test = () => {
        if (!check(documents)) return;
        clearTimeout(timer);
        waiters.delete(test);
        resolve(documents.map((document) => ({ ...document })));
      };
      const timer = setTimeout(() => {
        waiters.delete(test);
        reject(
          new Error(
            `statistics not received within ${timeoutMs} ms: ${JSON.stringify(documents)} ${JSON.stringify(log)}`,
          ),
        );
      }, timeoutMs);
      waiters.add(test);
      test();
    });
  }

  const server = createServer((request, response) => {
    handle(request, response).catch(() => response.destroy());
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    setRules(next) {
      rules = next.map(completeRule);
      lastRuleModification = Date.now() / 1000;
    },
    setTargets(next, modified) {
      targets = [...next];
      if (modified !== undefined) lastRuleModification = modified;
    },
    requests: () => log.map((entry) => ({ ...entry })),
    refuseTargets(status) {
      refuseStatus = status;
    },
    statistics: () => received.map((document) => ({ ...document })),
    refusedStatistics: () => refused.map((document) => ({ ...document })),
    waitForStatistics: (check, timeoutMs) => waitFor(received, check, timeoutMs),
    waitForRefusedStatistics: (check, timeoutMs) => waitFor(refused, check, timeoutMs),
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
