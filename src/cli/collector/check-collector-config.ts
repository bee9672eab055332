import { isMap, isScalar, isSeq, LineCounter, type Node, parseDocument } from 'yaml';
import {
  COMPONENT_KINDS,
  type CollectorTarget,
  type ComponentKind,
  type Distribution,
  getDistribution,
} from './distributions.js';

/** Every rule the checker applies, by id (docs/collector.md explains each). */
export const RULES = {
  yamlSyntax: 'yaml-syntax',
  configShape: 'config-shape',
  pipelineName: 'pipeline-name',
  pipelineReceivers: 'pipeline-receivers',
  pipelineExporters: 'pipeline-exporters',
  duplicateProcessor: 'duplicate-processor',
  undefinedComponent: 'undefined-component',
  unusedComponent: 'unused-component',
  unknownComponent: 'unknown-component',
  componentId: 'component-id',
  componentNote: 'component-note',
  authenticatorNotEnabled: 'authenticator-not-enabled',
  wrongSignal: 'wrong-signal',
  indexAllAttributes: 'index-all-attributes',
  highCardinalityDimension: 'high-cardinality-dimension',
  memoryLimiter: 'memory-limiter',
  batch: 'batch',
  lambdaProcessors: 'lambda-processors',
  noVerifySsl: 'no-verify-ssl',
  plaintextSecret: 'plaintext-secret',
  emfDimensionRollup: 'emf-dimension-rollup',
  emfNoDeclarations: 'emf-no-declarations',
  logRetention: 'log-retention',
  resourceDetectionTimeout: 'resourcedetection-timeout',
  lambdaEmfDestination: 'lambda-emf-destination',
} as const;
export type RuleId = (typeof RULES)[keyof typeof RULES];

/** One problem found, with where it is and how to fix it. */
export interface Finding {
  readonly severity: 'error' | 'warning';
  readonly rule: RuleId;
  /** Dotted YAML path, e.g. `service.pipelines.traces.exporters[1]`. */
  readonly path: string;
  /** 1-based line and column of that path in the file, when it exists there. */
  readonly line: number | undefined;
  readonly column: number | undefined;
  readonly message: string;
  readonly fix: string;
}

export interface CheckOptions {
  /** Where the collector runs; decides the component list and the deployment rules. */
  readonly target?: CollectorTarget | undefined;
}

type PathPart = string | number;
const SIGNALS = ['traces', 'metrics', 'logs'] as const;
const PIPELINE_NAME = /^(traces|metrics|logs)(\/[^/\s]+)?$/;
/** Exporters that only accept one signal. */
const SIGNAL_ONLY: Record<string, (typeof SIGNALS)[number]> = {
  awsxray: 'traces',
  awsemf: 'metrics',
  awscloudwatchlogs: 'logs',
};

// Dimension names whose values are unique per request, per process or per task: as metric
// dimensions each value is a new CloudWatch metric, billed per month (docs/design.md decision 6).
const HIGH_CARDINALITY: ReadonlyArray<{ pattern: RegExp; what: string }> = [
  {
    pattern: /request_?id|invocation_?id|trace_?id|span_?id|correlation_?id|message_?id/,
    what: 'a request id',
  },
  { pattern: /url|target$|(^|_)path$|query/, what: 'a URL' },
  { pattern: /instance_?id|host_?id|host_?name|container_?id|pod_?(name|uid)|pid$/, what: 'an instance id' },
  { pattern: /task_?arn|task_?id|container_?arn/, what: 'a task ARN' },
  { pattern: /user_?id|session_?id|client_?(ip|address)|peer_?(ip|address)/, what: 'a user or client id' },
];

// Keys that hold credentials; their values belong in `${env:…}` or a secrets store.
const SECRET_KEY =
  /pass(word|wd)?$|secret|token|api_?key|access_?key|private_?key|credential|authorization|bearer/i;
const ENV_REFERENCE = /^\$\{[^}]+\}$/;
const AWS_ACCESS_KEY_ID = /\b(AKIA|ASIA)[0-9A-Z]{16}\b/;

function formatPath(parts: readonly PathPart[]): string {
  return parts
    .map((part, i) => (typeof part === 'number' ? `[${part}]` : i === 0 ? part : `.${part}`))
    .join('');
}

function typeOf(id: string): string {
  return id.split('/')[0] ?? id;
}

/** A plain-object view of the parsed YAML (null for `key:` with no value). */
type Plain = null | string | number | boolean | Plain[] | { [key: string]: Plain };

function isRecord(value: Plain | undefined): value is { [key: string]: Plain } {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * Checks an OpenTelemetry collector configuration for the ADOT collector: structure, that
 * every component is defined and used, that each type exists in the target build, signal fit,
 * and the settings that cost money, leak data or weaken security. Pure: text in, findings out.
 *
 * @example
 * const findings = checkCollectorConfig(readFileSync('collector/ecs.yaml', 'utf8'), { target: 'ecs' });
 * const failed = findings.some((finding) => finding.severity === 'error');
 */
export function checkCollectorConfig(text: string, options: CheckOptions = {}): Finding[] {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const findings: Finding[] = [];

  const locate = (parts: readonly PathPart[]): { line: number | undefined; column: number | undefined } => {
    // Points at the key for a map entry (the line a reader looks for), at the item otherwise.
    let node: unknown = document.contents;
    let offset: number | undefined;
    for (const part of parts) {
      if (isMap(node)) {
        const pair = node.items.find((item) => isScalar(item.key) && String(item.key.value) === String(part));
        if (pair === undefined) break;
        offset = (pair.key as Node).range?.[0];
        node = pair.value;
      } else if (isSeq(node) && typeof part === 'number') {
        const item = node.items[part] as Node | undefined;
        if (item === undefined) break;
        offset = item.range?.[0];
        node = item;
      } else break;
    }
    if (offset === undefined) return { line: undefined, column: undefined };
    const position = lineCounter.linePos(offset);
    return { line: position.line, column: position.col };
  };
  const report = (
    severity: Finding['severity'],
    rule: RuleId,
    parts: readonly PathPart[],
    message: string,
    fix: string,
  ) => {
    findings.push({ severity, rule, path: formatPath(parts), ...locate(parts), message, fix });
  };

  for (const error of document.errors) {
    // The parser gives the offset where it stopped; the line counter turns it into line:column.
    const position = lineCounter.linePos(error.pos[0]);
    findings.push({
      severity: 'error',
      rule: RULES.yamlSyntax,
      path: '',
      line: position.line,
      column: position.col,
      message: `the file is not valid YAML: ${error.message.split('\n')[0]}`,
      fix: 'correct the YAML syntax at this position (indentation, quotes, duplicate keys)',
    });
  }
  if (document.errors.length > 0) return findings;

  let root: Plain;
  try {
    root = document.toJS() as Plain;
  } catch (error) {
    // The YAML library refuses to expand aliases past a bound (a "billion laughs" file).
    findings.push({
      severity: 'error',
      rule: RULES.yamlSyntax,
      path: '',
      line: undefined,
      column: undefined,
      message: `the file cannot be read as YAML: ${(error as Error).message.split('\n')[0]}`,
      fix: 'write the repeated parts out, or use fewer aliases (*name) of aliases',
    });
    return findings;
  }
  if (!isRecord(root)) {
    report(
      'error',
      RULES.configShape,
      [],
      'the file is not a YAML map of collector sections',
      'start from a configuration Lookout ships: node_modules/lookout/collector/local.yaml (ecs.yaml, lambda.yaml)',
    );
    return findings;
  }
  const distribution = getDistribution(options.target);
  const sections = checkSections(root, report);
  const service = root.service;
  const pipelines = isRecord(service) ? service.pipelines : undefined;
  if (!isRecord(service) || !isRecord(pipelines)) {
    report(
      'error',
      RULES.configShape,
      isRecord(service) ? ['service'] : [],
      'no service.pipelines section',
      'add service: { pipelines: { traces: { receivers: [otlp], exporters: [...] } } }',
    );
    return findings;
  }
  if (Object.keys(pipelines).length === 0) {
    // The collector refuses to start: "service must have at least one pipeline".
    report(
      'error',
      RULES.configShape,
      ['service', 'pipelines'],
      'service.pipelines has no pipeline: the collector refuses to start',
      'add a pipeline, e.g. traces: { receivers: [otlp], exporters: [...] }',
    );
  }

  const used = new Map<string, Set<string>>(COMPONENT_KINDS.map((kind) => [kind, new Set<string>()]));
  for (const [name, pipeline] of Object.entries(pipelines)) {
    checkPipeline(name, pipeline, sections, used, options.target, report);
  }
  checkServiceExtensions(service, sections, used, report);
  checkAuthenticators(service, sections, report);
  checkUnused(sections, used, report);
  checkComponentTypes(sections, distribution, report);
  checkSettings(sections, options.target, report);
  return findings;
}

type Report = (
  severity: Finding['severity'],
  rule: RuleId,
  parts: readonly PathPart[],
  message: string,
  fix: string,
) => void;

type Sections = Record<ComponentKind, Record<string, Plain>>;

function checkSections(root: { [key: string]: Plain }, report: Report): Sections {
  const sections = {} as Sections;
  for (const kind of COMPONENT_KINDS) {
    const value = root[kind];
    if (value === undefined || value === null) {
      sections[kind] = {};
    } else if (isRecord(value)) {
      sections[kind] = value;
    } else {
      report(
        'error',
        RULES.configShape,
        [kind],
        `${kind} is not a map of component ids`,
        `write ${kind} as "id: settings" entries`,
      );
      sections[kind] = {};
    }
  }
  return sections;
}

function listAt(
  pipeline: { [key: string]: Plain },
  field: string,
  parts: readonly PathPart[],
  report: Report,
): string[] | undefined {
  const value = pipeline[field];
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value) || !value.every((item) => typeof item === 'string')) {
    report(
      'error',
      RULES.configShape,
      [...parts, field],
      `${field} is not a list of component ids`,
      `write ${field}: [id, ...]`,
    );
    return [];
  }
  return value as string[];
}

function checkPipeline(
  name: string,
  pipeline: Plain,
  sections: Sections,
  used: Map<string, Set<string>>,
  target: CollectorTarget | undefined,
  report: Report,
): void {
  const parts = ['service', 'pipelines', name];
  const signal = /^(traces|metrics|logs)/.exec(name)?.[1];
  if (!PIPELINE_NAME.test(name)) {
    report(
      'error',
      RULES.pipelineName,
      parts,
      `pipeline "${name}" is not named traces, metrics or logs (optionally /name)`,
      `rename it, e.g. traces/${name.replace(/[^\w-]/g, '') || 'app'}`,
    );
  }
  if (!isRecord(pipeline)) {
    report(
      'error',
      RULES.configShape,
      parts,
      `pipeline "${name}" is not a map`,
      'give it receivers: [...] and exporters: [...]',
    );
    return;
  }
  const receivers = listAt(pipeline, 'receivers', parts, report) ?? [];
  const processors = listAt(pipeline, 'processors', parts, report) ?? [];
  const exporters = listAt(pipeline, 'exporters', parts, report) ?? [];
  if (receivers.length === 0)
    report(
      'error',
      RULES.pipelineReceivers,
      [...parts, 'receivers'],
      `pipeline "${name}" has no receiver`,
      'add receivers: [otlp]',
    );
  if (exporters.length === 0)
    report(
      'error',
      RULES.pipelineExporters,
      [...parts, 'exporters'],
      `pipeline "${name}" has no exporter`,
      'add at least one exporter, e.g. exporters: [awsxray] for traces',
    );

  const refer = (field: 'receivers' | 'processors' | 'exporters', ids: string[]) => {
    ids.forEach((id, index) => {
      const path = [...parts, field, index];
      const asConnector = field !== 'processors' && id in sections.connectors;
      if (asConnector) used.get('connectors')?.add(id);
      else if (id in sections[field]) used.get(field)?.add(id);
      else {
        report(
          'error',
          RULES.undefinedComponent,
          path,
          `"${id}" is used here but not defined under ${field}`,
          `define it under ${field}: (e.g. "${id}: {}") or remove it from this list`,
        );
        return;
      }
      const only = SIGNAL_ONLY[typeOf(id)];
      if (field === 'exporters' && only !== undefined && signal !== undefined && signal !== only) {
        report(
          'error',
          RULES.wrongSignal,
          path,
          `${typeOf(id)} exports ${only} only, not ${signal}`,
          `move ${id} to a ${only} pipeline`,
        );
      }
    });
  };
  refer('receivers', receivers);
  refer('processors', processors);
  // The collector refuses a pipeline that names one processor twice ('references processor
  // "batch" multiple times'); its pipeline validation checks processors only.
  processors.forEach((id, index) => {
    if (processors.indexOf(id) !== index)
      report(
        'error',
        RULES.duplicateProcessor,
        [...parts, 'processors', index],
        `pipeline "${name}" names processor "${id}" more than once: the collector refuses to start`,
        `list ${id} once; for two differently configured copies, define ${typeOf(id)}/<name> and list both ids`,
      );
  });
  refer('exporters', exporters);

  if (target === 'lambda' && processors.length > 0) {
    report(
      'error',
      RULES.lambdaProcessors,
      [...parts, 'processors'],
      'the ADOT Lambda layer has no processors; the extension would fail to start',
      'remove processors from this pipeline (batching happens in the SDK)',
    );
  }
  if (target === 'ecs') {
    const limiter = processors.findIndex((id) => typeOf(id) === 'memory_limiter');
    if (limiter < 0)
      report(
        'error',
        RULES.memoryLimiter,
        [...parts, 'processors'],
        `pipeline "${name}" has no memory_limiter: a burst can grow the sidecar until ECS kills the task`,
        'add memory_limiter as the first processor',
      );
    else if (limiter > 0)
      report(
        'error',
        RULES.memoryLimiter,
        [...parts, 'processors', limiter],
        'memory_limiter is not the first processor, so data is buffered before the limit applies',
        'move memory_limiter to the start of processors',
      );
    if (!processors.some((id) => typeOf(id) === 'batch'))
      report(
        'error',
        RULES.batch,
        [...parts, 'processors'],
        `pipeline "${name}" has no batch processor: one API call per span or metric`,
        'add batch after memory_limiter',
      );
  }
}

function checkServiceExtensions(
  service: { [key: string]: Plain },
  sections: Sections,
  used: Map<string, Set<string>>,
  report: Report,
): void {
  const listed = listAt(service, 'extensions', ['service'], report) ?? [];
  listed.forEach((id, index) => {
    if (id in sections.extensions) used.get('extensions')?.add(id);
    else
      report(
        'error',
        RULES.undefinedComponent,
        ['service', 'extensions', index],
        `extension "${id}" is enabled but not defined`,
        `define it under extensions: or remove it from service.extensions`,
      );
  });
}

// A receiver's or exporter's auth.authenticator names an extension, which the collector looks
// up among the extensions service.extensions enables: one that is only defined is not found,
// and the component, so the collector, fails to start ("failed to resolve authenticator").
function checkAuthenticators(service: { [key: string]: Plain }, sections: Sections, report: Report): void {
  const enabled = service.extensions;
  const listed = Array.isArray(enabled) ? enabled : [];
  for (const kind of ['receivers', 'exporters'] as const) {
    for (const [id, settings] of Object.entries(sections[kind])) {
      const auth = isRecord(settings) ? settings.auth : undefined;
      const authenticator = isRecord(auth) ? auth.authenticator : undefined;
      if (typeof authenticator !== 'string' || listed.includes(authenticator)) continue;
      report(
        'error',
        RULES.authenticatorNotEnabled,
        [kind, id, 'auth', 'authenticator'],
        `${id} authenticates with "${authenticator}", which service.extensions does not enable: the collector fails to start`,
        authenticator in sections.extensions
          ? `add ${authenticator} to service.extensions`
          : `define ${authenticator} under extensions: and add it to service.extensions`,
      );
    }
  }
}

// The collector starts with a component that is defined and not used: configuring a component
// does not enable it, listing it in a pipeline (or service.extensions) does. So a warning: the
// setting does nothing, which is rarely what its author meant.
function checkUnused(sections: Sections, used: Map<string, Set<string>>, report: Report): void {
  for (const kind of COMPONENT_KINDS) {
    for (const id of Object.keys(sections[kind])) {
      if (used.get(kind)?.has(id)) continue;
      const where = kind === 'extensions' ? 'service.extensions' : 'any pipeline';
      report(
        'warning',
        RULES.unusedComponent,
        [kind, id],
        `${kind.slice(0, -1)} "${id}" is defined but not used in ${where}: the collector ignores it`,
        `add it to ${where} or delete it`,
      );
    }
  }
}

function checkComponentTypes(sections: Sections, distribution: Distribution, report: Report): void {
  for (const kind of COMPONENT_KINDS) {
    for (const id of Object.keys(sections[kind])) {
      const type = typeOf(id);
      // The collector reads an id as type[/name], each part trimmed, and refuses an empty name.
      if (id.includes('/') && id.slice(id.indexOf('/') + 1).trim() === '') {
        report(
          'error',
          RULES.componentId,
          [kind, id],
          `"${id}" has nothing after the "/": the collector refuses to start`,
          `name it ${type.trim()} or ${type.trim()}/<name>, and use that id in the pipelines`,
        );
        continue;
      }
      const note = distribution.notes[kind]?.[type];
      if (note !== undefined) {
        report(note.severity, RULES.componentNote, [kind, id], `${type}: ${note.message}`, note.fix);
        continue;
      }
      const accepted = distribution.components[kind];
      if (accepted.includes(type)) continue;
      report(
        'error',
        RULES.unknownComponent,
        [kind, id],
        `the ${distribution.name} has no ${kind.slice(0, -1)} "${type}"; it would refuse to start`,
        accepted.length === 0
          ? `remove it: the ${distribution.name} has no ${kind}`
          : `use one of the ${kind} the ${distribution.name} has: ${accepted.join(', ')}`,
      );
    }
  }
}

function walk(
  value: Plain,
  parts: PathPart[],
  visit: (key: string, value: Plain, parts: PathPart[]) => void,
): void {
  if (Array.isArray(value)) {
    value.forEach((item, index) => {
      walk(item, [...parts, index], visit);
    });
  } else if (isRecord(value)) {
    for (const [key, child] of Object.entries(value)) {
      visit(key, child, [...parts, key]);
      walk(child, [...parts, key], visit);
    }
  }
}

function normaliseDimension(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_');
}

function checkSettings(sections: Sections, target: CollectorTarget | undefined, report: Report): void {
  // Anywhere: switched-off certificate checks and credentials written into the file.
  for (const kind of COMPONENT_KINDS) {
    walk(sections[kind], [kind], (key, value, parts) => {
      if ((key === 'no_verify_ssl' || key === 'insecure_skip_verify') && value === true)
        report(
          'error',
          RULES.noVerifySsl,
          parts,
          `${key}: true turns off TLS certificate checks: anyone on the path can read and alter telemetry`,
          `remove ${key}`,
        );
      if (typeof value === 'string' && value !== '' && !ENV_REFERENCE.test(value.trim())) {
        if (SECRET_KEY.test(key.replace(/-/g, '_')) || AWS_ACCESS_KEY_ID.test(value))
          report(
            'error',
            RULES.plaintextSecret,
            parts,
            `${key} holds a credential in plain text: it ends up in images, task definitions and logs`,
            `use \${env:VARIABLE} and pass the value from Secrets Manager or SSM (ECS "secrets", Lambda environment)`,
          );
      }
    });
  }

  for (const [id, settings] of Object.entries(sections.exporters)) {
    const type = typeOf(id);
    const config = isRecord(settings) ? settings : {};
    const at = (...rest: PathPart[]) => ['exporters', id, ...rest];
    if (type === 'awsxray' && config.index_all_attributes === true) {
      report(
        'error',
        RULES.indexAllAttributes,
        at('index_all_attributes'),
        'index_all_attributes turns every span attribute into an X-Ray annotation: X-Ray keeps 50 per trace and drops the rest, unpredictably',
        'remove it and list the few attributes you filter by in indexed_attributes',
      );
    }
    if (type === 'awsemf') checkEmf(config, at, target, report);
    if (
      (type === 'awsemf' || type === 'awscloudwatchlogs') &&
      target === 'ecs' &&
      config.output_destination !== 'stdout' &&
      config.log_retention === undefined
    ) {
      report(
        'warning',
        RULES.logRetention,
        at(),
        `${id} writes to a log group with no log_retention: CloudWatch keeps (and bills) the data forever`,
        'set log_retention, e.g. 30 (days)',
      );
    }
  }

  for (const [id, settings] of Object.entries(sections.processors)) {
    if (typeOf(id) !== 'resourcedetection') continue;
    const timeout = isRecord(settings) ? settings.timeout : undefined;
    const seconds = typeof timeout === 'string' ? parseDuration(timeout) : undefined;
    if (seconds === undefined || seconds > 5) {
      report(
        'warning',
        RULES.resourceDetectionTimeout,
        ['processors', id, ...(timeout === undefined ? [] : ['timeout'])],
        'resourcedetection with no short timeout can hold the first data for seconds when a metadata endpoint does not answer',
        'set timeout: 2s',
      );
    }
  }
}

function parseDuration(text: string): number | undefined {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m)$/.exec(text.trim());
  if (!match) return undefined;
  const value = Number(match[1]);
  return match[2] === 'ms' ? value / 1000 : match[2] === 'm' ? value * 60 : value;
}

function checkEmf(
  config: { [key: string]: Plain },
  at: (...rest: PathPart[]) => PathPart[],
  target: CollectorTarget | undefined,
  report: Report,
): void {
  if (config.dimension_rollup_option !== 'NoDimensionRollup') {
    report(
      'warning',
      RULES.emfDimensionRollup,
      at(...(config.dimension_rollup_option === undefined ? [] : ['dimension_rollup_option'])),
      'without NoDimensionRollup, awsemf also writes every metric under rolled-up dimension sets: more metrics, more cost',
      'set dimension_rollup_option: NoDimensionRollup and declare the sets you want in metric_declarations',
    );
  }
  const declarations = config.metric_declarations;
  if (!Array.isArray(declarations) || declarations.length === 0) {
    report(
      'warning',
      RULES.emfNoDeclarations,
      at(),
      'no metric_declarations: every attribute of every metric becomes a dimension',
      'declare dimensions and metric_name_selectors in metric_declarations',
    );
  } else {
    declarations.forEach((declaration, d) => {
      const sets = isRecord(declaration) ? declaration.dimensions : undefined;
      if (!Array.isArray(sets)) return;
      sets.forEach((set, s) => {
        if (!Array.isArray(set)) return;
        set.forEach((dimension, i) => {
          if (typeof dimension !== 'string') return;
          const normal = normaliseDimension(dimension);
          const hit = HIGH_CARDINALITY.find((entry) => entry.pattern.test(normal));
          if (hit !== undefined)
            report(
              'error',
              RULES.highCardinalityDimension,
              at('metric_declarations', d, 'dimensions', s, i),
              `dimension "${dimension}" looks like ${hit.what}: one CloudWatch metric per distinct value`,
              'drop it from the dimensions (keep it as a log or trace attribute); use Service, Operation (route template), Environment',
            );
        });
      });
    });
  }
  const conversion = config.resource_to_telemetry_conversion;
  if (
    isRecord(conversion) &&
    conversion.enabled === true &&
    (!Array.isArray(declarations) || declarations.length === 0)
  ) {
    report(
      'error',
      RULES.highCardinalityDimension,
      at('resource_to_telemetry_conversion', 'enabled'),
      'resource_to_telemetry_conversion with no metric_declarations makes every resource attribute (task ARN, instance id) a dimension',
      'remove it, or declare the dimensions in metric_declarations',
    );
  }
  if (target === 'lambda' && config.output_destination !== 'stdout') {
    report(
      'warning',
      RULES.lambdaEmfDestination,
      at(...(config.output_destination === undefined ? [] : ['output_destination'])),
      'on Lambda, awsemf calling the CloudWatch Logs API adds a network call to every flush',
      'set output_destination: stdout (Lambda ships stdout to CloudWatch Logs, which extracts the metrics)',
    );
  }
}
