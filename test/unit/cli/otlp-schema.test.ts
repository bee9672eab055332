// The viewer's OTLP message tables (src/cli/otlp/*-schema.ts) against the official .proto files
// (test/helpers/opentelemetry-proto): every message reachable from the three export requests has
// the same fields, numbers, types and labels, every enum the same values, and every field of the
// .proto files the tables leave out is one the viewer skips on purpose
// (docs/decisions/0050-otlp-messages-described-once.md). protobufjs only parses the .proto files
// here; the decoders do not use it.
import { fileURLToPath } from 'node:url';
import protobuf from 'protobufjs';
import { describe, expect, it } from 'vitest';
import {
  type EnumSpec,
  type FieldSpec,
  isMessageRef,
  type MessageSpec,
} from '../../../src/cli/otlp/message-schema.js';
import { EXPORT_REQUESTS, OTLP_SIGNALS } from '../../../src/cli/otlp/otlp-signals.js';

const PROTO_ROOT = fileURLToPath(new URL('../../helpers/opentelemetry-proto/', import.meta.url));

const REQUEST_TYPES = {
  traces: 'opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest',
  metrics: 'opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest',
  logs: 'opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest',
} as const;

/** Fields of the .proto files the viewer skips like unknown fields, by message. */
const SKIPPED_FIELDS: Readonly<Record<string, readonly string[]>> = {
  AnyValue: ['stringValueStrindex'],
  KeyValue: ['keyStrindex'],
  Resource: ['entityRefs'],
};

function loadProtos(): protobuf.Root {
  const root = new protobuf.Root();
  root.resolvePath = (_origin, target) => `${PROTO_ROOT}${target}`;
  root.loadSync(
    [
      'opentelemetry/proto/collector/trace/v1/trace_service.proto',
      'opentelemetry/proto/collector/metrics/v1/metrics_service.proto',
      'opentelemetry/proto/collector/logs/v1/logs_service.proto',
    ],
    { keepCase: false },
  );
  root.resolveAll();
  return root;
}

/** The .proto type a table's field type stands for: `id` and `bytes` are both `bytes`. */
function protoTypeName(type: string): string {
  return type === 'id' ? 'bytes' : type;
}

/** Whether a .proto field has presence: proto3 `optional`, a `oneof` member or a message field. */
function hasPresence(field: protobuf.Field): boolean {
  return field.partOf !== null || field.resolvedType instanceof protobuf.Type;
}

/** The real `oneof` a field belongs to (protobufjs models proto3 `optional` as a `_name` oneof). */
function realOneof(field: protobuf.Field): string | undefined {
  const group = field.partOf?.name;
  return group === undefined || group.startsWith('_') ? undefined : group;
}

/** Every difference between a table and its .proto message, and the messages they both refer to. */
function compareMessage(
  spec: MessageSpec,
  type: protobuf.Type,
  seen: Map<MessageSpec, protobuf.Type>,
  problems: string[],
): void {
  if (seen.has(spec)) {
    if (seen.get(spec) !== type) problems.push(`${spec.name}: used for two .proto messages`);
    return;
  }
  seen.set(spec, type);
  if (spec.name !== type.name) problems.push(`table ${spec.name} stands for .proto ${type.name}`);
  const skipped = SKIPPED_FIELDS[type.name] ?? [];
  for (const protoField of type.fieldsArray) {
    if (!(protoField.name in spec.fields) && !skipped.includes(protoField.name)) {
      problems.push(`${type.name}.${protoField.name}: in the .proto file, not in the table`);
    }
  }
  for (const [name, field] of Object.entries(spec.fields)) {
    const protoField = type.fields[name];
    if (protoField === undefined) {
      problems.push(`${type.name}.${name}: in the table, not in the .proto file`);
      continue;
    }
    compareField(`${type.name}.${name}`, field, protoField, seen, problems);
  }
}

function compareField(
  where: string,
  field: FieldSpec,
  protoField: protobuf.Field,
  seen: Map<MessageSpec, protobuf.Type>,
  problems: string[],
): void {
  if (field.number !== protoField.id)
    problems.push(`${where}: number ${field.number}, .proto ${protoField.id}`);
  if ((field.label === 'repeated') !== protoField.repeated) {
    problems.push(`${where}: label ${field.label}, .proto repeated ${protoField.repeated}`);
  }
  if (field.label === 'optional' && !hasPresence(protoField)) {
    problems.push(`${where}: optional in the table, but the .proto field has no presence`);
  }
  if (field.label === 'singular' && protoField.options?.proto3_optional === true) {
    problems.push(`${where}: singular in the table, optional in the .proto file`);
  }
  if (field.oneof !== realOneof(protoField)) {
    problems.push(`${where}: oneof ${field.oneof}, .proto oneof ${realOneof(protoField)}`);
  }
  const { type } = field;
  const resolved = protoField.resolvedType;
  if (isMessageRef(type)) {
    if (resolved instanceof protobuf.Type) compareMessage(type(), resolved, seen, problems);
    else problems.push(`${where}: a message in the table, ${protoField.type} in the .proto file`);
  } else if (typeof type === 'string') {
    if (resolved !== null || protoTypeName(type) !== protoField.type) {
      problems.push(`${where}: ${type} in the table, ${protoField.type} in the .proto file`);
    }
  } else if (resolved instanceof protobuf.Enum) {
    compareEnum(where, type, resolved, problems);
  } else {
    problems.push(`${where}: enum ${type.name} in the table, ${protoField.type} in the .proto file`);
  }
}

function compareEnum(where: string, spec: EnumSpec, protoEnum: protobuf.Enum, problems: string[]): void {
  if (spec.name !== protoEnum.name) problems.push(`${where}: enum ${spec.name}, .proto ${protoEnum.name}`);
  const protoNames = Object.entries(protoEnum.values)
    .sort(([, a], [, b]) => a - b)
    .map(([name, value]) => `${value}=${name}`);
  const tableNames = spec.names.map((name, value) => `${value}=${spec.prefix}${name}`);
  if (protoNames.join() !== tableNames.join()) {
    problems.push(`${where}: enum ${spec.name} values [${tableNames}], .proto [${protoNames}]`);
  }
}

describe('OTLP message tables', () => {
  const root = loadProtos();

  it.each(OTLP_SIGNALS)('describe the %s export request as the official .proto files do', (signal) => {
    const problems: string[] = [];
    const seen = new Map<MessageSpec, protobuf.Type>();
    compareMessage(EXPORT_REQUESTS[signal], root.lookupType(REQUEST_TYPES[signal]), seen, problems);
    expect(problems).toEqual([]);
    // The walk reached the nested messages, not just the request.
    expect(seen.size).toBeGreaterThan(signal === 'metrics' ? 15 : 6);
  });

  it('report a field whose number differs from the .proto file', () => {
    const problems: string[] = [];
    const request = EXPORT_REQUESTS.traces;
    const renumbered: MessageSpec = {
      name: request.name,
      fields: { resourceSpans: { ...request.fields.resourceSpans, number: 2 } as FieldSpec },
    };
    compareMessage(renumbered, root.lookupType(REQUEST_TYPES.traces), new Map(), problems);
    expect(problems).toEqual(['ExportTraceServiceRequest.resourceSpans: number 2, .proto 1']);
  });
});
