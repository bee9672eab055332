/**
 * What one upstream OpenTelemetry instrumentation is to Lookout: the npm package that holds
 * it, and the packages it instruments (what `auto` looks for in the app's dependencies).
 */
export interface ContribInstrumentation {
  /** The instrumentation's npm package, installed by the app, never bundled by Lookout. */
  readonly package: `@opentelemetry/instrumentation-${string}`;
  /** Packages whose presence in the app's dependencies enables it under `auto`; none for builtins. */
  readonly targets: readonly string[];
}

/**
 * The upstream contrib instrumentations Lookout loads by name, from the app's own
 * `node_modules` and only when asked for (docs/decisions/0045-contrib-instrumentations-on-demand.md).
 * Names are those of `OTEL_NODE_ENABLED_INSTRUMENTATIONS`. Left out: `http`, `express`,
 * `undici`, `aws-sdk` (Lookout's own, see INSTRUMENTATION_NAMES), `aws-lambda` (the Lambda
 * adapter makes the invocation span), `pino` and `winston` (log correlation, see
 * `logging.correlation`), and the metrics-only `runtime-node` and `host-metrics`.
 */
export const CONTRIB_INSTRUMENTATIONS = {
  amqplib: { package: '@opentelemetry/instrumentation-amqplib', targets: ['amqplib'] },
  bunyan: { package: '@opentelemetry/instrumentation-bunyan', targets: ['bunyan'] },
  'cassandra-driver': {
    package: '@opentelemetry/instrumentation-cassandra-driver',
    targets: ['cassandra-driver'],
  },
  connect: { package: '@opentelemetry/instrumentation-connect', targets: ['connect'] },
  dataloader: { package: '@opentelemetry/instrumentation-dataloader', targets: ['dataloader'] },
  dns: { package: '@opentelemetry/instrumentation-dns', targets: [] },
  fs: { package: '@opentelemetry/instrumentation-fs', targets: [] },
  'generic-pool': { package: '@opentelemetry/instrumentation-generic-pool', targets: ['generic-pool'] },
  graphql: { package: '@opentelemetry/instrumentation-graphql', targets: ['graphql'] },
  grpc: { package: '@opentelemetry/instrumentation-grpc', targets: ['@grpc/grpc-js'] },
  hapi: { package: '@opentelemetry/instrumentation-hapi', targets: ['@hapi/hapi'] },
  ioredis: { package: '@opentelemetry/instrumentation-ioredis', targets: ['ioredis'] },
  kafkajs: { package: '@opentelemetry/instrumentation-kafkajs', targets: ['kafkajs'] },
  knex: { package: '@opentelemetry/instrumentation-knex', targets: ['knex'] },
  koa: { package: '@opentelemetry/instrumentation-koa', targets: ['koa'] },
  'lru-memoizer': { package: '@opentelemetry/instrumentation-lru-memoizer', targets: ['lru-memoizer'] },
  memcached: { package: '@opentelemetry/instrumentation-memcached', targets: ['memcached'] },
  mongodb: { package: '@opentelemetry/instrumentation-mongodb', targets: ['mongodb'] },
  mongoose: { package: '@opentelemetry/instrumentation-mongoose', targets: ['mongoose'] },
  mysql: { package: '@opentelemetry/instrumentation-mysql', targets: ['mysql'] },
  mysql2: { package: '@opentelemetry/instrumentation-mysql2', targets: ['mysql2'] },
  'nestjs-core': { package: '@opentelemetry/instrumentation-nestjs-core', targets: ['@nestjs/core'] },
  net: { package: '@opentelemetry/instrumentation-net', targets: [] },
  openai: { package: '@opentelemetry/instrumentation-openai', targets: ['openai'] },
  oracledb: { package: '@opentelemetry/instrumentation-oracledb', targets: ['oracledb'] },
  pg: { package: '@opentelemetry/instrumentation-pg', targets: ['pg', 'pg-pool'] },
  redis: { package: '@opentelemetry/instrumentation-redis', targets: ['redis', '@redis/client'] },
  restify: { package: '@opentelemetry/instrumentation-restify', targets: ['restify'] },
  router: { package: '@opentelemetry/instrumentation-router', targets: ['router'] },
  'socket.io': { package: '@opentelemetry/instrumentation-socket.io', targets: ['socket.io'] },
  tedious: { package: '@opentelemetry/instrumentation-tedious', targets: ['tedious'] },
} as const satisfies Record<string, ContribInstrumentation>;
export type ContribInstrumentationName = keyof typeof CONTRIB_INSTRUMENTATIONS;

/** The contrib names, in the table's order. */
export const CONTRIB_INSTRUMENTATION_NAMES = Object.keys(
  CONTRIB_INSTRUMENTATIONS,
) as ContribInstrumentationName[];
