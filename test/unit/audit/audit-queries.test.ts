import { EventEmitter } from 'node:events';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AUDIT_QUERIES } from '../../../src/audit/index.js';
import { resolveConfig } from '../../../src/config/index.js';
import { auditMiddleware, observe } from '../../../src/express/index.js';
import type { ExpressRequest, ExpressResponse } from '../../../src/express/types.js';
import { captureLogLinesForTesting, configureLogging } from '../../../src/logging/index.js';
import { detectRuntime } from '../../../src/runtime/index.js';

// Every query in docs/audit.md reads fields Lookout really writes: each field a query names is
// looked up in an audit entry written by auditMiddleware() and in an access-log line written
// by observe(), both produced here by the real middleware on a simulated request.

type Line = Record<string, unknown>;

const COMMANDS = new Set(['fields', 'filter', 'stats', 'sort', 'limit', 'display', 'parse', 'dedup']);
const KEYWORDS = new Set(['and', 'or', 'not', 'as', 'by', 'asc', 'desc', 'in', 'like']);
const BUILT_IN_FIELDS = new Set(['@timestamp', '@message', '@logStream', '@log']);

interface ParsedQuery {
  readonly commands: string[];
  readonly fields: string[];
}

/** A small reader of Logs Insights QL: commands, and the fields they reference. */
function parseQuery(query: string): ParsedQuery {
  expect(query.split('"').length % 2, 'unbalanced string literal').toBe(1);
  const withoutStrings = query.replace(/"[^"]*"/g, '""');
  const segments = withoutStrings.split('|').map((segment) => segment.trim());
  const commands = segments.map((segment) => segment.split(/\s+/)[0] ?? '');
  const aliases = new Set([...withoutStrings.matchAll(/\bas\s+([A-Za-z_]\w*)/g)].map((match) => match[1]));
  const fields = new Set<string>();
  for (const segment of segments) {
    let depth = 0;
    for (const char of segment) {
      depth += char === '(' ? 1 : char === ')' ? -1 : 0;
      expect(depth, `parentheses in "${segment}"`).toBeGreaterThanOrEqual(0);
    }
    expect(depth, `parentheses in "${segment}"`).toBe(0);
    const body = segment.slice((segment.split(/\s+/)[0] ?? '').length);
    for (const match of body.matchAll(/(?<![\w.@])(@?[A-Za-z_][\w.]*)(\s*\()?/g)) {
      const [, token = '', call] = match;
      if (call !== undefined || KEYWORDS.has(token) || aliases.has(token)) continue;
      // Durations in bin(15m) and numbers start with a digit, so the pattern never matches them.
      fields.add(token);
    }
  }
  return { commands, fields: [...fields] };
}

function lookup(line: Line, path: string): unknown {
  let current: unknown = line;
  for (const key of path.split('.')) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Line)[key];
  }
  return current;
}

function fakeExchange(status: number, user?: string) {
  const req = {
    method: 'DELETE',
    url: '/api/orders/9?x=1',
    originalUrl: '/api/orders/9?x=1',
    headers: { 'user-agent': 'queries/1.0' },
    socket: { remoteAddress: '198.51.100.4' },
    route: undefined,
    user: user === undefined ? undefined : { id: user },
  } as unknown as ExpressRequest;
  const headers = new Map<string, unknown>();
  const res = Object.assign(new EventEmitter(), {
    statusCode: status,
    statusMessage: '',
    headersSent: false,
    writableFinished: false,
    setHeader: (name: string, value: unknown) => headers.set(name.toLowerCase(), value),
    getHeader: (name: string) => headers.get(name.toLowerCase()),
    write: () => true,
    end(this: { headersSent: boolean; writableFinished: boolean; emit(event: string): void }) {
      this.headersSent = true;
      this.writableFinished = true;
      this.emit('finish');
      return this;
    },
  }) as unknown as ExpressResponse;
  return { req, res };
}

let lines: string[] = [];
let restore = () => {};

beforeEach(() => {
  lines = [];
  restore = captureLogLinesForTesting((line) => lines.push(line));
  const { config } = resolveConfig({
    env: {},
    options: { serviceName: 'queries', environment: 'test' },
    runtime: detectRuntime({}, () => undefined),
    appPackage: { name: 'queries', version: '1.0.0' },
  });
  configureLogging(config);
});
afterEach(() => restore());

/** One audit entry and one access-log line, as the middleware writes them for a 403. */
function writeSampleLines(): { audit: Line; access: Line } {
  const { req, res } = fakeExchange(403, 'mallory');
  const chain = [observe(), auditMiddleware()];
  const run = (index: number): void => {
    const middleware = chain[index];
    if (middleware === undefined) {
      // What Express does when a route matches, then the route's handler answers.
      req.route = { path: '/api/orders/:id' };
      res.end();
      return;
    }
    middleware(req, res, () => run(index + 1));
  };
  run(0);
  const parsed = lines.map((line) => JSON.parse(line) as Line);
  const audit = parsed.find((line) => line.audit === true);
  const access = parsed.find((line) => line.message === 'request completed');
  if (audit === undefined || access === undefined)
    throw new Error(`missing sample lines: ${lines.join('\n')}`);
  return { audit, access };
}

describe('the Logs Insights queries', () => {
  it('covers the questions docs/audit.md answers, with unique ids', () => {
    expect(AUDIT_QUERIES.map((query) => query.id)).toEqual([
      'recent-audit-events',
      'user-activity',
      'failed-logins',
      'deletes',
      'slowest-endpoints',
      'ips-with-many-users',
      'failures-per-15-minutes',
      'access-denied',
    ]);
  });

  it.each(AUDIT_QUERIES.map((query) => [query.id, query] as const))(
    '%s reads only fields that Lookout writes',
    (_id, query) => {
      const { audit, access } = writeSampleLines();
      const sample = query.reads === 'audit' ? audit : access;
      const parsed = parseQuery(query.query);

      for (const command of parsed.commands) expect(COMMANDS.has(command), command).toBe(true);
      expect(parsed.fields.length).toBeGreaterThan(0);
      for (const field of parsed.fields) {
        if (BUILT_IN_FIELDS.has(field)) continue;
        expect(lookup(sample, field), `${field} in ${JSON.stringify(sample)}`).not.toBeUndefined();
      }
      if (query.reads === 'audit') expect(query.query).toContain('audit = 1');
    },
  );

  it('reads the audit entry values the filters compare with', () => {
    const { audit, access } = writeSampleLines();

    expect(audit).toMatchObject({
      audit: true,
      action: 'ACCESS_DENIED',
      status: 'FAILED',
      user_id: 'mallory',
    });
    expect(audit.details).toMatchObject({ statusCode: 403, error: 'Forbidden' });
    expect(access).toMatchObject({ message: 'request completed', method: 'DELETE', status: 403 });
    expect(typeof access.duration_ms).toBe('number');
  });

  it('appears verbatim in docs/audit.md', () => {
    const doc = readFileSync(fileURLToPath(new URL('../../../docs/audit.md', import.meta.url)), 'utf8');

    for (const query of AUDIT_QUERIES) expect(doc, query.id).toContain(query.query);
  });
});
