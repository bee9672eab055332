import { context, trace } from '@opentelemetry/api';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AUDIT_ACTIONS, isRequestAudited, logAudit } from '../../../src/audit/index.js';
import { type LookoutOptions, resolveConfig } from '../../../src/config/index.js';
import { diagnostics } from '../../../src/diag/index.js';
import {
  captureLogLinesForTesting,
  configureLogging,
  runWithRequestContext,
} from '../../../src/logging/index.js';
import { detectRuntime } from '../../../src/runtime/index.js';

type Entry = Record<string, unknown>;

let lines: string[] = [];
let diagnosticsOutput: string[] = [];
const restore: Array<() => void> = [];
const provider = new NodeTracerProvider();

function configure(options: LookoutOptions = {}): void {
  const { config } = resolveConfig({
    env: {},
    options: { serviceName: 'audit-unit', environment: 'test', ...options },
    runtime: detectRuntime({}, () => undefined),
    appPackage: { name: 'audit-unit', version: '1.0.0' },
  });
  configureLogging(config);
}

function entries(): Entry[] {
  return lines.map((line) => JSON.parse(line) as Entry);
}

const req = {
  method: 'POST',
  originalUrl: '/api/login?next=%2Fhome&token=abc',
  url: '/login?next=%2Fhome&token=abc',
  headers: { 'user-agent': 'unit/1.0' },
  socket: { remoteAddress: '192.0.2.10' },
  user: { id: 42 },
};

beforeAll(() => {
  provider.register();
});
afterAll(async () => {
  await provider.shutdown();
});
beforeEach(() => {
  lines = [];
  diagnosticsOutput = [];
  restore.push(captureLogLinesForTesting((line) => lines.push(line)));
  restore.push(diagnostics.captureForTesting((line) => diagnosticsOutput.push(line)));
  configure();
});
afterEach(() => {
  for (const undo of restore.splice(0).reverse()) undo();
});

describe('logAudit', () => {
  it('writes one line with the documented keys, in order, from the request', () => {
    logAudit({
      action: AUDIT_ACTIONS.LOGIN,
      status: 'FAILED',
      userId: 'jane',
      req,
      details: { reason: 'bad password' },
    });

    expect(lines).toHaveLength(1);
    const [entry] = entries();
    expect(Object.keys(entry as Entry)).toEqual([
      'audit',
      'traceId',
      'timestamp',
      'user_id',
      'action',
      'resource',
      'status',
      'method',
      'path',
      'ip_address',
      'user_agent',
      'details',
      'service',
      'environment',
    ]);
    expect(entry).toMatchObject({
      audit: true,
      user_id: 'jane',
      action: 'LOGIN',
      resource: null,
      status: 'FAILED',
      method: 'POST',
      path: '/api/login',
      ip_address: '192.0.2.10',
      user_agent: 'unit/1.0',
      details: { reason: 'bad password' },
      service: 'audit-unit',
      environment: 'test',
    });
    expect(isRequestAudited(req)).toBe(true);
  });

  it('takes the user from req.user.id, then "anonymous", and defaults to SUCCESS and null fields', () => {
    logAudit({ action: 'READ', req });
    logAudit({ action: 'READ' });

    const [fromRequest, bare] = entries();
    expect(fromRequest).toMatchObject({ user_id: '42', status: 'SUCCESS', details: null });
    expect(bare).toMatchObject({
      user_id: 'anonymous',
      method: null,
      path: null,
      ip_address: null,
      user_agent: null,
      resource: null,
      details: null,
    });
  });

  it('writes a bigint user id (a BIGINT primary key as Prisma returns it) as its digits, not "anonymous"', () => {
    // Prepare: ids past Number.MAX_SAFE_INTEGER, as an ORM hands them over.
    const user = { id: 9007199254740993n };

    // Act
    logAudit({ action: 'DELETE', req: { ...req, user } });
    logAudit({ action: 'DELETE', userId: 9007199254740995n });

    // Assess
    expect(entries().map((entry) => entry.user_id)).toEqual(['9007199254740993', '9007199254740995']);
  });

  it.each([
    ['no headers', { method: 'POST', url: '/jobs/7' }],
    ['null headers', { method: 'POST', url: '/jobs/7', headers: null }],
    [
      'getters and no headers',
      new (class Job {
        get method() {
          return 'POST';
        }
        get url() {
          return '/jobs/7';
        }
      })(),
    ],
  ])('writes the entry for a request-like object with %s', (_name, jobRequest) => {
    // Prepare: what an app passes outside an HTTP server (a queue consumer, an API Gateway
    // event whose headers are null).
    const request = jobRequest as unknown as NonNullable<Parameters<typeof logAudit>[0]['req']>;

    // Act
    logAudit({ action: 'EXPORT', resource: 'job:7', req: request });

    // Assess
    expect(entries()).toEqual([
      expect.objectContaining({
        action: 'EXPORT',
        resource: 'job:7',
        method: 'POST',
        path: '/jobs/7',
        ip_address: null,
        user_agent: null,
      }),
    ]);
  });

  it('writes the entry when req is null', () => {
    // Act
    logAudit({ action: 'EXPORT', req: null as unknown as undefined });

    // Assess
    expect(entries()).toEqual([expect.objectContaining({ action: 'EXPORT', method: null, path: null })]);
  });

  it('reads no headers for the client address of a request without them, behind trusted proxies', () => {
    // Prepare
    configure({ http: { trustedProxies: ['loopback'] } });
    const request = { method: 'POST', url: '/jobs/8', socket: { remoteAddress: '127.0.0.1' } };

    // Act
    logAudit({ action: 'EXPORT', req: request as unknown as typeof req });

    // Assess
    expect(entries()).toEqual([
      expect.objectContaining({ path: '/jobs/8', ip_address: '127.0.0.1', user_agent: null }),
    ]);
  });

  it('uses the active trace id in X-Ray form, and a new X-Ray id when no trace is active', () => {
    const span = provider.getTracer('unit').startSpan('op');
    context.with(trace.setSpan(context.active(), span), () => logAudit({ action: 'UPDATE' }));
    span.end();
    logAudit({ action: 'UPDATE' });
    runWithRequestContext({ xray_trace_id: '1-5759e988-bd862e3fe1be46a994272793' }, () =>
      logAudit({ action: 'UPDATE' }),
    );

    const [traced, fresh, lambda] = entries();
    const traceId = span.spanContext().traceId;
    expect(traced?.traceId).toBe(`1-${traceId.slice(0, 8)}-${traceId.slice(8)}`);
    expect(fresh?.traceId).toMatch(/^1-[0-9a-f]{8}-[0-9a-f]{24}$/);
    const epoch = Number.parseInt(String(fresh?.traceId).slice(2, 10), 16);
    expect(Math.abs(epoch - Date.now() / 1000)).toBeLessThan(3600);
    expect(lambda?.traceId).toBe('1-5759e988-bd862e3fe1be46a994272793');
  });

  it('redacts secrets in every field but its own ids', () => {
    logAudit({
      action: 'UPDATE',
      userId: 'jane.doe@example.com',
      resource: 'card:4111 1111 1111 1111',
      details: { password: 'hunter2', note: 'Bearer abc.def.ghi', nested: { apiKey: 'k-123' } },
    });

    const [entry] = entries();
    expect(entry?.user_id).toBe('ja***@example.com');
    expect(entry?.resource).toBe('card:[REDACTED]');
    expect(entry?.details).toEqual({
      password: '[REDACTED]',
      note: 'Bearer [REDACTED]',
      nested: { apiKey: '[REDACTED]' },
    });
    expect(lines[0]).not.toContain('hunter2');
  });

  it('writes an unknown status as FAILED and an empty action as OTHER, with one diagnostic each', () => {
    logAudit({ action: 'DELETE', status: 'maybe' as 'SUCCESS' });
    logAudit({ action: 'DELETE', status: 'nope' as 'SUCCESS' });
    logAudit({ action: '' });
    logAudit(null as unknown as { action: string });

    expect(entries().map((entry) => [entry.action, entry.status])).toEqual([
      ['DELETE', 'FAILED'],
      ['DELETE', 'FAILED'],
      ['OTHER', 'SUCCESS'],
      ['OTHER', 'SUCCESS'],
    ]);
    expect(diagnosticsOutput.filter((line) => line.includes('LOOKOUT_AUDIT_INVALID'))).toHaveLength(2);
  });

  it('writes nothing when logging is off', () => {
    configure({ enabled: false });

    logAudit({ action: 'LOGIN' });

    expect(lines).toEqual([]);
  });

  it('censors a query token in the resource and a percent-encoded e-mail in the path', () => {
    logAudit({
      action: AUDIT_ACTIONS.READ,
      resource: 'https://files.example.com/report.pdf?X-Amz-Security-Token=FQoGZXIvYXdzE&token=t0k3n',
      req: { ...req, originalUrl: '/api/users/jane.doe%40example.com/orders' },
    });

    const line = lines[0] as string;
    expect(line).not.toContain('FQoGZXIvYXdzE');
    expect(line).not.toContain('t0k3n');
    expect(line).not.toContain('jane.doe');
    expect(entries()[0]?.path).toBe('/api/users/ja***@example.com/orders');
  });

  it('writes a shared-reference graph in the details once per object, within the line budget', () => {
    const nodes = Array.from({ length: 200 }, (_, id) => ({ id, peers: [] as unknown[] }));
    for (const [index, node] of nodes.entries())
      for (let link = 1; link <= 10; link += 1) node.peers.push(nodes[(index * 7 + link * 13) % 200]);

    logAudit({ action: AUDIT_ACTIONS.UPDATE, details: { nodes } });

    expect(lines).toHaveLength(1);
    expect(Buffer.byteLength(lines[0] as string)).toBeLessThan(100_000);
  });

  it('keeps a custom action as written', () => {
    logAudit({ action: 'EXPORT' });

    expect(entries()[0]?.action).toBe('EXPORT');
  });
});

describe('logAudit with fields that throw when read', () => {
  // A getter that throws (a lazily decoded token, a revoked proxy, an ORM field read outside
  // its session) must not cost the audit trail its entry.
  const UNREADABLE = '[Unreadable]';
  const readable = {
    action: 'DELETE',
    status: 'SUCCESS',
    userId: 'jane',
    resource: 'order:1001',
    req,
    details: { total: 42 },
  } as const;
  const written = {
    action: 'DELETE',
    status: 'SUCCESS',
    user_id: 'jane',
    resource: 'order:1001',
    method: 'POST',
    path: '/api/login',
    ip_address: '192.0.2.10',
    user_agent: 'unit/1.0',
    details: { total: 42 },
  };

  function throwingOn<T extends object>(target: T, key: string): T {
    return Object.defineProperty({ ...target }, key, {
      enumerable: true,
      get() {
        throw new Error(`${key} exploded`);
      },
    });
  }

  function unreadableDiagnostics(): string[] {
    return diagnosticsOutput.filter((line) => line.includes('LOOKOUT_AUDIT_INVALID'));
  }

  it.each([
    ['action', { action: UNREADABLE }],
    // Like a status that is neither SUCCESS nor FAILED: written as FAILED so that it is not missed.
    ['status', { status: 'FAILED' }],
    ['userId', { user_id: UNREADABLE }],
    ['resource', { resource: UNREADABLE }],
    [
      'req',
      {
        user_id: 'jane',
        method: UNREADABLE,
        path: UNREADABLE,
        ip_address: UNREADABLE,
        user_agent: UNREADABLE,
      },
    ],
    ['details', { details: UNREADABLE }],
  ])('writes the entry with %s marked unreadable, and one diagnostic', (field, marked) => {
    // Prepare
    const input = throwingOn(readable, field);

    // Act: twice, for the diagnostic is reported once.
    logAudit(input);
    logAudit(input);

    // Assess
    expect(entries()).toEqual([
      expect.objectContaining({ ...written, ...marked }),
      expect.objectContaining({ ...written, ...marked }),
    ]);
    expect(unreadableDiagnostics()).toHaveLength(1);
    expect(unreadableDiagnostics()[0]).toContain(field);
  });

  it.each([
    ['method', 'method', { method: UNREADABLE }],
    ['originalUrl', 'path', { path: UNREADABLE }],
    ['headers', 'user_agent', { user_agent: UNREADABLE }],
    ['socket', 'ip_address', { ip_address: UNREADABLE }],
  ])(
    'writes the entry with what req.%s gives (%s) marked unreadable, and one diagnostic',
    (key, entryKey, marked) => {
      // Prepare
      const request = throwingOn(req, key);

      // Act
      logAudit({ ...readable, req: request });

      // Assess
      expect(entries()).toEqual([expect.objectContaining({ ...written, ...marked })]);
      expect(unreadableDiagnostics()).toHaveLength(1);
      expect(unreadableDiagnostics()[0]).toContain(`req (${entryKey})`);
    },
  );

  it('writes the entry with the User-Agent header marked unreadable when the headers throw on it', () => {
    // Prepare: headers behind a proxy that throws on every read.
    const headers = new Proxy(
      {},
      {
        get() {
          throw new Error('headers exploded');
        },
      },
    );

    // Act
    logAudit({ ...readable, req: { ...req, headers } });

    // Assess
    expect(entries()).toEqual([expect.objectContaining({ ...written, user_agent: UNREADABLE })]);
    expect(unreadableDiagnostics()).toHaveLength(1);
  });

  it('writes the entry of a revoked proxy, every field marked unreadable', () => {
    // Prepare
    const { proxy, revoke } = Proxy.revocable({ ...readable }, {});
    revoke();

    // Act
    logAudit(proxy);

    // Assess
    expect(entries()).toEqual([
      expect.objectContaining({
        user_id: UNREADABLE,
        action: UNREADABLE,
        resource: UNREADABLE,
        status: 'FAILED',
        method: UNREADABLE,
        details: UNREADABLE,
      }),
    ]);
    expect(unreadableDiagnostics()).toHaveLength(1);
  });
});

describe('logAudit with a status that cannot be turned into text', () => {
  const { proxy: revoked, revoke } = Proxy.revocable({}, {});
  revoke();

  it.each([
    [
      'a proxy that throws on every read',
      new Proxy(
        {},
        {
          get: () => {
            throw new Error('read');
          },
        },
      ),
    ],
    ['a revoked proxy', revoked],
    ['an object with no prototype', Object.create(null)],
    [
      'an object whose toString throws',
      {
        toString: () => {
          throw new Error('toString');
        },
      },
    ],
  ])('writes the entry as FAILED with one diagnostic, for %s', (_name, status) => {
    // Act
    logAudit({ action: 'DELETE', status: status as 'SUCCESS', resource: 'order:1' });

    // Assess
    expect(entries()).toEqual([
      expect.objectContaining({ action: 'DELETE', status: 'FAILED', resource: 'order:1' }),
    ]);
    expect(diagnosticsOutput.filter((line) => line.includes('LOOKOUT_AUDIT_INVALID'))).toHaveLength(1);
    expect(diagnosticsOutput.filter((line) => line.includes('LOOKOUT_INTERNAL'))).toEqual([]);
  });
});

describe('logAudit with an id for the resource', () => {
  it.each([
    [1001, '1001'],
    [9007199254740995n, '9007199254740995'],
  ])('writes the resource %s as its digits', (resource, written) => {
    // Act
    logAudit({ action: 'DELETE', resource });

    // Assess
    expect(entries()).toEqual([expect.objectContaining({ action: 'DELETE', resource: written })]);
  });

  it('writes null for a resource that is neither text nor a finite id', () => {
    logAudit({ action: 'DELETE', resource: Number.NaN });
    logAudit({ action: 'DELETE', resource: { id: 1 } as unknown as string });

    expect(entries().map((entry) => entry.resource)).toEqual([null, null]);
  });
});
