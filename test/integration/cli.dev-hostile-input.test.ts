// `lookout dev` fed hostile but possible input by the apps on the developer's machine: it must
// keep serving, keep answering its API, and count what it refused.
import { spawn } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it, onTestFinished } from 'vitest';
import { type LookoutDev, startLookoutDev } from '../helpers/lookout-dev.js';
import { hermeticEnv, REPO_ROOT } from '../helpers/spawn-app.js';

interface Stats {
  memory: { rss: number };
  traces: { traces: number; receivedSpans: number };
  metrics: { received: number };
  rejected: Record<string, number>;
  app: { running: boolean } | null;
}

let dev: LookoutDev | undefined;
afterEach(async () => {
  await dev?.stop();
  dev = undefined;
});

/** Sends each datagram in turn to the X-Ray daemon address, as an exporter does. */
async function sendDatagrams(address: string, datagrams: readonly string[]): Promise<void> {
  const [host = '127.0.0.1', port = '0'] = address.split(':');
  const socket = createSocket('udp4');
  try {
    for (const datagram of datagrams) {
      await new Promise<void>((resolve, reject) =>
        socket.send(datagram, Number(port), host, (error) => (error ? reject(error) : resolve())),
      );
    }
  } finally {
    socket.close();
  }
}

const HEADER = '{"format":"json","version":1}\n';

describe('lookout dev under hostile X-Ray datagrams', () => {
  it('keeps running and skips a segment whose times are past the range of a double (1e400)', async () => {
    // Prepare: JSON reads 1e400 as Infinity, which no segment time can be.
    dev = await startLookoutDev();
    const now = Date.now() / 1000;
    const hostile = `${HEADER}{"trace_id":"1-5759e988-bd862e3fe1be46a994272793","id":"70de5b6f19ff9a0a","name":"hostile","start_time":1e400,"end_time":1e400}`;
    const after = `${HEADER}${JSON.stringify({
      trace_id: '1-5759e988-bd862e3fe1be46a994272794',
      id: '70de5b6f19ff9a0b',
      name: 'after',
      start_time: now,
      end_time: now + 0.01,
    })}`;

    // Act
    await sendDatagrams(dev.xrayAddress, [hostile, after]);

    // Assess: the segment sent after it arrives, so the viewer is still up; the hostile one is not shown.
    const stats = await dev.waitFor<Stats>('/api/stats', (body) => body.traces.receivedSpans >= 1);
    expect(stats.traces.traces).toBe(1);
    const detail = await dev.api<{ spans: Array<{ name: string }> }>(
      '/api/traces/5759e988bd862e3fe1be46a994272794',
    );
    expect(detail.spans.map((span) => span.name)).toEqual(['after']);
    expect(dev.process.child.exitCode).toBeNull();
  });
});

/** An app that prints the given EMF documents, one a line, and exits. */
function emfApp(documents: readonly Record<string, unknown>[]): string[] {
  const lines = documents.map((document) => JSON.stringify(document));
  return [process.execPath, '-e', `for (const line of ${JSON.stringify(lines)}) console.log(line)`];
}

function emfDocument(timestamp: number, name: string, unit: string): Record<string, unknown> {
  return {
    _aws: {
      Timestamp: timestamp,
      CloudWatchMetrics: [
        { Namespace: 'app', Dimensions: [['Service']], Metrics: [{ Name: name, Unit: unit }] },
      ],
    },
    Service: 'orders',
    [name]: 1,
  };
}

describe('lookout dev under hostile EMF timestamps', () => {
  it('answers the metrics page in at most 61 buckets when one Timestamp is in seconds and one far in the future', async () => {
    // Prepare: a Timestamp in seconds instead of milliseconds reads as January 1970, and one of
    // 1e300 as far past any date; with points of now, the range is decades or more.
    const now = Date.now();
    dev = await startLookoutDev({
      command: emfApp([
        emfDocument(now, 'RequestCount', 'Count'),
        emfDocument(Math.floor(now / 1000), 'RequestCount', 'Count'),
        emfDocument(1e300, 'OrderPlaced', 'Count'),
      ]),
    });
    await dev.waitFor<Stats>('/api/stats', (body) => body.app?.running === false);

    // Act
    const summary = await dev.api<{
      requests: Array<{ t: number; value: number }>;
      custom: Array<{ name: string; points: Array<{ value: number }> }>;
    }>('/api/metrics');

    // Assess: every point is counted, in a bounded number of buckets.
    expect(summary.requests.length).toBeGreaterThan(0);
    expect(summary.requests.length).toBeLessThanOrEqual(61);
    expect(summary.requests.reduce((sum, point) => sum + point.value, 0)).toBe(2);
    expect(summary.custom.map((series) => series.name)).toEqual(['OrderPlaced']);
  });
});

describe('lookout dev under hostile API queries', () => {
  it.each([
    ['a malformed percent escape', '%E0%A4%A'],
    ['an id of the wrong length', 'abc123'],
    ['the all-zero id', '0'.repeat(32)],
  ])('refuses %s as a trace id with 400 and says why', async (_what, id) => {
    // Prepare
    dev = await startLookoutDev();

    // Act
    const response = await fetch(`${dev.url}/api/traces/${id}`);
    const body = (await response.json()) as { error: string };

    // Assess
    expect(response.status).toBe(400);
    expect(body.error).toMatch(/^not a trace id/);
  });
});

/** Writes and resolves once the socket has taken the bytes (so a held body is really sent). */
function writeAll(socket: Socket, bytes: Buffer | string): Promise<void> {
  return new Promise((resolve, reject) =>
    socket.write(bytes, (error) => (error ? reject(error) : resolve())),
  );
}

/** Reads a raw HTTP response to its end; the status line and headers are what the test reads. */
function readResponse(socket: Socket): Promise<string> {
  return new Promise((resolve) => {
    let text = '';
    socket.on('data', (chunk: Buffer) => {
      text += chunk.toString('latin1');
    });
    socket.on('close', () => resolve(text));
  });
}

describe('lookout dev under many large OTLP bodies at once', () => {
  it('keeps at most 64 MiB of bodies in memory over 10 senders of 32 MiB, and asks the rest to retry', async () => {
    // Prepare: ten senders each send 31 MiB of a 32 MiB body (the largest accepted) and hold
    // the last MiB. With each body kept until it ends, the viewer measured 390 MB RSS here.
    dev = await startLookoutDev();
    const { port } = new URL(dev.otlpUrl);
    const length = 32 * 1024 * 1024;
    const mebibyte = Buffer.alloc(1024 * 1024, 0x41);
    const senders = Array.from({ length: 10 }, () => connect(Number(port), '127.0.0.1'));
    const responses = senders.map(readResponse);
    for (const socket of senders) {
      await writeAll(
        socket,
        `POST /v1/traces HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Type: application/x-protobuf\r\nContent-Length: ${length}\r\nConnection: close\r\n\r\n`,
      );
      for (let sent = 0; sent < 31; sent += 1) await writeAll(socket, mebibyte);
    }

    // Act
    const held = await dev.api<Stats>('/api/stats');
    for (const socket of senders) await writeAll(socket, mebibyte);
    const answers = await Promise.all(responses);
    const statuses = answers.map((text) => text.split('\r\n')[0]);

    // Assess: bodies beyond the shared bound were not kept; each sender got an answer (400 for
    // these bytes, which are no protobuf message, or 503 with Retry-After), and the viewer serves on.
    expect(held.memory.rss).toBeLessThan(256 * 1024 * 1024);
    for (const status of statuses) expect(status).toMatch(/^HTTP\/1\.1 (400|503) /);
    const busy = answers.filter((text) => text.startsWith('HTTP/1.1 503 '));
    expect(busy.length).toBeGreaterThanOrEqual(8);
    for (const text of busy) expect(text.toLowerCase()).toContain('retry-after: 1');
    const stats = await dev.api<Stats>('/api/stats');
    expect(stats.rejected.otlp).toBe(10);
  });
});

describe('lookout dev under stalled OTLP senders', () => {
  it('lets go of senders that stall mid-body, so the requests they turned away get in on retry', async () => {
    // Prepare: two senders each send all but the last byte of a 32 MiB body and stall, holding
    // the 64 MiB that bodies being read may hold between them.
    dev = await startLookoutDev();
    const { port } = new URL(dev.otlpUrl);
    const length = 32 * 1024 * 1024;
    const stalled = Array.from({ length: 2 }, () => connect(Number(port), '127.0.0.1'));
    const closed = stalled.map((socket) => once(socket, 'close'));
    for (const socket of stalled) {
      socket.on('error', () => undefined);
      socket.resume();
      await writeAll(
        socket,
        `POST /v1/traces HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Type: application/x-protobuf\r\nContent-Length: ${length}\r\n\r\n`,
      );
      await writeAll(socket, Buffer.alloc(length - 1));
    }
    const export_ = () =>
      fetch(`${dev?.otlpUrl}/v1/traces`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"resourceSpans":[]}',
      }).then(async (response) => {
        await response.arrayBuffer();
        return response.status;
      });
    // The senders' bytes are written once the kernel took them; the viewer reads them a moment
    // later (longer on a loaded machine): asked again until it holds them and turns one away.
    let turnedAway = await export_();
    for (let attempt = 0; attempt < 50 && turnedAway !== 503; attempt += 1) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      turnedAway = await export_();
    }

    // Act: the exporter retries, as OTLP exporters do after a 503, until it gets in.
    let status = turnedAway;
    for (let attempt = 0; attempt < 100 && status === 503; attempt += 1) {
      await new Promise((resolve) => setTimeout(resolve, 400));
      status = await export_();
    }

    // Assess
    expect(turnedAway).toBe(503);
    expect(status).toBe(200);
    await Promise.all(closed);
  });
});

describe('lookout dev when its own output is closed', () => {
  it('keeps the viewer and the app running when the reader of its stdout goes away (| head)', async () => {
    // Prepare: an app that writes a log line every 20 ms, echoed by lookout dev to its stdout.
    dev = await startLookoutDev({
      command: [
        process.execPath,
        '-e',
        "let n = 0; setInterval(() => console.log(JSON.stringify({ level: 'INFO', message: 'tick ' + ++n })), 20)",
      ],
    });
    const before = await dev.waitFor<Stats & { logs: { received: number } }>(
      '/api/stats',
      (body) => body.logs.received > 0,
    );

    // Act: the reading end of lookout dev's stdout is closed, as `head` does once it has its lines.
    dev.process.child.stdout?.destroy();

    // Assess: log lines keep arriving well after the next echo met the closed pipe, and the app runs.
    const after = await dev.waitFor<Stats & { logs: { received: number } }>(
      '/api/stats',
      (body) => body.logs.received > before.logs.received + 100,
    );
    expect(after.app?.running).toBe(true);
    expect(dev.process.child.exitCode).toBeNull();
  });
});

/** A protobuf varint. */
function varint(value: number): number[] {
  const bytes: number[] = [];
  let rest = value;
  while (rest > 127) {
    bytes.push((rest & 127) | 128);
    rest = Math.floor(rest / 128);
  }
  bytes.push(rest);
  return bytes;
}

describe('lookout dev when the reader of its output falls behind', () => {
  it('keeps at most 16 MiB of output waiting for a reader that stopped reading, and says how many lines it did not print', async () => {
    // Prepare: lookout dev's stdout is a pipe, written asynchronously; the test stops reading
    // it, as `lookout dev -- app | less` does while the pager waits. The app writes 500 lines of
    // about 1 MiB: without a bound they all waited in lookout dev's memory for the reader. The app
    // starts writing once the test has stopped reading (when the file `go` exists).
    const dir = await mkdtemp(join(tmpdir(), 'lookout-dev-echo-'));
    onTestFinished(() => rm(dir, { recursive: true, force: true }));
    const go = join(dir, 'go');
    const app = [
      "const { existsSync } = require('node:fs');",
      "const pad = 'x'.repeat(1024 * 1024 - 100);",
      `const start = () => { if (!existsSync(${JSON.stringify(go)})) return setTimeout(start, 20);`,
      "  for (let i = 1; i <= 500; i++) console.log('line ' + i + ' ' + pad); };",
      'start();',
    ].join('\n');
    dev = await startLookoutDev({ command: [process.execPath, '-e', app] });
    dev.process.child.stdout?.pause();
    await writeFile(go, '');

    // Act
    const stats = await dev.waitFor<Stats & { logs: { received: number } }>(
      '/api/stats',
      (body) => body.app?.running === false,
      60_000,
    );
    dev.process.child.stdout?.resume();

    // Assess: every line reached the viewer. Once the reader caught up, a note said how many
    // lines were not printed: what was printed is what waited, at most 16 MiB (16 lines of
    // 1 MiB) and what the pipes hold. With every line waiting the process measured 1 GB RSS.
    expect(stats.logs.received).toBe(500);
    const [, skipped = '0'] = await dev.process.waitForLine(
      /^lookout dev: (\d+) lines not printed: the reader of this output fell more than 16 MiB behind/,
      30_000,
    );
    const printed = dev.process.stdoutLines().filter((line) => line.startsWith('line ')).length;
    expect(printed).toBe(500 - Number(skipped));
    expect(printed).toBeLessThanOrEqual(20);
  });
});

describe('lookout dev under OTLP payloads of many tiny messages', () => {
  it('refuses a request of 300,000 empty spans (600 KB on the wire) with 400 naming the limit', async () => {
    // Prepare: ExportTraceServiceRequest { resource_spans (1) { scope_spans (2) { spans (2): empty × 300,000 } } }.
    // Each empty span is 2 bytes on the wire and about 450 bytes of heap once decoded.
    dev = await startLookoutDev();
    const spans = Buffer.alloc(300_000 * 2);
    for (let offset = 0; offset < spans.length; offset += 2) spans[offset] = 0x12;
    const scopeSpans = Buffer.concat([Buffer.from([0x12, ...varint(spans.length)]), spans]);
    const body = Buffer.concat([Buffer.from([0x0a, ...varint(scopeSpans.length)]), scopeSpans]);

    // Act
    const response = await fetch(`${dev.otlpUrl}/v1/traces`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-protobuf' },
      body,
    });
    const answer = (await response.json()) as { message: string };

    // Assess
    expect(response.status).toBe(400);
    expect(answer.message).toContain('more messages than the decoder accepts (250000)');
    const stats = await dev.api<Stats>('/api/stats');
    expect(stats.rejected.otlp).toBe(1);
  });

  it('still takes a large real batch: 512 spans of 100 attributes each', async () => {
    // Prepare
    dev = await startLookoutDev();
    const now = BigInt(Date.now()) * 1_000_000n;
    const request = {
      resourceSpans: [
        {
          resource: { attributes: [{ key: 'service.name', value: { stringValue: 'batch' } }] },
          scopeSpans: [
            {
              scope: { name: 'batch' },
              spans: Array.from({ length: 512 }, (_, i) => ({
                traceId: (i + 1).toString(16).padStart(32, '0'),
                spanId: (i + 1).toString(16).padStart(16, '0'),
                name: `span ${i}`,
                startTimeUnixNano: String(now),
                endTimeUnixNano: String(now + 1_000_000n),
                attributes: Array.from({ length: 100 }, (_, a) => ({ key: `a${a}`, value: { intValue: a } })),
              })),
            },
          ],
        },
      ],
    };

    // Act
    const response = await fetch(`${dev.otlpUrl}/v1/traces`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(request),
    });
    await response.arrayBuffer();

    // Assess
    expect(response.status).toBe(200);
    const stats = await dev.api<Stats>('/api/stats');
    expect(stats.traces.receivedSpans).toBe(512);
  });
});

describe('lookout dev under short text lines written after long lines it does not keep', () => {
  it('holds what the short lines take, not the long lines they were read with', async () => {
    // Prepare: each write is an EMF document of about 1 MiB with no metrics (read, nothing
    // kept, not echoed) and a short text line after it. The short line is cut out of the text
    // the long one was read into; kept as cut, each held that 1 MiB: 500 MiB for 500 lines of
    // 20 characters, which no count or byte bound on what they hold could see.
    const app = [
      "const emf = JSON.stringify({ _aws: { Timestamp: Date.now(), CloudWatchMetrics: [] }, pad: 'x'.repeat(1024 * 1024 - 100) });",
      "for (let i = 1; i <= 500; i++) process.stdout.write(emf + '\\nshort text line ' + i + '\\n');",
    ].join('\n');
    dev = await startLookoutDev({ command: [process.execPath, '-e', app] });

    // Act
    const stats = await dev.waitFor<Stats & { logs: { received: number; kept: number } }>(
      '/api/stats',
      (body) => body.app?.running === false,
      60_000,
    );
    const { logs } = await dev.api<{ logs: Array<{ message: string }> }>('/api/logs?limit=1');

    // Assess: every short line kept; the process well under the 500 MiB they held as cut (it
    // measured 90-115 MB after reading 500 MiB, and 620 MB with the lines held as cut).
    expect(stats.logs).toMatchObject({ received: 500, kept: 500 });
    expect(logs[0]?.message).toBe('short text line 500');
    expect(stats.memory.rss).toBeLessThan(320 * 1024 * 1024);
  });
});

describe('lookout dev given a command it cannot start', () => {
  it('says it cannot start the command and why, and keeps the viewer running', async () => {
    // Act
    dev = await startLookoutDev({ command: ['lookout-no-such-command'] });

    // Assess
    const [, why] = await dev.process.waitForLine(
      /^lookout dev: cannot start lookout-no-such-command: (.*)$/,
    );
    expect(why).toBe('spawn lookout-no-such-command ENOENT');
    const stats = await dev.waitFor<Stats & { app: { running: boolean; exit?: { code: number } } }>(
      '/api/stats',
      (body) => body.app?.running === false,
    );
    expect(stats.app.exit?.code).toBe(127);
  });
});

describe('lookout dev under gzip bombs', () => {
  it.each([
    [
      'decompresses past 32 MiB',
      () => gzipSync(Buffer.alloc(40 * 1024 * 1024)),
      413,
      /^body larger than 33554432 bytes once decompressed$/,
    ],
    ['is not gzip', () => Buffer.from('not gzip'), 400, /^the gzip body cannot be decompressed: /],
  ])('answers a gzip body that %s with what it refused', async (_what, body, status, message) => {
    // Prepare
    dev = await startLookoutDev();

    // Act
    const response = await fetch(`${dev.otlpUrl}/v1/traces`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-protobuf', 'content-encoding': 'gzip' },
      body: body(),
    });
    const answer = (await response.json()) as { message: string };

    // Assess
    expect(response.status).toBe(status);
    expect(answer.message).toMatch(message);
    expect((await dev.api<Stats>('/api/stats')).rejected.otlp).toBe(1);
  });
});

describe('lookout dev answering for log lines that are large once escaped', () => {
  it('answers /api/logs within 16 MiB of JSON, says it cut the list, and the cursor reads every line', async () => {
    // Prepare: 40 text lines of about 1 MiB of control characters, 40 MiB held; JSON writes each
    // character as six (\u0001), so the list of them all was a 240 MiB answer built at once.
    const app = [
      "const pad = '\\u0001'.repeat(1024 * 1024 - 100);",
      "for (let i = 1; i <= 40; i++) console.log('line ' + i + ' ' + pad);",
    ].join('\n');
    dev = await startLookoutDev({ command: [process.execPath, '-e', app] });
    await dev.waitFor<Stats & { logs: { kept: number } }>(
      '/api/stats',
      (body) => body.app?.running === false && body.logs.kept === 40,
      60_000,
    );

    // Act
    const response = await fetch(`${dev.url}/api/logs`);
    const text = await response.text();
    const first = JSON.parse(text) as {
      logs: Array<{ message: string }>;
      truncated: boolean;
      nextBefore?: number;
    };
    const messages = first.logs.map((log) => log.message);
    let nextBefore = first.nextBefore;
    for (let pages = 0; nextBefore !== undefined && pages < 50; pages += 1) {
      const page = await dev.api<{ logs: Array<{ message: string }>; nextBefore?: number }>(
        `/api/logs?before=${nextBefore}`,
      );
      messages.push(...page.logs.map((log) => log.message));
      nextBefore = page.nextBefore;
    }

    // Assess: the answer is bounded and says so; reading on gives every line, newest first.
    expect(Buffer.byteLength(text)).toBeLessThanOrEqual(16 * 1024 * 1024 + 64 * 1024);
    expect(first.truncated).toBe(true);
    expect(first.logs.length).toBeGreaterThanOrEqual(1);
    expect(messages.map((message) => message.split(' ', 2).join(' '))).toEqual(
      Array.from({ length: 40 }, (_, i) => `line ${40 - i}`),
    );
  });
});

describe('lookout dev when the app leaves a process holding its output', () => {
  it('says the app exited, reads on what is still written, and stops on Ctrl-C', async () => {
    // Prepare: the app starts a process that inherits its stdout and stderr (a server started by
    // a script, a watcher) and exits; that process writes a line 3 s later and lives on.
    const app = [
      "const { spawn } = require('node:child_process');",
      'const child = spawn(process.execPath, ["-e", "setTimeout(() => console.log(\'late line\'), 3000); setTimeout(() => {}, 120000)"], { stdio: "inherit" });',
      "console.log('left ' + child.pid);",
      'child.unref();',
    ].join('\n');
    dev = await startLookoutDev({ command: [process.execPath, '-e', app] });
    const [, pid = '0'] = await dev.process.waitForLine(/^left (\d+)$/);
    onTestFinished(() => {
      try {
        process.kill(Number(pid), 'SIGKILL');
      } catch {
        // already gone
      }
    });

    // Act
    const stats = await dev.waitFor<Stats & { app: { running: boolean; exit?: { code: number } } }>(
      '/api/stats',
      (body) => body.app?.running === false,
    );
    const { logs } = await dev.waitFor<{ logs: Array<{ message: string }> }>('/api/logs', (body) =>
      body.logs.some((log) => log.message === 'late line'),
    );
    const stop = await fetch(`${dev.url}/api/app/stop`, {
      method: 'POST',
      headers: { 'x-lookout-dev': '1' },
    });
    const stopped = (await stop.json()) as { exit: { code: number } };
    const exit = await dev.stop();
    dev = undefined;

    // Assess: the app's exit is shown, the line written after it was kept, the stop request was
    // answered, and Ctrl-C ended lookout dev itself rather than the test's SIGKILL 10 s later.
    expect(stats.app.exit?.code).toBe(0);
    expect(logs[0]?.message).toBe('late line');
    expect(stopped.exit.code).toBe(0);
    expect(exit).toEqual({ code: 0, signal: null });
  });
});

describe('lookout dev under a log line nested deeper than JSON.stringify can go', () => {
  it('keeps running, keeps the line and the ones after it, and the app writes on', async () => {
    // Prepare: a Powertools-shaped line whose message is an array nested 300,000 deep (600 KB,
    // under the 1 MiB line bound). JSON.parse reads it; turning it back into text overflowed the
    // stack, uncaught: lookout dev died, and the app's next write met a closed pipe.
    const app = [
      'const depth = 300000;',
      "console.log('{\"level\":\"INFO\",\"message\":' + '['.repeat(depth) + ']'.repeat(depth) + '}');",
      "setTimeout(() => console.log(JSON.stringify({ level: 'INFO', message: 'after the deep line' })), 500);",
    ].join('\n');
    dev = await startLookoutDev({ command: [process.execPath, '-e', app] });

    // Act
    const stats = await dev.waitFor<Stats & { app: { running: boolean; exit?: { code: number } } }>(
      '/api/stats',
      (body) => body.app?.running === false,
    );
    const { logs } = await dev.api<{ logs: Array<{ message: string; level: string }> }>('/api/logs');

    // Assess: both lines kept, the deep one's message as JSON text cut where nesting stops.
    expect(dev.process.child.exitCode).toBeNull();
    expect(stats.app.exit?.code).toBe(0);
    expect(logs.map((log) => log.message)).toEqual([
      'after the deep line',
      `${'['.repeat(20)}"[nested too deep]"${']'.repeat(20)}`,
    ]);
  });
});

describe('lookout dev printing what the app writes', () => {
  it('prints invalid UTF-8, CRLF line ends and a line of 1.5 MiB byte for byte as written', async () => {
    // Prepare: lookout dev's stdout read as bytes (the helper reads text, which would hide the
    // difference). Decoded and encoded again, invalid bytes became U+FFFD, `\r\n` became `\n`,
    // and the long line was printed as two lines, a newline put in it at 1 MiB.
    const parts = [
      'Buffer.from([0x61, 0xff, 0xfe, 0x62, 0x0d, 0x0a])',
      "Buffer.from('y'.repeat(1.5 * 1024 * 1024) + '\\n')",
      "Buffer.from('caf\\u00e9 \\u2603\\n')",
    ];
    const written = Buffer.concat([
      Buffer.from([0x61, 0xff, 0xfe, 0x62, 0x0d, 0x0a]),
      Buffer.from(`${'y'.repeat(1.5 * 1024 * 1024)}\n`),
      Buffer.from('caf\u00e9 \u2603\n'),
    ]);
    const app = `process.stdout.write(Buffer.concat([${parts.join(', ')}]))`;
    const child = spawn(
      process.execPath,
      [
        'bin/lookout.mjs',
        'dev',
        '--port',
        '0',
        '--otlp-port',
        '0',
        '--xray-port',
        '0',
        '--',
        process.execPath,
        '-e',
        app,
      ],
      { cwd: REPO_ROOT, env: hermeticEnv(), stdio: ['ignore', 'pipe', 'pipe'] },
    );
    onTestFinished(() => {
      if (child.exitCode === null) child.kill('SIGKILL');
    });
    const chunks: Buffer[] = [];
    const exited = new Promise<void>((resolve) => {
      child.stdout.on('data', (chunk: Buffer) => {
        chunks.push(chunk);
        if (chunk.includes('lookout dev: the app exited')) resolve();
      });
    });

    // Act
    await exited;
    child.kill('SIGINT');
    await once(child, 'exit');

    // Assess: between lookout dev's own lines, exactly the app's bytes.
    const output = Buffer.concat(chunks);
    const start = output.indexOf('\n', output.indexOf('lookout dev: running')) + 1;
    const end = output.indexOf('lookout dev: the app exited');
    expect(output.subarray(start, end).equals(written)).toBe(true);
  });
});
