// Upstream contrib instrumentations loaded by name from the app's own packages, against real
// PostgreSQL, Redis, MariaDB, RabbitMQ and memcached servers on loopback (Debian's packages; the
// test prerequisites install them; docs/decisions/0060-contrib-instrumentations-against-real-servers.md).
// The pg, knex, node-redis, ioredis, mysql2, mysql, amqplib and memcached clients talk to the
// real servers; graphql, dataloader, gRPC (client and server), the web frameworks (koa,
// connect, hapi, restify, router, NestJS), socket.io, bunyan, generic-pool, lru-memoizer, dns,
// fs and net need no server and run in the app's process. Five stand-ins, each said plainly in
// its describe block: MongoDB, Kafka, SQL Server (tedious) and Cassandra, which Debian does not
// package, and the OpenAI API, which is not reachable from here.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FlatSpan } from '../../src/cli/otlp/index.js';
import {
  CASSANDRA_DATA_CENTER,
  type CassandraWireServer,
  startCassandraWireServer,
} from '../helpers/cassandra-wire-server.js';
import { request } from '../helpers/http.js';
import { type KafkaWireServer, startKafkaWireServer } from '../helpers/kafka-wire-server.js';
import { type LocalMariaDb, startLocalMariaDb } from '../helpers/mariadb-server.js';
import { type LocalMemcached, startLocalMemcached } from '../helpers/memcached-server.js';
import { type MongoDbWireServer, startMongoDbWireServer } from '../helpers/mongodb-wire-server.js';
import { type OpenAiStandIn, STAND_IN_COMPLETION, startOpenAiStandIn } from '../helpers/openai-stand-in.js';
import { type OtlpReceiver, startOtlpReceiver } from '../helpers/otlp-receiver.js';
import { type LocalPostgres, startLocalPostgres } from '../helpers/postgres-server.js';
import { type LocalRabbitMq, startLocalRabbitMq } from '../helpers/rabbitmq-server.js';
import { type LocalRedis, startLocalRedis } from '../helpers/redis-server.js';
import { REPO_ROOT, type SpawnedApp, spawnApp } from '../helpers/spawn-app.js';
import { type SqlServerWireServer, startSqlServerWireServer } from '../helpers/sqlserver-wire-server.js';

const SCOPES = {
  pg: '@opentelemetry/instrumentation-pg',
  redis: '@opentelemetry/instrumentation-redis',
  ioredis: '@opentelemetry/instrumentation-ioredis',
  mysql2: '@opentelemetry/instrumentation-mysql2',
  knex: '@opentelemetry/instrumentation-knex',
  graphql: '@opentelemetry/instrumentation-graphql',
  dataloader: '@opentelemetry/instrumentation-dataloader',
  amqplib: '@opentelemetry/instrumentation-amqplib',
} as const;

const VARIANTS = [
  {
    name: 'CommonJS, --require lookout/register, contrib names listed',
    args: ['--require', 'lookout/register', 'test/fixtures/contrib-app/app.cjs'],
    instrumentations: 'http,undici,pg,redis,ioredis,mysql2,knex,graphql,dataloader,amqplib',
  },
  {
    name: 'ES module, --import lookout/register, auto',
    args: ['--import', 'lookout/register', 'test/fixtures/contrib-app/app.mjs'],
    instrumentations: 'auto',
  },
];

function diagnosticsWithCode(lines: readonly string[], code: string): string[] {
  return lines.filter((line) => line.includes(code));
}

/** Whether `span` is `ancestor` or a child, grandchild… of it, following parent ids through `spans`. */
function descendsFrom(span: FlatSpan, ancestor: FlatSpan, spans: readonly FlatSpan[]): boolean {
  let current: FlatSpan | undefined = span;
  while (current !== undefined && current.traceId === ancestor.traceId) {
    if (current.spanId === ancestor.spanId) return true;
    const parentId: string | undefined = current.parentSpanId;
    current = spans.find((candidate) => candidate.spanId === parentId);
  }
  return false;
}

interface Servers {
  readonly postgres: LocalPostgres;
  readonly redis: LocalRedis;
  readonly mariadb: LocalMariaDb;
  readonly rabbitmq: LocalRabbitMq;
  readonly memcached: LocalMemcached;
}

let servers: Promise<Servers> | undefined;

/** The servers, started once for the file (RabbitMQ's Erlang VM alone takes seconds to start). */
function startServers(): Promise<Servers> {
  servers ??= Promise.all([
    startLocalPostgres(),
    startLocalRedis(),
    startLocalMariaDb(),
    startLocalRabbitMq(),
    startLocalMemcached(),
  ]).then(([postgres, redis, mariadb, rabbitmq, memcached]) => ({
    postgres,
    redis,
    mariadb,
    rabbitmq,
    memcached,
  }));
  return servers;
}

afterAll(async () => {
  const started = await servers?.catch(() => undefined);
  if (started === undefined) return;
  await Promise.all(Object.values(started).map((server: { close(): Promise<void> }) => server.close()));
}, 60_000);

/**
 * Starts `test/fixtures/contrib-app/<fixture>.cjs` with `--require lookout/register` and the
 * instrumentations named, exporting its spans to `receiver` 200 ms after they end (not after
 * the default 5 s: each test waits for the spans it needs, however they are batched).
 */
function spawnContribFixture(
  fixture: string,
  receiver: OtlpReceiver,
  instrumentations: string,
  options: { readonly env?: Readonly<Record<string, string>>; readonly readyPattern?: RegExp } = {},
): Promise<SpawnedApp> {
  return spawnApp({
    args: ['--require', 'lookout/register', `test/fixtures/contrib-app/${fixture}.cjs`],
    env: {
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      OTEL_SERVICE_NAME: `contrib-${fixture}-app`,
      OTEL_BSP_SCHEDULE_DELAY: '200',
      LOOKOUT_INSTRUMENTATIONS: instrumentations,
      ...options.env,
    },
    ...(options.readyPattern === undefined ? {} : { readyPattern: options.readyPattern }),
  });
}

/** The server span of the one request to `route` (each app is sent no other). */
async function serverSpanAt(receiver: OtlpReceiver, route: string): Promise<FlatSpan> {
  const [server] = await receiver.waitForSpans((span) => span.kind === 'SERVER' && span.name === route);
  if (server === undefined) throw new Error(`no server span for ${route}`);
  return server;
}

/**
 * The first of Lookout's server spans that `matches`: for servers whose spans are not named
 * after a route (a plain Node server, koa, connect, hapi).
 */
async function serverSpanWhere(
  receiver: OtlpReceiver,
  matches: (span: FlatSpan) => boolean,
): Promise<FlatSpan> {
  const [server] = await receiver.waitForSpans(
    (span) => span.kind === 'SERVER' && span.scope.name === 'lookout' && matches(span),
  );
  if (server === undefined) throw new Error('no matching server span');
  return server;
}

describe.each(VARIANTS)(
  'contrib instrumentations in an app started with $name',
  ({ args, instrumentations }) => {
    let receiver: OtlpReceiver;
    let postgres: LocalPostgres;
    let mariadb: LocalMariaDb;
    let rabbitmq: LocalRabbitMq;
    let app: SpawnedApp;

    beforeAll(async () => {
      let redis: LocalRedis;
      [receiver, { postgres, redis, mariadb, rabbitmq }] = await Promise.all([
        startOtlpReceiver(),
        startServers(),
      ]);
      app = await spawnApp({
        args,
        env: {
          OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
          OTEL_SERVICE_NAME: 'contrib-app',
          // Export each test's spans soon rather than after the default 5 s; the tests wait for
          // the spans they need, however they are batched.
          OTEL_BSP_SCHEDULE_DELAY: '200',
          LOOKOUT_INSTRUMENTATIONS: instrumentations,
          DATABASE_URL: postgres.url,
          REDIS_URL: redis.url,
          MYSQL_URL: mariadb.url,
          AMQP_URL: rabbitmq.url,
        },
      });
    }, 150_000);
    afterAll(async () => {
      await app?.stop();
      await receiver?.close();
    });

    it('nests the pg, node-redis and ioredis spans of a request under its server span', async () => {
      // Act
      const response = await request(`${app.url}/orders/42`);
      const server = await serverSpanAt(receiver, 'GET /orders/:id');
      const children = await receiver.waitForSpans(
        (span) =>
          span.traceId === server.traceId && span.parentSpanId === server.spanId && span.kind === 'CLIENT',
        { count: 3 },
      );

      // Assess
      expect(response.status).toBe(200);
      expect(JSON.parse(response.body)).toEqual({ id: 42, cached: 'cached' });
      const scopes = new Set(children.map((span) => span.scope.name));
      expect(scopes).toEqual(new Set([SCOPES.pg, SCOPES.redis, SCOPES.ioredis]));
      const query = children.find(
        (span) => span.scope.name === SCOPES.pg && span.name.startsWith('pg.query'),
      );
      expect(query).toBeDefined();
      const ioredisGet = children.find((span) => span.scope.name === SCOPES.ioredis);
      expect(ioredisGet?.name).toBe('get');
      expect(diagnosticsWithCode(app.stderrLines(), 'LOOKOUT_LOADED_BEFORE_INIT')).toEqual([]);
      expect(diagnosticsWithCode(app.stderrLines(), 'LOOKOUT_INSTRUMENTATION')).toEqual([]);
    });

    it('nests the mysql2 span of a MariaDB query under the server span, with its database attributes', async () => {
      // Act
      const response = await request(`${app.url}/customers/7`);
      const server = await serverSpanAt(receiver, 'GET /customers/:id');
      const [query] = await receiver.waitForSpans(
        (span) => span.traceId === server.traceId && span.scope.name === SCOPES.mysql2,
      );

      // Assess
      expect(response.status).toBe(200);
      expect(JSON.parse(response.body)).toEqual({ id: 7 });
      expect(query).toMatchObject({
        name: 'SELECT',
        kind: 'CLIENT',
        parentSpanId: server.spanId,
        attributes: {
          'db.system.name': 'mysql',
          'db.namespace': 'lookout',
          'db.query.text': 'SELECT CAST(? AS SIGNED) AS id',
          'server.address': '127.0.0.1',
          'server.port': mariadb.port,
        },
      });
    });

    it('nests the knex span of a PostgreSQL query under the server span, and the pg query under it', async () => {
      // Act
      const response = await request(`${app.url}/reports/5`);
      const server = await serverSpanAt(receiver, 'GET /reports/:id');
      const [knexQuery] = await receiver.waitForSpans(
        (span) => span.traceId === server.traceId && span.scope.name === SCOPES.knex,
      );
      // knex's own `select version()` on a new connection is a pg query too; this is the app's.
      const [pgQuery] = await receiver.waitForSpans(
        (span) =>
          span.traceId === server.traceId &&
          span.scope.name === SCOPES.pg &&
          String(span.attributes['db.query.text']).includes('::int AS id'),
      );

      // Assess
      expect(response.status).toBe(200);
      expect(JSON.parse(response.body)).toEqual({ id: 5 });
      expect(knexQuery).toMatchObject({
        name: 'select postgres',
        kind: 'CLIENT',
        parentSpanId: server.spanId,
        attributes: {
          'db.system.name': 'postgresql',
          'db.operation.name': 'select',
          'db.namespace': 'postgres',
          'db.query.text': 'select ?::int AS id',
          'server.address': '127.0.0.1',
        },
      });
      // knex 3 reports the port as the connection string's text, not a number.
      expect(String(knexQuery?.attributes['server.port'])).toBe(String(postgres.port));
      expect(pgQuery?.parentSpanId).toBe(knexQuery?.spanId);
    });

    it('nests the graphql and dataloader spans of a query under the server span', async () => {
      // Act
      const response = await request(`${app.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: 'query OrderTotals { orders(ids: [1, 2]) { id total } }' }),
      });
      const server = await serverSpanAt(receiver, 'POST /graphql');
      // parse, validate, execute, and a resolve span for `orders` and for each order's two fields
      await receiver.waitForSpans(
        (span) => span.traceId === server.traceId && span.scope.name === SCOPES.graphql,
        { count: 8 },
      );
      // loadMany, a load for each id, and the one batch they make
      await receiver.waitForSpans(
        (span) => span.traceId === server.traceId && span.scope.name === SCOPES.dataloader,
        { count: 4 },
      );
      const spans = receiver.spans().filter((span) => span.traceId === server.traceId);
      const named = (name: string) => spans.filter((span) => span.name === name);

      // Assess
      expect(response.status).toBe(200);
      expect(JSON.parse(response.body)).toEqual({
        data: {
          orders: [
            { id: 1, total: 10 },
            { id: 2, total: 20 },
          ],
        },
      });
      const [execute] = named('query OrderTotals');
      expect(execute).toMatchObject({
        parentSpanId: server.spanId,
        attributes: { 'graphql.operation.type': 'query', 'graphql.operation.name': 'OrderTotals' },
      });
      expect(named('graphql.parse')[0]?.parentSpanId).toBe(server.spanId);
      expect(named('graphql.validate')[0]?.parentSpanId).toBe(server.spanId);
      const [resolveOrders] = named('graphql.resolve orders');
      expect(resolveOrders).toMatchObject({
        parentSpanId: execute?.spanId,
        attributes: { 'graphql.field.name': 'orders', 'graphql.parent.name': 'Query' },
      });
      const [loadMany] = named('dataloader.loadMany orders');
      expect(loadMany?.parentSpanId).toBe(resolveOrders?.spanId);
      const loads = named('dataloader.load orders');
      expect(loads.map((span) => span.parentSpanId)).toEqual([loadMany?.spanId, loadMany?.spanId]);
      expect(named('dataloader.batch orders')).toHaveLength(1);
      for (const span of spans) expect(descendsFrom(span, server, spans)).toBe(true);
    });

    it('nests the amqplib publish span under the server span, and the consume span under it', async () => {
      // Act
      const response = await request(`${app.url}/orders/9/shipped`, { method: 'POST' });
      const server = await serverSpanAt(receiver, 'POST /orders/:id/shipped');
      await app.waitForLine(/consumed \{"shipped":9\}/);
      const [publish] = await receiver.waitForSpans(
        (span) => span.traceId === server.traceId && span.kind === 'PRODUCER',
      );
      const [consume] = await receiver.waitForSpans(
        (span) => span.traceId === server.traceId && span.kind === 'CONSUMER',
      );

      // Assess
      expect(response.status).toBe(202);
      expect(publish).toMatchObject({
        name: 'publish <default>',
        parentSpanId: server.spanId,
        attributes: {
          'messaging.system': 'rabbitmq',
          'messaging.protocol': 'AMQP',
          'server.address': '127.0.0.1',
          'server.port': rabbitmq.port,
        },
      });
      const queue = publish?.attributes['messaging.rabbitmq.routing_key'];
      expect(queue).toMatch(/^amq\.gen-/);
      expect(consume).toMatchObject({
        name: `${String(queue)} process`,
        parentSpanId: publish?.spanId,
        attributes: { 'messaging.system': 'rabbitmq', 'messaging.operation': 'process' },
      });
      // The broker URL is exported, its password is not.
      expect(publish?.attributes['messaging.url']).toMatch(/^amqp:\/\/guest:\S+@127\.0\.0\.1:\d+$/);
      expect(publish?.attributes['messaging.url']).not.toContain('guest:guest');
    });
  },
);

describe('the grpc instrumentation, a real @grpc/grpc-js client and server on loopback', () => {
  // No server to install: the fixture runs both ends of a unary call in its own process, over
  // HTTP/2 on loopback, so the client span and the server span are both the instrumentation's.
  const GRPC_SCOPE = '@opentelemetry/instrumentation-grpc';
  let receiver: OtlpReceiver;
  let app: SpawnedApp;

  beforeAll(async () => {
    receiver = await startOtlpReceiver();
    app = await spawnContribFixture('grpc', receiver, 'http,express,grpc');
  }, 60_000);
  afterAll(async () => {
    await app?.stop();
    await receiver?.close();
  });

  /** The request's server span, the gRPC client span under it and the gRPC server span under that. */
  async function callSpans(sku: string): Promise<{ request: FlatSpan; client: FlatSpan; server: FlatSpan }> {
    const [requestSpan] = await receiver.waitForSpans(
      (span) =>
        span.kind === 'SERVER' &&
        span.scope.name !== GRPC_SCOPE &&
        span.attributes['url.path'] === `/stock/${sku}`,
    );
    if (requestSpan === undefined) throw new Error(`no request span for /stock/${sku}`);
    const [client] = await receiver.waitForSpans(
      (span) =>
        span.traceId === requestSpan.traceId && span.scope.name === GRPC_SCOPE && span.kind === 'CLIENT',
    );
    const [server] = await receiver.waitForSpans(
      (span) =>
        span.traceId === requestSpan.traceId && span.scope.name === GRPC_SCOPE && span.kind === 'SERVER',
    );
    if (client === undefined || server === undefined) throw new Error(`no gRPC spans for /stock/${sku}`);
    return { request: requestSpan, client, server };
  }

  it('nests the gRPC client span under the request span and the gRPC server span under it', async () => {
    // Act
    const response = await request(`${app.url}/stock/A-17`);
    const { request: requestSpan, client, server } = await callSpans('A-17');

    // Assess
    expect(response.status).toBe(200);
    expect(JSON.parse(response.body)).toEqual({ sku: 'A-17', inStock: 3 });
    const rpc = {
      'rpc.system': 'grpc',
      'rpc.service': 'lookout.test.Inventory',
      'rpc.method': 'Check',
      'rpc.grpc.status_code': 0,
    };
    expect(client).toMatchObject({
      name: 'grpc.lookout.test.Inventory/Check',
      parentSpanId: requestSpan.spanId,
      attributes: rpc,
    });
    expect(server).toMatchObject({
      name: 'grpc.lookout.test.Inventory/Check',
      parentSpanId: client.spanId,
      attributes: rpc,
    });
    expect(diagnosticsWithCode(app.stderrLines(), 'LOOKOUT_INSTRUMENTATION')).toEqual([]);
    expect(diagnosticsWithCode(app.stderrLines(), 'LOOKOUT_LOADED_BEFORE_INIT')).toEqual([]);
  });

  it('records a call that fails with NOT_FOUND as an error on both gRPC spans', async () => {
    // Act
    const response = await request(`${app.url}/stock/unknown`);
    const { client, server } = await callSpans('unknown');

    // Assess
    expect(response.status).toBe(404);
    expect(JSON.parse(response.body)).toEqual({ error: 'no item unknown' });
    for (const span of [client, server]) {
      expect(span.attributes['rpc.grpc.status_code']).toBe(5);
      expect(span.status.code).toBe('ERROR');
    }
  });
});

describe('the mongodb and mongoose instrumentations, the real driver against a stand-in server', () => {
  // A stand-in, said plainly: Debian 12 packages no MongoDB server, so the real driver talks the
  // real wire protocol (OP_QUERY handshake, OP_MSG, BSON) to test/helpers/mongodb-wire-server.ts,
  // which answers the handshake, ping, endSessions, insert and find and nothing else.
  const MONGODB_SCOPE = '@opentelemetry/instrumentation-mongodb';
  const MONGOOSE_SCOPE = '@opentelemetry/instrumentation-mongoose';
  let receiver: OtlpReceiver;
  let mongo: MongoDbWireServer;
  let app: SpawnedApp;

  beforeAll(async () => {
    [receiver, mongo] = await Promise.all([startOtlpReceiver(), startMongoDbWireServer()]);
    app = await spawnContribFixture('mongodb', receiver, 'http,express,mongodb,mongoose', {
      env: { MONGODB_URL: mongo.url },
    });
  }, 60_000);
  afterAll(async () => {
    await app?.stop();
    await receiver?.close();
    await mongo?.close();
  });

  it('nests the insert and find spans of a request under its server span', async () => {
    // Act
    const response = await request(`${app.url}/notes/12`, { method: 'POST' });
    const server = await serverSpanAt(receiver, 'POST /notes/:id');
    const spans = await receiver.waitForSpans(
      (span) => span.traceId === server.traceId && span.scope.name === MONGODB_SCOPE,
      { count: 2 },
    );

    // Assess
    expect(response.status).toBe(200);
    expect(JSON.parse(response.body)).toEqual([{ noteId: 12, text: 'shipped' }]);
    expect(mongo.commands()).toEqual(expect.arrayContaining(['insert', 'find']));
    expect(mongo.commands().filter((name) => name.startsWith('unreadable'))).toEqual([]);
    const byName = new Map(spans.map((span) => [span.name, span]));
    for (const operation of ['insert', 'find']) {
      expect(byName.get(`${operation} notes`)).toMatchObject({
        kind: 'CLIENT',
        parentSpanId: server.spanId,
        attributes: {
          'db.system.name': 'mongodb',
          'db.operation.name': operation,
          'db.namespace': 'lookout',
          'db.collection.name': 'notes',
          'server.address': '127.0.0.1',
          'server.port': mongo.port,
        },
      });
    }
    // The statement is exported with its values masked.
    expect(byName.get('insert notes')?.attributes['db.query.text']).toBe(
      '{"noteId":"?","text":"?","_id":"?"}',
    );
  });

  it('nests the mongoose save and find spans, and the driver spans they make, under the server span', async () => {
    // Act
    const response = await request(`${app.url}/tasks/3`, { method: 'POST' });
    const server = await serverSpanAt(receiver, 'POST /tasks/:id');
    const spans = await receiver.waitForSpans(
      (span) =>
        span.traceId === server.traceId &&
        (span.scope.name === MONGOOSE_SCOPE || span.scope.name === MONGODB_SCOPE),
      { count: 4 },
    );

    // Assess
    expect(response.status).toBe(200);
    expect(JSON.parse(response.body)).toEqual([{ taskId: 3, title: 'ship' }]);
    const named = (scope: string, name: string) =>
      spans.find((span) => span.scope.name === scope && span.name === name);
    for (const operation of ['save', 'find']) {
      expect(named(MONGOOSE_SCOPE, `${operation} tasks`)).toMatchObject({
        kind: 'CLIENT',
        parentSpanId: server.spanId,
        attributes: {
          'db.system.name': 'mongodb',
          'db.operation.name': operation,
          'db.namespace': 'lookout',
          'db.collection.name': 'tasks',
        },
      });
    }
    // The upstream mongoose instrumentation does not make its span the driver's parent: the
    // driver's commands are siblings of the model calls, under the same request.
    expect(named(MONGODB_SCOPE, 'insert tasks')?.parentSpanId).toBe(server.spanId);
    expect(named(MONGODB_SCOPE, 'find tasks')?.parentSpanId).toBe(server.spanId);
  });
});

describe('the web framework instrumentations, each framework serving requests in the app process', () => {
  // No server to install: koa, connect, hapi, restify and router each serve GET /orders/:id
  // from an HTTP server of their own in one app process. Lookout makes the SERVER span of
  // each request from Node's diagnostics channels; the framework's spans must be its children.
  let receiver: OtlpReceiver;
  let app: SpawnedApp;

  beforeAll(async () => {
    receiver = await startOtlpReceiver();
    app = await spawnContribFixture('frameworks', receiver, 'http,koa,connect,hapi,restify,router', {
      readyPattern: /frameworks listening/,
    });
  }, 60_000);
  afterAll(async () => {
    await app?.stop();
    await receiver?.close();
  });

  // Each framework's spans for GET /orders/7, by name: the span it nests under (`server`, or
  // another of its spans) and attributes it must carry.
  it.each([
    {
      framework: 'koa',
      // koa's instrumentation tells the route only through @koa/router's matched route; plain
      // middleware leaves the server span named after the method.
      serverName: 'GET',
      spans: [
        {
          name: 'middleware - stamp',
          parent: 'server',
          attributes: { 'koa.type': 'middleware', 'koa.name': 'stamp' },
        },
        // koa runs the next middleware inside the one that awaits next()
        {
          name: 'middleware - findOrder',
          parent: 'middleware - stamp',
          attributes: { 'koa.type': 'middleware', 'koa.name': 'findOrder' },
        },
      ],
    },
    {
      framework: 'connect',
      // connect's instrumentation tells the mount path it matched through the RPC metadata.
      serverName: 'GET /orders',
      spans: [
        {
          name: 'middleware - stamp',
          parent: 'server',
          attributes: { 'connect.type': 'middleware', 'connect.name': 'stamp', 'http.route': '/' },
        },
        {
          name: 'request handler - /orders',
          parent: 'server',
          attributes: { 'connect.type': 'request_handler', 'http.route': '/orders' },
        },
      ],
    },
    {
      framework: 'hapi',
      // hapi's instrumentation tells the route through the RPC metadata.
      serverName: 'GET /orders/{id}',
      spans: [
        {
          name: 'route - /orders/{id}',
          parent: 'server',
          attributes: { 'hapi.type': 'router', 'http.route': '/orders/{id}', 'http.request.method': 'GET' },
        },
        {
          name: 'ext - onPreResponse - stamp',
          parent: 'server',
          attributes: { 'hapi.type': 'server.ext', 'server.ext.type': 'onPreResponse' },
        },
      ],
    },
    {
      framework: 'restify',
      serverName: 'GET /orders/:id',
      spans: [
        {
          name: 'middleware - stamp',
          parent: 'server',
          attributes: { 'restify.type': 'middleware', 'restify.name': 'stamp', 'restify.version': '11.1.0' },
        },
        // restify calls the handler from the middleware's next()
        {
          name: 'request handler - /orders/:id',
          parent: 'middleware - stamp',
          attributes: {
            'restify.type': 'request_handler',
            'restify.name': 'findOrder',
            'http.route': '/orders/:id',
          },
        },
      ],
    },
    {
      framework: 'router',
      serverName: 'GET /orders/:id',
      spans: [
        {
          name: 'middleware - stamp',
          parent: 'server',
          attributes: { 'router.type': 'middleware', 'router.name': 'stamp', 'router.version': '2.3.0' },
        },
        {
          name: 'request handler - /orders/:id',
          parent: 'server',
          attributes: {
            'router.type': 'request_handler',
            'router.name': 'findOrder',
            'http.route': '/orders/:id',
          },
        },
      ],
    },
  ])(
    'nests the $framework spans of a request under its server span, named $serverName',
    async ({ framework, serverName, spans: expected }) => {
      // Prepare
      const [, url] = await app.waitForLine(new RegExp(`^${framework} on (http://\\S+)`));
      const port = Number(new URL(String(url)).port);
      const scope = `@opentelemetry/instrumentation-${framework}`;

      // Act
      const response = await request(`${url}/orders/7`);
      const server = await serverSpanWhere(
        receiver,
        (span) => span.attributes['server.port'] === port && span.attributes['url.path'] === '/orders/7',
      );
      const spans = await receiver.waitForSpans(
        (span) => span.traceId === server.traceId && span.scope.name === scope,
        { count: expected.length },
      );

      // Assess
      expect(response.status).toBe(200);
      expect(JSON.parse(response.body)).toEqual({ id: 7 });
      expect(response.headers['x-served-by']).toBe(framework);
      expect(server.name).toBe(serverName);
      expect(server.attributes['http.route']).toBe(serverName.split(' ')[1]);
      const byName = new Map(spans.map((span) => [span.name, span]));
      expect([...byName.keys()].sort()).toEqual(expected.map((span) => span.name).sort());
      for (const { name, parent, attributes } of expected) {
        const parentSpanId = parent === 'server' ? server.spanId : byName.get(parent)?.spanId;
        expect(byName.get(name)).toMatchObject({ parentSpanId, attributes });
      }
      expect(diagnosticsWithCode(app.stderrLines(), 'LOOKOUT_INSTRUMENTATION')).toEqual([]);
      expect(diagnosticsWithCode(app.stderrLines(), 'LOOKOUT_LOADED_BEFORE_INIT')).toEqual([]);
    },
  );
});

describe('the instrumentations of libraries used inside a request, each run for real in the app process', () => {
  // mysql (the old package) talks to the real MariaDB and memcached to a real memcached
  // (Debian's packages); openai talks to a stand-in of the API (test/helpers/openai-stand-in.ts:
  // the real API is not reachable from here); socket.io, bunyan, generic-pool, lru-memoizer,
  // dns (localhost only), fs and net (an echo server of the app's own) need no server.
  const scope = (name: string) => `@opentelemetry/instrumentation-${name}`;
  let receiver: OtlpReceiver;
  let mariadb: LocalMariaDb;
  let memcached: LocalMemcached;
  let openai: OpenAiStandIn;
  let app: SpawnedApp;

  beforeAll(async () => {
    let started: Servers;
    [receiver, started, openai] = await Promise.all([
      startOtlpReceiver(),
      startServers(),
      startOpenAiStandIn(),
    ]);
    ({ mariadb, memcached } = started);
    app = await spawnContribFixture(
      'libraries',
      receiver,
      'http,undici,mysql,memcached,openai,generic-pool,dns,fs,net,bunyan,lru-memoizer,socket.io',
      {
        env: {
          MYSQL_URL: mariadb.url,
          MEMCACHED_LOCATION: memcached.location,
          OPENAI_BASE_URL: openai.baseUrl,
        },
      },
    );
  }, 150_000);
  afterAll(async () => {
    await app?.stop();
    await receiver?.close();
    await openai?.close();
  });

  /** The server span of the one request to `path` (each path is requested once). */
  function serverSpanOf(path: string): Promise<FlatSpan> {
    return serverSpanWhere(receiver, (span) => span.attributes['url.path'] === path);
  }

  it('nests the mysql spans of a MariaDB query under the server span, with their database attributes', async () => {
    // Act
    const response = await request(`${app.url}/customers/7`);
    const server = await serverSpanOf('/customers/7');
    const spans = await receiver.waitForSpans(
      (span) => span.traceId === server.traceId && span.scope.name === scope('mysql'),
      { count: 2 },
    );

    // Assess
    expect(response.status).toBe(200);
    expect(JSON.parse(response.body)).toEqual({ id: 7 });
    // pool.query makes a span, and the connection's query it runs another one under it.
    const outer = spans.find((span) => span.parentSpanId === server.spanId);
    const inner = spans.find((span) => span.parentSpanId === outer?.spanId);
    const query = {
      name: 'SELECT',
      kind: 'CLIENT',
      attributes: {
        'db.system.name': 'mysql',
        'db.namespace': 'lookout',
        'db.query.text': 'SELECT CAST(? AS SIGNED) AS id',
        'server.address': '127.0.0.1',
        'server.port': mariadb.port,
      },
    };
    expect(outer).toMatchObject(query);
    expect(inner).toMatchObject(query);
    expect(diagnosticsWithCode(app.stderrLines(), 'LOOKOUT_INSTRUMENTATION')).toEqual([]);
    expect(diagnosticsWithCode(app.stderrLines(), 'LOOKOUT_LOADED_BEFORE_INIT')).toEqual([]);
  });

  it('nests the memcached set and get spans under the server span', async () => {
    // Act
    const response = await request(`${app.url}/sessions/abc`);
    const server = await serverSpanOf('/sessions/abc');
    const spans = await receiver.waitForSpans(
      (span) => span.traceId === server.traceId && span.scope.name === scope('memcached'),
      { count: 2 },
    );

    // Assess
    expect(response.status).toBe(200);
    expect(JSON.parse(response.body)).toEqual({ id: 'abc', state: 'active' });
    for (const operation of ['set', 'get']) {
      expect(spans.find((span) => span.name === `memcached ${operation}`)).toMatchObject({
        kind: 'CLIENT',
        parentSpanId: server.spanId,
        attributes: {
          'db.system.name': 'memcached',
          'db.operation.name': operation,
          'db.memcached.key': 'session:abc',
          'server.address': '127.0.0.1',
          'server.port': memcached.port,
        },
      });
    }
  });

  it('nests the openai chat span under the server span, and the HTTP call to the API under it', async () => {
    // Act
    const response = await request(`${app.url}/chat`, { method: 'POST' });
    const server = await serverSpanOf('/chat');
    const [chat] = await receiver.waitForSpans(
      (span) => span.traceId === server.traceId && span.scope.name === scope('openai'),
    );
    const [call] = await receiver.waitForSpans(
      (span) =>
        span.traceId === server.traceId && span.kind === 'CLIENT' && span.parentSpanId === chat?.spanId,
    );

    // Assess
    expect(response.status).toBe(200);
    expect(JSON.parse(response.body)).toEqual({ answer: STAND_IN_COMPLETION.content });
    expect(openai.requests()).toEqual([
      {
        path: '/v1/chat/completions',
        authorization: 'Bearer sk-lookout-test',
        body: expect.objectContaining({
          model: 'gpt-4o-mini',
          messages: [{ role: 'user', content: 'Where is order 42?' }],
        }),
      },
    ]);
    expect(chat).toMatchObject({
      name: 'chat gpt-4o-mini',
      kind: 'CLIENT',
      parentSpanId: server.spanId,
      attributes: {
        'gen_ai.system': 'openai',
        'gen_ai.operation.name': 'chat',
        'gen_ai.request.model': 'gpt-4o-mini',
        'gen_ai.response.id': STAND_IN_COMPLETION.id,
        'gen_ai.usage.input_tokens': STAND_IN_COMPLETION.promptTokens,
        'gen_ai.usage.output_tokens': STAND_IN_COMPLETION.completionTokens,
        'server.address': '127.0.0.1',
        'server.port': openai.port,
      },
    });
    // The client's fetch() is Lookout's own undici span.
    expect(call?.attributes['url.full']).toBe(`${openai.baseUrl}/chat/completions`);
  });

  it.each([
    {
      library: 'generic-pool',
      path: '/pool',
      name: 'generic-pool.acquire',
      kind: 'INTERNAL',
      body: { pooled: true },
    },
    {
      library: 'dns',
      path: '/hosts/localhost',
      name: 'dns.lookup',
      kind: 'CLIENT',
      body: { address: '127.0.0.1' },
      attributes: { 'peer.ipv4': '127.0.0.1' },
    },
    {
      library: 'fs',
      path: '/files/package',
      name: 'fs readFile',
      kind: 'INTERNAL',
      body: { name: 'contrib-app' },
    },
  ])(
    'nests the $library span under the server span',
    async ({ library, path, name, kind, body, attributes = {} }) => {
      // Act
      const response = await request(`${app.url}${path}`);
      const server = await serverSpanOf(path);
      const [span] = await receiver.waitForSpans(
        (candidate) => candidate.traceId === server.traceId && candidate.scope.name === scope(library),
      );

      // Assess
      expect(response.status).toBe(200);
      expect(JSON.parse(response.body)).toEqual(body);
      expect(span).toMatchObject({ name, kind, parentSpanId: server.spanId, attributes });
    },
  );

  it('nests the net span of a TCP connection on loopback under the server span', async () => {
    // Prepare
    const [, echoPort] = await app.waitForLine(/^echo server on 127\.0\.0\.1:(\d+)/);

    // Act
    const response = await request(`${app.url}/echo/hello`);
    const server = await serverSpanOf('/echo/hello');
    const [connect] = await receiver.waitForSpans(
      (span) => span.traceId === server.traceId && span.scope.name === scope('net'),
    );

    // Assess
    expect(response.status).toBe(200);
    expect(JSON.parse(response.body)).toEqual({ echoed: 'hello' });
    expect(connect).toMatchObject({
      name: 'tcp.connect',
      parentSpanId: server.spanId,
      attributes: {
        'network.transport': 'tcp',
        'server.address': '127.0.0.1',
        'server.port': Number(echoPort),
        'network.peer.address': '127.0.0.1',
      },
    });
  });

  it('gives a bunyan log line written in a request the trace and span ids of its server span', async () => {
    // Act
    const response = await request(`${app.url}/log/5`);
    const server = await serverSpanOf('/log/5');
    const [line] = await app.waitForLine(/^\{.*"msg":"order logged".*\}$/);

    // Assess
    expect(response.status).toBe(200);
    expect(JSON.parse(line)).toMatchObject({
      name: 'contrib-libraries',
      orderId: 5,
      trace_id: server.traceId,
      span_id: server.spanId,
      trace_flags: '01',
    });
  });

  it('runs the callback of each caller of an lru-memoizer load in its own request, not the one that ended the load', async () => {
    // Prepare: two requests for one key, with trace ids of our choosing; the second waits on
    // the first one's load, which a third request ends.
    const first = '0af7651916cd43dd8448eb211c80319c';
    const second = '4bf92f3577b34da6a3ce929d0e0e4736';
    const traceparent = (traceId: string) => ({ traceparent: `00-${traceId}-b7ad6b7169203331-01` });

    // Act
    const firstResponse = request(`${app.url}/quotes/k`, { headers: traceparent(first) });
    await app.waitForLine(new RegExp(`waiting for quote k in trace ${first}`));
    await app.waitForLine(/loading quote k/);
    const secondResponse = request(`${app.url}/quotes/k`, { headers: traceparent(second) });
    await app.waitForLine(new RegExp(`waiting for quote k in trace ${second}`));
    const release = await request(`${app.url}/quotes/release`, { method: 'POST' });
    const responses = await Promise.all([firstResponse, secondResponse]);

    // Assess
    expect(release.status).toBe(200);
    expect(app.stdoutLines().filter((line) => line.startsWith('loading quote k'))).toHaveLength(1);
    expect(responses.map((response) => JSON.parse(response.body))).toEqual([
      { quote: 'quote for k', traceId: first },
      { quote: 'quote for k', traceId: second },
    ]);
  });

  it('nests the socket.io emit span under the server span, and the client receives the event', async () => {
    // Act
    const response = await request(`${app.url}/orders/9/shipped`, { method: 'POST' });
    const server = await serverSpanOf('/orders/9/shipped');
    await app.waitForLine(/client received shipped \{"id":9\}/);
    const [send] = await receiver.waitForSpans(
      (span) => span.traceId === server.traceId && span.scope.name === scope('socket.io'),
    );
    // The client's reply comes over its WebSocket, outside any HTTP request: a trace of its own.
    const [receive] = await receiver.waitForSpans(
      (span) =>
        span.scope.name === scope('socket.io') &&
        span.attributes['messaging.socket.io.event_name'] === 'delivered',
    );

    // Assess
    expect(response.status).toBe(200);
    expect(send).toMatchObject({
      name: 'send /',
      kind: 'PRODUCER',
      parentSpanId: server.spanId,
      attributes: {
        'messaging.system': 'socket.io',
        'messaging.destination': '/',
        'messaging.socket.io.event_name': 'shipped',
      },
    });
    expect(receive).toMatchObject({
      name: 'receive /',
      kind: 'CONSUMER',
      attributes: { 'messaging.system': 'socket.io', 'messaging.operation': 'receive' },
    });
    expect(receive?.parentSpanId).toBeUndefined();
  });
});

describe('the nestjs-core instrumentation, a NestJS app serving requests', () => {
  // No server to install: NestJS 11 on its Express platform serves GET /orders/:id from the
  // fixture's OrdersController.
  const NEST_SCOPE = '@opentelemetry/instrumentation-nestjs-core';
  let receiver: OtlpReceiver;
  let app: SpawnedApp;

  beforeAll(async () => {
    receiver = await startOtlpReceiver();
    app = await spawnContribFixture('nestjs', receiver, 'http,nestjs-core');
  }, 60_000);
  afterAll(async () => {
    await app?.stop();
    await receiver?.close();
  });

  it('nests the controller span of a request under its server span, and the handler span under it', async () => {
    // Act
    const response = await request(`${app.url}/orders/7`);
    const server = await serverSpanAt(receiver, 'GET /orders/:id');
    const spans = await receiver.waitForSpans(
      (span) => span.traceId === server.traceId && span.scope.name === NEST_SCOPE,
      { count: 2 },
    );

    // Assess
    expect(response.status).toBe(200);
    expect(JSON.parse(response.body)).toEqual({ id: 7 });
    const controller = spans.find((span) => span.name === 'OrdersController.findOrder');
    expect(controller).toMatchObject({
      parentSpanId: server.spanId,
      attributes: {
        'nestjs.type': 'request_context',
        'nestjs.controller': 'OrdersController',
        'nestjs.callback': 'findOrder',
        'http.route': '/orders/:id',
        'http.request.method': 'GET',
      },
    });
    expect(spans.find((span) => span.name === 'findOrder')).toMatchObject({
      parentSpanId: controller?.spanId,
      attributes: { 'nestjs.type': 'handler', 'nestjs.callback': 'findOrder' },
    });
    expect(diagnosticsWithCode(app.stderrLines(), 'LOOKOUT_INSTRUMENTATION')).toEqual([]);
    expect(diagnosticsWithCode(app.stderrLines(), 'LOOKOUT_LOADED_BEFORE_INIT')).toEqual([]);
  });

  it('makes a span of the app being created, at start-up, outside any request', async () => {
    // Act
    const [create] = await receiver.waitForSpans((span) => span.name === 'Create Nest App');

    // Assess
    expect(create).toMatchObject({
      scope: { name: NEST_SCOPE },
      attributes: { 'nestjs.type': 'app_creation', 'nestjs.module': 'AppModule' },
    });
    expect(create?.parentSpanId).toBeUndefined();
  });
});

describe('the kafkajs instrumentation, a real producer against a stand-in broker', () => {
  // A stand-in, said plainly: Debian 12 packages no Kafka broker, so the real kafkajs producer
  // talks the real Kafka protocol (ApiVersions, Metadata v0, Produce v3 with record batches) to
  // test/helpers/kafka-wire-server.ts, which answers the producer path and nothing else: no
  // consumer groups or fetch, so the consumer side of the instrumentation is not run.
  const KAFKAJS_SCOPE = '@opentelemetry/instrumentation-kafkajs';
  let receiver: OtlpReceiver;
  let kafka: KafkaWireServer;
  let app: SpawnedApp;

  beforeAll(async () => {
    [receiver, kafka] = await Promise.all([startOtlpReceiver(), startKafkaWireServer()]);
    app = await spawnContribFixture('kafkajs', receiver, 'http,kafkajs', {
      env: { KAFKA_BROKER: kafka.broker },
    });
  }, 60_000);
  afterAll(async () => {
    await app?.stop();
    await receiver?.close();
    await kafka?.close();
  });

  it('nests the send span under the server span, and sends its context in the message headers', async () => {
    // Act
    const response = await request(`${app.url}/orders/9/shipped`, { method: 'POST' });
    const server = await serverSpanWhere(
      receiver,
      (span) => span.attributes['url.path'] === '/orders/9/shipped',
    );
    const [send] = await receiver.waitForSpans(
      (span) => span.traceId === server.traceId && span.scope.name === KAFKAJS_SCOPE,
    );

    // Assess
    expect(response.status).toBe(202);
    expect(JSON.parse(response.body)).toEqual({ partition: 0, offset: '0' });
    expect(kafka.requests().filter((line) => line.startsWith('un'))).toEqual([]);
    expect(kafka.requests()).toContain('PRODUCE v3');
    expect(send).toMatchObject({
      name: 'send orders',
      kind: 'PRODUCER',
      parentSpanId: server.spanId,
      attributes: {
        'messaging.system': 'kafka',
        'messaging.destination.name': 'orders',
        'messaging.operation.name': 'send',
        'messaging.operation.type': 'send',
        'messaging.kafka.message.key': '9',
      },
    });
    const [record] = kafka.records();
    expect(record).toMatchObject({
      topic: 'orders',
      partition: 0,
      key: '9',
      value: '{"shipped":9}',
    });
    // W3C trace context: the consumer's span would continue the send span, sampled.
    const [version, traceId, parentId, flags] = (record?.headers.traceparent ?? '').split('-');
    expect({ version, traceId, parentId }).toEqual({
      version: '00',
      traceId: server.traceId,
      parentId: send?.spanId,
    });
    expect(Number.parseInt(flags ?? '0', 16) & 1).toBe(1);
    expect(diagnosticsWithCode(app.stderrLines(), 'LOOKOUT_INSTRUMENTATION')).toEqual([]);
  });
});

describe('the tedious instrumentation, a real client against a stand-in SQL Server', () => {
  // A stand-in, said plainly: Debian 12 packages no SQL Server, so the real tedious client talks
  // the real TDS protocol (PRELOGIN without encryption, LOGIN7, SQL batches, the sp_executesql
  // RPC) to test/helpers/sqlserver-wire-server.ts, which answers the login and a result set the
  // test gives for one statement's text; it runs no SQL.
  const TEDIOUS_SCOPE = '@opentelemetry/instrumentation-tedious';
  const STATEMENT = 'SELECT id, status FROM orders WHERE id = @id';
  let receiver: OtlpReceiver;
  let sqlServer: SqlServerWireServer;
  let app: SpawnedApp;

  beforeAll(async () => {
    [receiver, sqlServer] = await Promise.all([
      startOtlpReceiver(),
      startSqlServerWireServer({
        results: {
          [STATEMENT]: {
            columns: [
              { name: 'id', type: 'int' },
              { name: 'status', type: 'nvarchar' },
            ],
            rows: [[7, 'shipped']],
          },
        },
      }),
    ]);
    app = await spawnContribFixture('tedious', receiver, 'http,express,tedious', {
      env: { SQLSERVER_PORT: String(sqlServer.port) },
    });
  }, 60_000);
  afterAll(async () => {
    await app?.stop();
    await receiver?.close();
    await sqlServer?.close();
  });

  it('nests the execSql span of a query under the server span, with its database attributes', async () => {
    // Act
    const response = await request(`${app.url}/orders/7`);
    const server = await serverSpanAt(receiver, 'GET /orders/:id');
    const [query] = await receiver.waitForSpans(
      (span) => span.traceId === server.traceId && span.scope.name === TEDIOUS_SCOPE,
    );

    // Assess
    expect(response.status).toBe(200);
    expect(JSON.parse(response.body)).toEqual([{ id: 7, status: 'shipped' }]);
    expect(sqlServer.requests()).toEqual([
      'PRELOGIN encryption=2',
      'LOGIN7 user=lookout database=shop',
      expect.stringMatching(/^SQL_BATCH set /),
      `RPC sp_executesql ${STATEMENT}`,
    ]);
    expect(query).toMatchObject({
      name: 'execSql shop',
      kind: 'CLIENT',
      parentSpanId: server.spanId,
      status: { code: 'UNSET' },
      attributes: {
        'db.system.name': 'microsoft.sql_server',
        'db.namespace': 'shop',
        'db.operation.name': 'execSql',
        'db.query.text': STATEMENT,
        'server.address': '127.0.0.1',
        'server.port': sqlServer.port,
        // Counted from the DONEINPROC and DONEPROC tokens of the stand-in's answer.
        'tedious.statement_count': 1,
        'tedious.procedure_count': 1,
      },
    });
    expect(diagnosticsWithCode(app.stderrLines(), 'LOOKOUT_INSTRUMENTATION')).toEqual([]);
  });
});

describe('the cassandra-driver instrumentation, a real driver against a stand-in Cassandra node', () => {
  // A stand-in, said plainly: Debian 12 packages no Cassandra, so the real driver talks the real
  // CQL native protocol v4 (version negotiation, OPTIONS, STARTUP, REGISTER, QUERY) to
  // test/helpers/cassandra-wire-server.ts, which answers the control connection's system.local
  // and system.peers as a one-node cluster and a result set the test gives for one statement's
  // text; it runs no CQL and serves no schema tables (metadata sync is off in the app).
  const CASSANDRA_SCOPE = '@opentelemetry/instrumentation-cassandra-driver';
  const STATEMENT = 'SELECT id, status FROM orders WHERE id = ?';
  let receiver: OtlpReceiver;
  let cassandra: CassandraWireServer;
  let app: SpawnedApp;

  beforeAll(async () => {
    [receiver, cassandra] = await Promise.all([
      startOtlpReceiver(),
      startCassandraWireServer({
        results: {
          [STATEMENT]: {
            keyspace: 'shop',
            table: 'orders',
            columns: [
              { name: 'id', type: 'int' },
              { name: 'status', type: 'varchar' },
            ],
            rows: [[7, 'shipped']],
          },
        },
      }),
    ]);
    app = await spawnContribFixture('cassandra-driver', receiver, 'http,express,cassandra-driver', {
      env: { CASSANDRA_PORT: String(cassandra.port), CASSANDRA_DATA_CENTER },
    });
  }, 60_000);
  afterAll(async () => {
    await app?.stop();
    await receiver?.close();
    await cassandra?.close();
  });

  it('nests the execute span of a query under the server span, with its database attributes', async () => {
    // Act
    const response = await request(`${app.url}/orders/7`);
    const server = await serverSpanAt(receiver, 'GET /orders/:id');
    const [execute] = await receiver.waitForSpans(
      (span) => span.traceId === server.traceId && span.scope.name === CASSANDRA_SCOPE,
    );

    // Assess
    expect(response.status).toBe(200);
    expect(JSON.parse(response.body)).toEqual([{ id: 7, status: 'shipped' }]);
    expect(cassandra.requests().filter((line) => line.startsWith('unanswered'))).toEqual([]);
    expect(cassandra.requests()).toContain(`QUERY v4 ${STATEMENT}`);
    expect(execute).toMatchObject({
      name: 'cassandra-driver.execute',
      kind: 'CLIENT',
      parentSpanId: server.spanId,
      status: { code: 'UNSET' },
      attributes: {
        'db.system.name': 'cassandra',
        'db.namespace': 'shop',
        // Set from the connection the request was sent on.
        'server.address': '127.0.0.1',
        'server.port': cassandra.port,
      },
    });
    // The instrumentation records the statement only with its enhancedDatabaseReporting option,
    // which Lookout leaves at its default (off).
    expect(execute?.attributes['db.query.text']).toBeUndefined();
    expect(diagnosticsWithCode(app.stderrLines(), 'LOOKOUT_INSTRUMENTATION')).toEqual([]);
  });
});

describe('a contrib instrumentation the app has not installed', () => {
  let appDir: string;

  beforeAll(() => {
    // Outside the repository, so nothing resolves the instrumentation packages from here.
    appDir = mkdtempSync(join(tmpdir(), 'lookout-contrib-missing-'));
    writeFileSync(
      join(appDir, 'package.json'),
      JSON.stringify({ name: 'missing', dependencies: { pg: '*' } }),
    );
    writeFileSync(join(appDir, 'app.cjs'), "console.log('started');\n");
  });
  afterAll(() => rmSync(appDir, { recursive: true, force: true }));

  it('gives one diagnostic naming the package to install, and the app runs', async () => {
    // Prepare
    const app = await spawnApp({
      args: ['--require', join(REPO_ROOT, 'dist/cjs/register.js'), 'app.cjs'],
      cwd: appDir,
      env: { LOOKOUT_INSTRUMENTATIONS: 'http,mysql2,pg', OTEL_TRACES_EXPORTER: 'none' },
      readyPattern: /started/,
    });

    // Act
    const exit = await app.exited;

    // Assess
    expect(exit.code).toBe(0);
    const missing = diagnosticsWithCode(app.stderrLines(), 'LOOKOUT_INSTRUMENTATION_MISSING');
    expect(missing).toHaveLength(2);
    expect(missing[0]).toContain('npm install @opentelemetry/instrumentation-mysql2');
    expect(missing[1]).toContain('npm install @opentelemetry/instrumentation-pg');
  });

  it('is skipped by auto, with a hint at info level only', async () => {
    // Prepare
    const app = await spawnApp({
      args: ['--require', join(REPO_ROOT, 'dist/cjs/register.js'), 'app.cjs'],
      cwd: appDir,
      env: { LOOKOUT_INSTRUMENTATIONS: 'auto', OTEL_TRACES_EXPORTER: 'none', OTEL_LOG_LEVEL: 'info' },
      readyPattern: /started/,
    });

    // Act
    const exit = await app.exited;

    // Assess
    expect(exit.code).toBe(0);
    const stderr = app.stderrLines();
    expect(diagnosticsWithCode(stderr, 'LOOKOUT_INSTRUMENTATION_MISSING')).toEqual([]);
    expect(stderr.filter((line) => line.includes('npm install @opentelemetry/instrumentation-pg'))).toEqual([
      expect.stringMatching(/^lookout INFO .*depends on pg/),
    ]);
  });
});

describe('a hooked module loaded before init()', () => {
  it.each([
    { name: 'CommonJS, required above init()', file: 'early-pg.cjs', fix: 'node --require lookout/register' },
    {
      name: 'ES module, import hoisted above init()',
      file: 'early-pg.mjs',
      fix: 'node --import lookout/register',
    },
    // The register is a preload only when node loads it before the app; required in the app's
    // code it starts as late as an init() call there.
    {
      name: 'CommonJS, lookout/register required below it',
      file: 'early-pg-register.cjs',
      fix: 'node --require lookout/register',
      env: { LOOKOUT_INSTRUMENTATIONS: 'http,pg', OTEL_TRACES_EXPORTER: 'none' },
    },
  ])('gives one diagnostic naming the module and the fix ($name)', async ({ file, fix, env }) => {
    // Prepare
    const app = await spawnApp({
      args: [`test/fixtures/contrib-app/${file}`],
      readyPattern: /started/,
      ...(env === undefined ? {} : { env }),
    });

    // Act
    const exit = await app.exited;

    // Assess
    expect(exit.code).toBe(0);
    const early = diagnosticsWithCode(app.stderrLines(), 'LOOKOUT_LOADED_BEFORE_INIT');
    expect(early).toHaveLength(1);
    expect(early[0]).toMatch(/\bpg was loaded before init\(\)/);
    expect(early[0]).toContain(fix);
    // The upstream instrumentation's own warning about the same fact is not repeated.
    expect(app.stderrLines().filter((line) => line.includes('has been loaded before'))).toEqual([]);
  });
});
