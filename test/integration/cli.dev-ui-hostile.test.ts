// The viewer's page in headless Chromium showing telemetry an app controls, written to run
// script: `<script>`, `<img onerror>`, quotes that close an attribute, `javascript:` links and
// bidi controls, as span names, attribute keys and values, event names, status messages, service
// names, routes, log messages and fields, audit entries and metric names. Every value must show
// as the text it is, and nothing of it may run.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { type LookoutDev, startLookoutDev } from '../helpers/lookout-dev.js';
import { launchViewerBrowser, openViewerPage } from '../helpers/viewer-browser.js';

/** Each value, run as script, sets `window.pwned`. */
const HOSTILE = [
  '<script>window.pwned = "script"</script>',
  '<img src=x onerror="window.pwned = \'img\'">',
  '"><svg onload="window.pwned = \'svg\'"><a data-pwned="',
  "' onmouseover='window.pwned = \"attribute\"' data-pwned='",
  'javascript:window.pwned = "link"',
  'invoice\u202Efdp.exe \u2066isolated\u2069',
] as const;

const TRACE_ID = 'feedfacefeedfacefeedfacefeedface';

let browser: Browser;
let dev: LookoutDev;

/** What the test reads of the page's window (these tests compile without the DOM library). */
interface PwnedWindow {
  readonly pwned?: unknown;
  readonly document: {
    querySelectorAll(selector: string): ArrayLike<{ getAttribute(name: string): string | null }>;
  };
}

/** An app that writes a log line, an audit entry and an EMF document carrying every hostile value. */
function hostileApp(): string[] {
  const lines = HOSTILE.flatMap((value, index) => [
    {
      level: 'INFO',
      message: value,
      service: value,
      trace_id: TRACE_ID,
      request_id: value,
      [value]: value,
      nested: { [value]: value },
    },
    {
      audit: true,
      timestamp: new Date().toISOString(),
      traceId: TRACE_ID,
      user_id: value,
      action: value,
      resource: value,
      status: value,
      method: value,
      path: value,
    },
    {
      _aws: {
        Timestamp: Date.now(),
        CloudWatchMetrics: [
          {
            Namespace: value,
            Dimensions: [['Service']],
            Metrics: [{ Name: `${value} ${index}`, Unit: value }],
          },
        ],
      },
      Service: value,
      [`${value} ${index}`]: 1,
    },
  ]);
  const text = lines.map((line) => JSON.stringify(line));
  return [process.execPath, '-e', `for (const line of ${JSON.stringify(text)}) console.log(line)`];
}

beforeAll(async () => {
  dev = await startLookoutDev({ command: hostileApp() });
  const now = BigInt(Date.now()) * 1_000_000n;
  const attributes = HOSTILE.flatMap((value, index) => [
    { key: value, value: { stringValue: value } },
    { key: `value ${index}`, value: { stringValue: value } },
  ]);
  const spans = HOSTILE.map((value, index) => ({
    traceId: TRACE_ID,
    spanId: `${index + 1}`.padStart(16, '0'),
    parentSpanId: index === 0 ? '' : '0000000000000001',
    name: value,
    kind: index === 0 ? 2 : 3,
    startTimeUnixNano: (now + BigInt(index) * 1000n).toString(),
    endTimeUnixNano: (now + 5_000_000n).toString(),
    attributes: [...attributes, { key: 'http.route', value: { stringValue: value } }],
    events: [{ name: value, timeUnixNano: now.toString(), attributes }],
    status: { code: 2, message: value },
  }));
  const response = await fetch(`${dev.otlpUrl}/v1/traces`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      resourceSpans: [
        {
          resource: { attributes: [{ key: 'service.name', value: { stringValue: HOSTILE[1] } }] },
          scopeSpans: [{ scope: { name: HOSTILE[2] }, spans }],
        },
      ],
    }),
  });
  expect(response.status).toBe(200);
  await dev.waitFor<{ traces: { spans: number }; audit: { kept: number }; app: { running: boolean } }>(
    '/api/stats',
    (body) => body.traces.spans === HOSTILE.length && body.audit.kept === HOSTILE.length && !body.app.running,
  );
  browser = await launchViewerBrowser();
});

afterAll(async () => {
  await browser?.close();
  await dev?.stop();
});

/** Hovers and clicks every row and cell of the view, as a reader does, so handlers would fire. */
async function touchEverything(page: Page): Promise<void> {
  for (const row of await page.locator('#view tr:visible, #view .span-row:visible').all()) {
    await row.hover();
  }
}

/** Asserts nothing ran, no element came from telemetry, and every link stays in the page. */
async function assertInert(page: Page, errors: readonly string[]): Promise<void> {
  expect(await page.evaluate(() => (globalThis as unknown as PwnedWindow).pwned)).toBeUndefined();
  expect(await page.locator('#view script, #view img, #view iframe, #view object').count()).toBe(0);
  const handlers = await page.evaluate(() => {
    const { document } = globalThis as unknown as PwnedWindow;
    return Array.from(document.querySelectorAll('[onerror], [onload], [onmouseover], [data-pwned]')).length;
  });
  expect(handlers).toBe(0);
  const hrefs = await page
    .locator('a[href]')
    .evaluateAll((links) => links.map((link) => link.getAttribute('href')));
  for (const href of hrefs) expect(href).toMatch(/^#\//);
  expect(errors).toEqual([]);
}

describe('the viewer page showing hostile telemetry', () => {
  it('shows span names, services, routes, attributes, events and status messages as text on a trace', async () => {
    // Prepare
    const { page, errors } = await openViewerPage(browser, `${dev.url}/#/trace/${TRACE_ID}`);
    await page
      .locator('#waterfall .span-row')
      .nth(HOSTILE.length - 1)
      .waitFor();

    // Act: every span opened in turn
    const names: string[] = [];
    const details: string[] = [];
    for (let index = 0; index < HOSTILE.length; index += 1) {
      const row = page.locator('#waterfall .span-row').nth(index);
      await row.click();
      names.push((await row.locator('.span-name').evaluate((cell) => cell.firstChild?.textContent)) ?? '');
      details.push((await page.locator('#span-details').textContent()) ?? '');
    }
    await touchEverything(page);

    // Assess
    expect(names.sort()).toEqual([...HOSTILE].sort());
    for (const [index, value] of HOSTILE.entries()) {
      expect(details[index]).toContain(value);
    }
    expect(await page.locator('#span-details dt').allTextContents()).toEqual(
      expect.arrayContaining([...HOSTILE]),
    );
    expect(await page.locator('#trace-title').textContent()).toBe(`${HOSTILE[1]} ${HOSTILE[0]}`);
    await assertInert(page, errors);
  });

  it('shows the trace list, log lines and their fields, audit entries and metric names as text', async () => {
    // Prepare
    const { page, errors } = await openViewerPage(browser, `${dev.url}/#/traces`);
    await page.locator('.trace-row').first().waitFor();
    const operation = await page.locator('.trace-row td.operation').first().textContent();
    const routes = await page.locator('select[name=route] option').allTextContents();

    // Act: the logs, every line opened; the audit entries; the metrics
    await page.goto(`${dev.url}/#/logs`);
    await page
      .locator('.log-row')
      .nth(HOSTILE.length - 1)
      .waitFor();
    for (const row of await page.locator('.log-row').all()) await row.click();
    const messages = await page
      .locator('.log-row td.message > div:first-child')
      .evaluateAll((cells) => cells.map((cell) => cell.firstChild?.textContent));
    const fields = await page.locator('.log-details dt').allTextContents();
    await touchEverything(page);
    await assertInert(page, errors);
    await page.goto(`${dev.url}/#/audit`);
    await page
      .locator('.audit-row')
      .nth(HOSTILE.length - 1)
      .waitFor();
    const users = await page.locator('.audit-row td:nth-child(2)').allTextContents();
    await touchEverything(page);
    await assertInert(page, errors);
    await page.goto(`${dev.url}/#/metrics`);
    await page
      .locator('#custom-charts .chart')
      .nth(HOSTILE.length - 1)
      .waitFor();
    const metrics = await page.locator('#custom-charts').textContent();

    // Assess
    expect(operation).toBe(HOSTILE[0]);
    expect(routes).toEqual(['any route', HOSTILE[0]]);
    expect(messages.sort()).toEqual([...HOSTILE].sort());
    for (const value of HOSTILE) expect(fields).toContain(value);
    expect(users.sort()).toEqual([...HOSTILE].sort());
    for (const [index, value] of HOSTILE.entries()) expect(metrics).toContain(`${value} ${index}`);
    await assertInert(page, errors);
  });
});

describe('the viewer page showing a trace of 20,000 spans', () => {
  it('draws 2000 span rows and the span where the error began, and more on demand', async () => {
    // Prepare: as many spans as one trace holds with the default limits, under one root; the
    // last one to start failed. Every row drawn is laid out: all 20,000 froze the page for
    // seconds on each draw, a click on a span included.
    const traceId = 'b16b16b16b16b16b16b16b16b16b16b1';
    const count = 20_000;
    const now = BigInt(Date.now()) * 1_000_000n;
    for (let first = 0; first < count; first += 5000) {
      const spans = Array.from({ length: 5000 }, (_, offset) => {
        const index = first + offset;
        return {
          traceId,
          spanId: (index + 1).toString(16).padStart(16, '0'),
          parentSpanId: index === 0 ? '' : '0000000000000001',
          name: `step ${index}`,
          kind: 1,
          startTimeUnixNano: (now + BigInt(index) * 1000n).toString(),
          endTimeUnixNano: (now + BigInt(count) * 1000n).toString(),
          status: index === count - 1 ? { code: 2, message: 'failed' } : {},
        };
      });
      const response = await fetch(`${dev.otlpUrl}/v1/traces`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ resourceSpans: [{ scopeSpans: [{ spans }] }] }),
      });
      expect(response.status).toBe(200);
      await response.arrayBuffer();
    }
    await dev.waitFor<{ summary: { spanCount: number } }>(
      `/api/traces/${traceId}`,
      (body) => body.summary.spanCount === count,
    );
    const { page, errors } = await openViewerPage(browser, `${dev.url}/#/trace/${traceId}`);
    const rows = page.locator('#waterfall .span-row');
    await page.locator('#more-spans').waitFor();
    const drawn = await rows.count();
    const selected = await page.locator('#waterfall .span-row.selected .span-name').textContent();

    // Act
    await page.locator('#more-spans button').click();
    await expect.poll(() => rows.count()).toBeGreaterThan(drawn);

    // Assess
    expect(drawn).toBe(2001);
    expect(selected).toContain(`step ${count - 1}`);
    expect(await page.locator('#span-details h2').first().textContent()).toBe(`step ${count - 1}`);
    expect(await rows.count()).toBe(4001);
    expect(await page.locator('#more-spans').textContent()).toContain(`${count - 4001} more spans not drawn`);
    expect(errors).toEqual([]);
  });
});

/**
 * Whether `word`, in the first element matching `selector`, is laid out left to right: its first
 * character is left of its last. Run in the page (as text: these tests compile without the DOM
 * library).
 */
function readsLeftToRight(page: Page, selector: string, word: string): Promise<boolean> {
  const script = `(([selector, word]) => {
    const element = document.querySelector(selector);
    const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node !== null; node = walker.nextNode()) {
      const at = node.textContent.indexOf(word);
      if (at < 0) continue;
      const left = (offset) => {
        const range = document.createRange();
        range.setStart(node, offset);
        range.setEnd(node, offset + 1);
        return range.getBoundingClientRect().left;
      };
      return left(at) < left(at + word.length - 1);
    }
    throw new Error('no ' + word + ' in ' + selector);
  })(${JSON.stringify([selector, word])})`;
  return page.evaluate(script) as Promise<boolean>;
}

describe('the viewer page showing telemetry with direction controls', () => {
  it('keeps a right-to-left override inside the value: the text after it reads as written', async () => {
    // Prepare: a service name and a status message ending in an override (U+202E) they never close.
    const traceId = 'b1d1b1d1b1d1b1d1b1d1b1d1b1d1b1d1';
    const now = BigInt(Date.now()) * 1_000_000n;
    const span = {
      traceId,
      spanId: '00000000000000b1',
      name: 'GET /orders',
      kind: 2,
      startTimeUnixNano: now.toString(),
      endTimeUnixNano: (now + 12_500_000n).toString(),
      status: { code: 2, message: 'card declined\u202E' },
    };
    const response = await fetch(`${dev.otlpUrl}/v1/traces`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        resourceSpans: [
          {
            resource: { attributes: [{ key: 'service.name', value: { stringValue: 'billing\u202E' } }] },
            scopeSpans: [{ spans: [span] }],
          },
        ],
      }),
    });
    expect(response.status).toBe(200);
    await response.arrayBuffer();
    const { page, errors } = await openViewerPage(browser, `${dev.url}/#/trace/${traceId}`);
    await page.locator('#span-details').waitFor();

    // Act
    const title = await readsLeftToRight(page, '#trace-title', 'GET /orders');
    const lasts = await readsLeftToRight(page, '#span-details p.muted', 'lasts 12.5 ms');
    const source = await readsLeftToRight(page, '#span-details p.muted', 'from otlp');

    // Assess
    expect({ title, lasts, source }).toEqual({ title: true, lasts: true, source: true });
    expect(await page.locator('#trace-title').textContent()).toBe('billing\u202E GET /orders');
    expect(errors).toEqual([]);
  });
});

describe('the viewer page showing log lines of 50,000 fields', () => {
  it("draws a line's fields when it is opened, not those of every closed line", async () => {
    // Prepare: an app writing 5 JSON lines of 50,000 fields each (650 KB a line). Every closed
    // line's fields were drawn, hidden: 11 such lines took the logs page half a minute.
    const app = [
      "const fields = { level: 'INFO', message: 'wide' };",
      "for (let i = 0; i < 50000; i++) fields['k' + i] = 0;",
      'for (let i = 0; i < 5; i++) console.log(JSON.stringify(fields));',
    ].join('\n');
    const wide = await startLookoutDev({ command: [process.execPath, '-e', app] });
    onTestFinished(() => wide.stop().then(() => undefined));
    await wide.waitFor<{ logs: { kept: number }; app: { running: boolean } }>(
      '/api/stats',
      (body) => body.logs.kept === 5 && !body.app.running,
    );
    const { page, errors } = await openViewerPage(browser, `${wide.url}/#/logs`);
    await page.locator('.log-row').nth(4).waitFor();
    const closed = await page.locator('.log-details dt').count();

    // Act
    await page.locator('.log-row').first().click();

    // Assess: nothing drawn for closed lines; an opened line shows its first 1000 fields, and
    // every field on demand.
    expect(closed).toBe(0);
    expect(await page.locator('.log-details:visible dt').count()).toBe(1000);
    await page.locator('.log-details:visible button.more-fields').click();
    expect(await page.locator('.log-details:visible dt').count()).toBe(50_002);
    expect(await page.locator('.log-details:visible dd[data-field="k49999"]').textContent()).toBe('0');
    expect(errors).toEqual([]);
  });
});

describe('the viewer page showing a span of 50,000 attributes', () => {
  it('draws its first 1000 attributes when the trace opens, and all of them on demand', async () => {
    // Prepare: one span with 50,000 attributes (100,000 messages, within what a request may
    // hold). Every attribute was drawn when its trace opened, and again at every click on a span.
    const traceId = 'a77a77a77a77a77a77a77a77a77a77a7';
    const now = BigInt(Date.now()) * 1_000_000n;
    const span = {
      traceId,
      spanId: '00000000000000a7',
      name: 'wide span',
      kind: 2,
      startTimeUnixNano: now.toString(),
      endTimeUnixNano: (now + 1_000_000n).toString(),
      attributes: Array.from({ length: 50_000 }, (_, i) => ({ key: `a${i}`, value: { intValue: i } })),
    };
    const response = await fetch(`${dev.otlpUrl}/v1/traces`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ resourceSpans: [{ scopeSpans: [{ spans: [span] }] }] }),
    });
    expect(response.status).toBe(200);
    await response.arrayBuffer();
    const { page, errors } = await openViewerPage(browser, `${dev.url}/#/trace/${traceId}`);
    await page.locator('#span-details').waitFor();
    const drawn = await page.locator('#span-details dt').count();

    // Act
    await page.locator('#span-details button.more-fields').click();

    // Assess
    expect(drawn).toBe(1000);
    expect(await page.locator('#span-details dt').count()).toBe(50_000);
    expect(await page.locator('#span-details dd[data-field="a49999"]').textContent()).toBe('49999');
    expect(errors).toEqual([]);
  });
});

describe('the viewer page at a hand-typed address', () => {
  it.each(['#/trace/%E0', '#/trace/%', '#/logs/%ZZ', '#/trace/abc%E0%A4', '#/log', '#/constructor'])(
    'shows "not found" for %s, a view it has not or an argument that does not decode, when opened and when typed',
    async (hash) => {
      // Prepare
      const { page, errors } = await openViewerPage(browser, `${dev.url}/#/traces`);
      await page.locator('#view table').waitFor();

      // Act: typed into the address bar of an open page, then opened as a new page
      await page.evaluate(`location.hash = ${JSON.stringify(hash)}`);
      const typed = await page.locator('#not-found').textContent();
      const opened = await openViewerPage(browser, `${dev.url}/${hash}`);
      const shown = await opened.page.locator('#not-found').textContent();

      // Assess
      for (const text of [typed, shown]) {
        expect(text).toContain('Not found');
        expect(text).toContain(hash);
      }
      expect(errors).toEqual([]);
      expect(opened.errors).toEqual([]);
      await opened.page.locator('#not-found a').click();
      await opened.page.locator('#view table').waitFor();
      expect(await opened.page.evaluate('location.hash')).toBe('#/traces');
    },
  );

  it.each(['', '#', '#/'])('shows the traces at %o, the page’s own address', async (hash) => {
    // Act
    const { page, errors } = await openViewerPage(browser, `${dev.url}/${hash}`);

    // Assess
    await page.locator('#view table').waitFor();
    expect(await page.locator('#not-found').count()).toBe(0);
    expect(await page.locator('nav a.active').getAttribute('data-view')).toBe('traces');
    expect(errors).toEqual([]);
  });

  it('shows that a trace id it does not hold was not found', async () => {
    // Prepare
    const { page } = await openViewerPage(browser, `${dev.url}/#/trace/${'0'.repeat(31)}1`);

    // Act
    const text = await page.locator('#view .empty').textContent();

    // Assess
    expect(text).toContain('no such trace');
  });
});

describe('the viewer page refreshing on live updates', () => {
  it('compares an answer as the text it came in: it neither parses nor serialises an unchanged one again', async () => {
    // Prepare: a log line of 200,000 characters; a page on the logs that counts the JSON.parse
    // and JSON.stringify calls on more than 100,000 characters (Response.json() is not one)
    const big = 'x'.repeat(200_000);
    const logs = await fetch(`${dev.otlpUrl}/v1/logs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        resourceLogs: [
          {
            resource: { attributes: [{ key: 'service.name', value: { stringValue: 'big' } }] },
            scopeLogs: [
              { logRecords: [{ timeUnixNano: `${Date.now()}000000`, body: { stringValue: big } }] },
            ],
          },
        ],
      }),
    });
    expect(logs.status).toBe(200);
    await dev.waitFor<{ logs: { message: string }[] }>('/api/logs', (body) =>
      body.logs.some((line) => line.message === big),
    );
    const page = await browser.newPage();
    onTestFinished(() => page.close());
    await page.addInitScript(`{
      const counts = { parse: 0, stringify: 0 };
      window.bigJson = counts;
      const { parse, stringify } = JSON;
      JSON.parse = (text, reviver) => {
        if (typeof text === 'string' && text.length > 100000) counts.parse += 1;
        return parse(text, reviver);
      };
      JSON.stringify = (...args) => {
        const text = stringify(...args);
        if (typeof text === 'string' && text.length > 100000) counts.stringify += 1;
        return text;
      };
    }`);
    let reads = 0;
    page.on('requestfinished', (request) => {
      if (new URL(request.url()).pathname === '/api/logs') reads += 1;
    });
    await page.goto(`${dev.url}/#/logs`);
    await page.locator('#log-list tr').nth(1).waitFor();

    // Act: three live updates that leave the logs as they are (a span each)
    const drawnAfter = reads;
    for (let index = 0; index < 3; index += 1) {
      const before = reads;
      const now = BigInt(Date.now()) * 1_000_000n;
      await fetch(`${dev.otlpUrl}/v1/traces`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          resourceSpans: [
            {
              scopeSpans: [
                {
                  spans: [
                    {
                      traceId: `${index + 1}`.padStart(32, 'c'),
                      spanId: `${index + 1}`.padStart(16, 'c'),
                      name: 'update',
                      kind: 2,
                      startTimeUnixNano: now.toString(),
                      endTimeUnixNano: (now + 1000n).toString(),
                    },
                  ],
                },
              ],
            },
          ],
        }),
      });
      await expect.poll(() => reads, { timeout: 10_000 }).toBeGreaterThan(before);
    }
    const counts = (await page.evaluate('window.bigJson')) as { parse: number; stringify: number };

    // Assess
    expect(reads).toBeGreaterThanOrEqual(drawnAfter + 3);
    expect(counts.stringify).toBe(0);
    expect(counts.parse).toBeLessThanOrEqual(1);
  });
});
