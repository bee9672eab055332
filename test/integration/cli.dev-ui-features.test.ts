// The viewer's page in headless Chromium, as a developer uses it every day, against a real
// `lookout dev` running test/fixtures/viewer-app.mjs (Lookout's logger and Express adapter, and
// the real pino) plus OTLP/JSON spans sent to its receiver with nanosecond start times: log
// lines that open to their fields (redacted values marked, stacks with their line breaks), pino's
// numeric levels by name and linked to their trace, traces sorted and filtered by duration,
// status, route and time range, a latency histogram per route with p50/p95/p99, a trace opened on
// its root or on the span where its first error began, offsets below the millisecond, and a trace
// continued from a parent it did not receive marked incomplete. Screenshots go to
// test/artifacts/ (and docs/images/ with LOOKOUT_UPDATE_DOCS_IMAGES=1).
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LookoutDev, startLookoutDev } from '../helpers/lookout-dev.js';
import { launchViewerBrowser, openViewerPage, saveScreenshot } from '../helpers/viewer-browser.js';

const INVENTORY_TRACE = 'abcdef0123456789abcdef0123456789';
const OLD_TRACE = '0123456789abcdef0123456789abcdef';
const REMOTE_PARENT = 'b7ad6b7169203331';
const CONTINUED_TRACE = '0af7651916cd43dd8448eb211c80319c';

interface TraceRow {
  readonly traceId: string;
  readonly operation: string;
  readonly durationMs: number;
  readonly route?: string;
  readonly rootSpanId?: string;
}

interface Latency {
  readonly route: string;
  readonly count: number;
  readonly p50: number;
  readonly p95: number;
  readonly p99: number;
}

/** What the selection check uses of the page's window (these tests compile without the DOM library). */
interface SelectionWindow {
  readonly document: { createRange(): { selectNodeContents(node: unknown): void } };
  getSelection(): { toString(): string; removeAllRanges(): void; addRange(range: unknown): void } | null;
}

let browser: Browser;
let dev: LookoutDev;

/** One OTLP/JSON span; times are BigInt nanoseconds since the epoch. */
function otlpSpan(
  traceId: string,
  spanId: string,
  parentSpanId: string,
  name: string,
  startNs: bigint,
  endNs: bigint,
  options: { error?: string; route?: string } = {},
) {
  return {
    traceId,
    spanId,
    parentSpanId,
    name,
    kind: parentSpanId === '' ? 2 : 3,
    startTimeUnixNano: startNs.toString(),
    endTimeUnixNano: endNs.toString(),
    attributes:
      options.route === undefined ? [] : [{ key: 'http.route', value: { stringValue: options.route } }],
    status: options.error === undefined ? {} : { code: 2, message: options.error },
  };
}

/** The resource every span and log record sent here carries. */
const INVENTORY_RESOURCE = { attributes: [{ key: 'service.name', value: { stringValue: 'inventory' } }] };

/** POSTs an OTLP/JSON export request to the receiver (`/v1/traces`, `/v1/logs`), as any SDK would. */
async function postOtlpJson(path: string, request: unknown): Promise<void> {
  const response = await fetch(`${dev.otlpUrl}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(request),
  });
  expect(response.status).toBe(200);
  await response.arrayBuffer();
}

/** Sends spans of the `inventory` service to the receiver. */
async function sendSpans(spans: unknown[]): Promise<void> {
  await postOtlpJson('/v1/traces', {
    resourceSpans: [
      { resource: INVENTORY_RESOURCE, scopeSpans: [{ scope: { name: 'inventory-sdk' }, spans }] },
    ],
  });
}

/** Sends one log record of the `inventory` service to the receiver. */
async function sendLogLine(message: string): Promise<void> {
  const record = {
    timeUnixNano: (BigInt(Date.now()) * 1_000_000n).toString(),
    severityNumber: 9,
    severityText: 'INFO',
    body: { stringValue: message },
  };
  await postOtlpJson('/v1/logs', {
    resourceLogs: [
      {
        resource: INVENTORY_RESOURCE,
        scopeLogs: [{ scope: { name: 'inventory-sdk' }, logRecords: [record] }],
      },
    ],
  });
}

beforeAll(async () => {
  dev = await startLookoutDev({
    command: [process.execPath, '--import', 'lookout/register', 'test/fixtures/viewer-app.mjs'],
    env: { OTEL_SERVICE_NAME: 'checkout' },
  });
  const appUrl = (await dev.process.waitForLine(/listening on (http:\/\/\S+)/))[1] ?? '';
  const call = async (path: string, init?: RequestInit) =>
    (await fetch(`${appUrl}${path}`, init)).arrayBuffer();
  await call('/signup', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'jane.doe@example.com', password: 'hunter2' }),
  });
  for (let i = 0; i < 8; i += 1) await call('/fast');
  for (const ms of [20, 40, 60, 80, 120, 160]) await call(`/slow?ms=${ms}`);
  await call('/pay');
  // A request from a caller that traces too: its span is the parent, and it is not sent here.
  await call('/fast', { headers: { traceparent: `00-${CONTINUED_TRACE}-${REMOTE_PARENT}-01` } });

  // A trace from another SDK with nanosecond start times: a child 400 ns after the root, one at
  // 250 µs, and under it a query that failed at 300 µs.
  const t0 = BigInt(Date.now()) * 1_000_000n + 123_456n;
  await sendSpans([
    otlpSpan(INVENTORY_TRACE, '1000000000000001', '', 'GET /stock/:sku', t0, t0 + 2_000_000n, {
      error: 'stock lookup failed',
      route: '/stock/:sku',
    }),
    otlpSpan(INVENTORY_TRACE, '1000000000000002', '1000000000000001', 'auth check', t0 + 400n, t0 + 90_000n),
    otlpSpan(
      INVENTORY_TRACE,
      '1000000000000003',
      '1000000000000001',
      'load stock',
      t0 + 250_000n,
      t0 + 1_900_000n,
      {
        error: 'query failed',
      },
    ),
    otlpSpan(
      INVENTORY_TRACE,
      '1000000000000004',
      '1000000000000003',
      'SELECT stock',
      t0 + 300_000n,
      t0 + 1_800_000n,
      {
        error: 'relation "stock" does not exist',
      },
    ),
  ]);
  // A trace from two hours ago, outside "last hour".
  const old = BigInt(Date.now() - 2 * 3600_000) * 1_000_000n;
  await sendSpans([
    otlpSpan(OLD_TRACE, '2000000000000001', '', 'GET /stock/:sku', old, old + 5_000_000n, {
      route: '/stock/:sku',
    }),
  ]);

  await dev.waitFor<{ traces: TraceRow[] }>(
    '/api/traces?limit=1000',
    (body) =>
      body.traces.length >= 19 &&
      [INVENTORY_TRACE, OLD_TRACE, CONTINUED_TRACE].every((id) =>
        body.traces.some((row) => row.traceId === id),
      ),
  );
  await dev.waitFor<{ logs: { message: string }[] }>('/api/logs?limit=1000', (body) =>
    ['signup', 'request failed', 'payment failed', 'slow path'].every((message) =>
      body.logs.some((log) => log.message === message),
    ),
  );
  browser = await launchViewerBrowser();
});

afterAll(async () => {
  await browser?.close();
  await dev?.stop();
});

async function traces(query = ''): Promise<{ traces: TraceRow[]; latency: { routes: Latency[] } }> {
  return dev.api(`/api/traces?limit=1000${query}`);
}

async function durations(page: Page): Promise<number[]> {
  const values = await page
    .locator('#trace-list td.duration')
    .evaluateAll((cells) => cells.map((cell) => Number(cell.getAttribute('data-ms'))));
  return values;
}

describe('the logs page', () => {
  it('opens a line to show its fields, with the values redaction rewrote marked', async () => {
    const { page, errors } = await openViewerPage(browser, `${dev.url}/#/logs`);
    const signup = page.locator('tr.log-row', { hasText: 'signup' });

    await signup.waitFor();
    await expect.poll(() => signup.locator('.badge.redacted').textContent()).toBe('2 redacted');
    await signup.click();
    const details = signup.locator('xpath=following-sibling::tr[1]');

    expect(await details.isVisible()).toBe(true);
    expect(await signup.getAttribute('aria-expanded')).toBe('true');
    expect(await details.locator('dd[data-field="password"] mark.redacted').textContent()).toBe('[REDACTED]');
    expect(await details.locator('dd[data-field="email"] mark.redacted').textContent()).toBe(
      'ja***@example.com',
    );
    expect(await details.locator('dd[data-field="plan"]').textContent()).toBe('pro');
    expect(await details.locator('dd[data-field="plan"] mark').count()).toBe(0);

    // The line stays open while the list refreshes and is narrowed down.
    await page.locator('input[name=q]').fill('signup');
    await expect.poll(() => page.locator('tr.log-row').count()).toBe(1);
    expect(await details.isVisible()).toBe(true);
    await saveScreenshot(page, 'viewer-logs-redacted.png');
    expect(errors).toEqual([]);
    await page.close();
  });

  it("shows an error's stack with its line breaks", async () => {
    const { page } = await openViewerPage(browser, `${dev.url}/#/logs`);
    const failed = page.locator('tr.log-row', { hasText: 'request failed' });

    await failed.waitFor();
    expect(await failed.locator('.badge', { hasText: 'stack' }).count()).toBe(1);
    await failed.click();
    const stack = failed.locator('xpath=following-sibling::tr[1]').locator('dd[data-field="stack"] pre');
    // The detail row is laid out after the click: a box read before that is null.
    await stack.waitFor({ state: 'visible' });
    const text = (await stack.textContent()) ?? '';
    const lines = text.split('\n').length;

    expect(text).toMatch(/^Error: card declined by issuer\n {4}at /);
    expect(lines).toBeGreaterThan(3);
    // Rendered on as many lines as it has (12 px text): not run together on one. Polled: the
    // list refreshes while the row is open, and a box read while it is drawn again is null.
    await expect.poll(async () => (await stack.boundingBox())?.height ?? 0).toBeGreaterThan(lines * 12);

    await page.locator('select[name=level]').selectOption('ERROR');
    await expect
      .poll(async () => new Set(await page.locator('tr.log-row td.level').allTextContents()))
      .toEqual(new Set(['ERROR']));
    await page.locator('tr.log-row', { hasText: 'payment failed' }).click();
    expect(
      await page
        .locator('tr.log-row', { hasText: 'payment failed' })
        .locator('xpath=following-sibling::tr[1]')
        .locator('dd[data-field="stack"] pre')
        .textContent(),
    ).toMatch(/^Error: card declined by issuer\n/);
    await saveScreenshot(page, 'viewer-logs-stack.png');
    await page.close();
  });

  it('keeps an open line and the text selected in it while updates leave the list unchanged', async () => {
    const { page, errors } = await openViewerPage(browser, `${dev.url}/#/logs`);
    const failed = page.locator('tr.log-row', { hasText: 'request failed' });
    await failed.waitFor();
    await failed.click();
    const stack = failed.locator('xpath=following-sibling::tr[1]').locator('dd[data-field="stack"] pre');
    await stack.waitFor({ state: 'visible' });
    // The reader selects the stack to copy it; the element is marked to tell it from a redrawn one.
    const selected = await stack.evaluate((pre) => {
      const page = globalThis as unknown as SelectionWindow;
      pre.setAttribute('data-test-mark', 'before-update');
      const range = page.document.createRange();
      range.selectNodeContents(pre);
      page.getSelection()?.removeAllRanges();
      page.getSelection()?.addRange(range);
      return page.getSelection()?.toString() ?? '';
    });
    expect(selected).toMatch(/^Error: card declined by issuer\n/);

    // A span arrives: a live update, after which the logs page asks for its lines again and
    // gets the same answer.
    const refreshed = page.waitForResponse((response) => response.url().includes('/api/logs'));
    const now = BigInt(Date.now()) * 1_000_000n;
    await sendSpans([
      otlpSpan('feed0000000000000000000000000001', '2000000000000001', '', 'ping', now, now + 1000n),
    ]);
    await (await refreshed).finished();
    // The answer is compared once its body is read, in the page's next tasks.
    await page.evaluate(() => new Promise((resolve) => setTimeout(resolve, 200)));
    expect(await page.locator('pre[data-test-mark="before-update"]').count()).toBe(1);
    expect(
      await page.evaluate(() => (globalThis as unknown as SelectionWindow).getSelection()?.toString() ?? ''),
    ).toBe(selected);

    // A new line changes the answer: the list is drawn again, with the line still open.
    await sendLogLine('a line that arrived while the list was open');
    await page.locator('tr.log-row', { hasText: 'a line that arrived while the list was open' }).waitFor();
    expect(await page.locator('pre[data-test-mark="before-update"]').count()).toBe(0);
    expect(await stack.isVisible()).toBe(true);
    expect(errors).toEqual([]);
    await page.close();
  });

  it("names pino's numeric levels, filters by them, and links pino's lines to their trace", async () => {
    const { page } = await openViewerPage(browser, `${dev.url}/#/logs`);
    const cached = page.locator('tr.log-row', { hasText: 'served from cache' }).first();
    const payment = page.locator('tr.log-row', { hasText: 'payment failed' });

    await cached.waitFor();
    expect(await cached.locator('td.level').textContent()).toBe('INFO');
    expect(await cached.locator('td.level').getAttribute('title')).toBe('level 30');
    expect(await payment.locator('td.level').textContent()).toBe('ERROR');
    expect(await payment.locator('td.level').getAttribute('title')).toBe('level 50');
    expect(await page.locator('select[name=level] option').allTextContents()).toEqual(
      expect.arrayContaining(['ERROR', 'INFO', 'WARN']),
    );

    await page.locator('select[name=level]').selectOption('WARN');
    // Waits for the filtered list itself: rows of every level include WARN before the filter applies.
    await expect
      .poll(async () => new Set(await page.locator('tr.log-row td.level').allTextContents()))
      .toEqual(new Set(['WARN']));
    const slow = page.locator('tr.log-row', { hasText: 'slow path' }).first();
    const traceId = (await slow.locator('a').getAttribute('href'))?.split('/').pop() ?? '';
    await slow.locator('a').click();

    await page.locator('#waterfall .span-row').first().waitFor();
    expect(page.url()).toMatch(new RegExp(`#/trace/${traceId}$`));
    expect(await page.locator('#trace-title').textContent()).toContain('GET /slow');
    expect(await page.locator('#trace-logs tr.log-row', { hasText: 'slow path' }).count()).toBe(1);
    await page.close();
  });
});

describe('the traces page', () => {
  it('sorts by duration either way from its column header', async () => {
    const { page } = await openViewerPage(browser, `${dev.url}/#/traces`);
    await page.locator('.trace-row').first().waitFor();

    await page.locator('th[data-sort=duration]').click();
    await expect
      .poll(() => page.locator('th[data-sort=duration]').getAttribute('aria-sort'))
      .toBe('descending');
    // The header changes before the rows are drawn again: wait for the rows, not the header.
    const isDescending = (values: number[]) =>
      values.every((ms, i) => i === 0 || (values[i - 1] ?? ms) >= ms);
    await expect
      .poll(async () => {
        const values = await durations(page);
        return values.length > 10 && isDescending(values);
      })
      .toBe(true);
    const descending = await durations(page);
    await page.locator('th[data-sort=duration]').click();
    await expect
      .poll(() => page.locator('th[data-sort=duration]').getAttribute('aria-sort'))
      .toBe('ascending');

    await expect.poll(() => durations(page)).toEqual([...descending].reverse());
    await page.close();
  });

  it('filters by status, route, duration and time range', async () => {
    const { page } = await openViewerPage(browser, `${dev.url}/#/traces`);
    const rows = page.locator('.trace-row');
    await rows.first().waitFor();
    const all = (await traces()).traces.length;

    await page.locator('select[name=status]').selectOption('error');
    await expect.poll(() => rows.count()).toBe((await traces('&status=error')).traces.length);
    expect(await page.locator('.trace-row .badge.ok').count()).toBe(0);

    await page.locator('select[name=status]').selectOption('');
    await page.locator('select[name=route]').selectOption('/slow');
    await expect.poll(() => rows.count()).toBe(6);
    expect(new Set(await page.locator('.trace-row td.operation').allTextContents())).toEqual(
      new Set(['GET /slow']),
    );

    await page.locator('input[name=minMs]').fill('50');
    await expect.poll(async () => (await durations(page)).every((ms) => ms >= 50)).toBe(true);
    expect((await durations(page)).length).toBe((await traces('&route=/slow&minMs=50')).traces.length);

    await page.locator('button', { hasText: 'clear filters' }).click();
    await expect.poll(() => rows.count()).toBe(all);
    expect(await page.locator(`.trace-row[data-trace-id="${OLD_TRACE}"]`).count()).toBe(1);
    await page.locator('select[name=range]').selectOption({ label: 'last hour' });
    await expect.poll(() => rows.count()).toBe(all - 1);
    expect(await page.locator(`.trace-row[data-trace-id="${OLD_TRACE}"]`).count()).toBe(0);
    await page.close();
  });

  it('draws a latency histogram per route with its p50, p95 and p99, and filters to a bar when clicked', async () => {
    const { page } = await openViewerPage(browser, `${dev.url}/#/traces`);
    const { latency } = await traces();
    const slow = latency.routes.find((route) => route.route === '/slow');
    const histogram = page.locator('.histogram[data-route="/slow"]');

    await histogram.waitFor();
    expect(await page.locator('.histogram h3').allTextContents()).toEqual(
      expect.arrayContaining(['/fast', '/slow', '/pay', '/signup', '/stock/:sku']),
    );
    for (const name of ['p50', 'p95', 'p99'] as const) {
      expect(Number(await histogram.locator(`[data-percentile=${name}]`).getAttribute('data-ms'))).toBe(
        slow?.[name],
      );
      expect(await histogram.locator(`svg line[data-marker=${name}]`).count()).toBe(1);
    }
    const counts = await histogram
      .locator('rect.histogram-bar')
      .evaluateAll((bars) => bars.map((bar) => Number(bar.getAttribute('data-count'))));
    expect(counts.reduce((sum, count) => sum + count, 0)).toBe(6);
    await saveScreenshot(page, 'viewer-traces.png');

    const bar = histogram.locator('rect.histogram-bar:not([data-count="0"])').last();
    const minMs = Number(await bar.getAttribute('data-min-ms'));
    const maxMs = Number(await bar.getAttribute('data-max-ms'));
    await bar.click();

    await expect.poll(() => page.locator('input[name=minMs]').inputValue()).toBe(String(minMs));
    await expect
      .poll(async () => (await durations(page)).every((ms) => ms >= minMs && ms < maxMs))
      .toBe(true);
    expect(await durations(page)).toHaveLength(Number(await bar.getAttribute('data-count')));
    await page.close();
  });

  it('marks a trace continued from a parent it did not receive as incomplete', async () => {
    const { page } = await openViewerPage(browser, `${dev.url}/#/traces`);
    const row = page.locator(`.trace-row[data-trace-id="${CONTINUED_TRACE}"]`);

    await row.waitFor();
    expect(await row.locator('.badge.incomplete').textContent()).toBe('incomplete');
    expect(await page.locator('.trace-row .badge.incomplete').count()).toBe(1);
    await row.click();

    await page.locator('#incomplete').waitFor();
    expect(await page.locator('#incomplete').textContent()).toContain(REMOTE_PARENT);
    expect(await page.locator('#waterfall .missing-parent').textContent()).toContain(REMOTE_PARENT);
    expect(await page.locator('#waterfall .span-row').first().getAttribute('class')).toContain('orphan');
    await saveScreenshot(page, 'viewer-incomplete.png');
    await page.close();
  });
});

describe('a trace', () => {
  it('opens on its root when nothing failed', async () => {
    const fast = (await traces('&route=/fast&status=ok')).traces.find(
      (row) => row.traceId !== CONTINUED_TRACE,
    );
    const { page } = await openViewerPage(browser, `${dev.url}/#/trace/${fast?.traceId}`);

    await page.locator('#span-details').waitFor();
    expect(await page.locator('#span-details').getAttribute('data-span-id')).toBe(fast?.rootSpanId);
    expect(await page.locator('#waterfall .span-row').first().getAttribute('aria-selected')).toBe('true');
    await page.close();
  });

  it('shows a trace whose spans arrive after its page was opened', async () => {
    // A log line's trace link can be followed before the trace's batch of spans is sent.
    const traceId = 'feed0000000000000000000000000002';
    const { page } = await openViewerPage(browser, `${dev.url}/#/trace/${traceId}`);
    await page.locator('.empty', { hasText: 'no such trace' }).waitFor();

    const now = BigInt(Date.now()) * 1_000_000n;
    await sendSpans([otlpSpan(traceId, '2000000000000002', '', 'late arrival', now, now + 1000n)]);
    await page.locator('#trace-title', { hasText: 'late arrival' }).waitFor();
    expect(await page.locator('.empty', { hasText: 'no such trace' }).count()).toBe(0);
    await page.close();
  });

  it('opens on the span where the first error began, not on its failed parents', async () => {
    const { page } = await openViewerPage(browser, `${dev.url}/#/trace/${INVENTORY_TRACE}`);

    await page.locator('#span-details').waitFor();
    expect(await page.locator('#span-details h2').first().textContent()).toBe('SELECT stock');
    expect(await page.locator('#waterfall .span-row.selected .span-name').getAttribute('title')).toBe(
      'SELECT stock',
    );
    await page.close();
  });

  it("shows each span's offset below the millisecond, from the spans' nanosecond times", async () => {
    const { page } = await openViewerPage(browser, `${dev.url}/#/trace/${INVENTORY_TRACE}`);
    const rows = page.locator('#waterfall .span-row');

    await rows.first().waitFor();
    expect(
      await rows
        .locator('.span-name')
        .evaluateAll((cells) => cells.map((cell) => cell.getAttribute('title'))),
    ).toEqual(['GET /stock/:sku', 'auth check', 'load stock', 'SELECT stock']);
    expect(await rows.locator('.offset').allTextContents()).toEqual(['+0', '+400 ns', '+250 µs', '+300 µs']);
    const lefts = await rows
      .locator('.bar')
      .evaluateAll((bars) => bars.map((bar) => bar.getBoundingClientRect().left));
    expect(lefts[1]).toBeGreaterThan(lefts[0] ?? 0);
    expect(lefts[2]).toBeGreaterThan(lefts[1] ?? 0);
    expect(lefts[3]).toBeGreaterThan(lefts[2] ?? 0);
    await saveScreenshot(page, 'viewer-trace.png');
    await page.close();
  });
});
