/** The kinds of components a collector configuration defines. */
export const COMPONENT_KINDS = ['receivers', 'processors', 'exporters', 'extensions', 'connectors'] as const;
export type ComponentKind = (typeof COMPONENT_KINDS)[number];

/** A component type that is accepted but deserves a word (renamed, going away, gated). */
export interface ComponentNote {
  readonly severity: 'error' | 'warning';
  readonly message: string;
  readonly fix: string;
}

/** The component types one collector build accepts, and where that list comes from. */
export interface Distribution {
  readonly name: string;
  /** Where the list was taken from; recorded so it can be checked again on a new release. */
  readonly sources: readonly string[];
  readonly components: Readonly<Record<ComponentKind, readonly string[]>>;
  /** Types that used to exist or are on their way out: checked before the list. */
  readonly notes: Readonly<Partial<Record<ComponentKind, Readonly<Record<string, ComponentNote>>>>>;
}

const LOGGING_REMOVED: ComponentNote = {
  severity: 'error',
  message: 'the logging exporter was removed from ADOT Collector v0.42.0 (it is the debug exporter now)',
  fix: 'rename it to debug (same settings: verbosity)',
};

/**
 * The ADOT Collector Lambda layer: a reduced build with one receiver and no processors.
 * Taken from the "ADOT Lambda Layer available components" table of the aws-otel-lambda README,
 * for the layers built on ADOT Collector for Lambda v0.43.0 (exporters listed there as
 * awsemfexporter, awsxrayexporter, prometheusremotewriteexporter, debugexporter, otlpexporter,
 * otlphttpexporter; the v0.32.0-era table had loggingexporter in place of debugexporter).
 */
export const ADOT_LAMBDA: Distribution = {
  name: 'ADOT Collector Lambda layer',
  sources: [
    'https://github.com/aws-observability/aws-otel-lambda#adot-lambda-layer-available-components (README, ADOT Collector for Lambda v0.43.0)',
    'https://aws-otel.github.io/docs/getting-started/lambda/lambda-custom-configuration',
  ],
  components: {
    receivers: ['otlp'],
    processors: [],
    exporters: ['awsemf', 'awsxray', 'prometheusremotewrite', 'debug', 'otlp', 'otlphttp'],
    extensions: ['sigv4auth'],
    connectors: [],
  },
  notes: { exporters: { logging: LOGGING_REMOVED } },
};

const ANNOUNCED_REMOVAL: ComponentNote = {
  severity: 'warning',
  message: 'ADOT announced the removal of this exporter from its collector',
  fix: 'send OTLP (otlphttp) to the vendor instead, or use the vendor’s own collector',
};

/**
 * The ADOT Collector (the image run as an ECS sidecar). No single published list covers the
 * current release, so this one is assembled from the sources below; check it again when moving
 * to a new ADOT release. Taken from the collector's component
 * registry, pkg/defaultcomponents/defaults.go in aws-observability/aws-otel-collector (the
 * stored version read: commit 226e8aa5f24935a1fe20ae03ea9e361ebe7a5e92), where filelog,
 * awscloudwatchlogs and file_storage sit behind the feature gates adot.receiver.filelog,
 * adot.exporter.awscloudwatchlogs and adot.extension.file_storage; the v0.35.0 image already
 * lists awscloudwatchlogs among its exporters without the gate (the error message quoted in
 * aws-otel-collector issue #2470). debug replaced logging in v0.42.0 (ADOT Collector v0.42.0
 * release blog, aws-otel-community pull request #1280). The README's notice announces the
 * removal of the datadog, logzio, sapm and signalfx exporters.
 */
export const ADOT_COLLECTOR: Distribution = {
  name: 'ADOT Collector',
  sources: [
    'https://github.com/aws-observability/aws-otel-collector/blob/226e8aa5f24935a1fe20ae03ea9e361ebe7a5e92/pkg/defaultcomponents/defaults.go',
    'https://github.com/aws-observability/aws-otel-collector#adot-collector-built-in-components',
    'https://github.com/aws-observability/aws-otel-collector/issues/2470 (valid exporters of v0.35.0)',
    'https://aws-otel.github.io/docs/ReleaseBlogs/aws-distro-for-opentelemetry-collector-v0.42.0 (logging -> debug)',
  ],
  components: {
    receivers: [
      'otlp',
      'awsecscontainermetrics',
      'awscontainerinsightreceiver',
      'awsxray',
      'statsd',
      'prometheus',
      'kafka',
      'jaeger',
      'zipkin',
      'filelog',
    ],
    processors: [
      'memory_limiter',
      'batch',
      'resourcedetection',
      'resource',
      'attributes',
      'filter',
      'span',
      'probabilistic_sampler',
      'tail_sampling',
      'groupbytrace',
      'metricstransform',
      'experimental_metricsgeneration',
      'cumulativetodelta',
      'deltatorate',
      'k8sattributes',
    ],
    exporters: [
      'awsxray',
      'awsemf',
      'awscloudwatchlogs',
      'otlp',
      'otlphttp',
      'debug',
      'prometheusremotewrite',
      'prometheus',
      'file',
      'kafka',
      'loadbalancing',
      'dynatrace',
      'datadog',
      'logzio',
      'sapm',
      'signalfx',
    ],
    extensions: [
      'health_check',
      'sigv4auth',
      'awsproxy',
      'ecs_observer',
      'pprof',
      'zpages',
      'memory_ballast',
      'file_storage',
    ],
    connectors: [],
  },
  notes: {
    exporters: {
      logging: LOGGING_REMOVED,
      datadog: ANNOUNCED_REMOVAL,
      logzio: ANNOUNCED_REMOVAL,
      sapm: ANNOUNCED_REMOVAL,
      signalfx: ANNOUNCED_REMOVAL,
    },
  },
};

/** `--target` values. Without one, the file is checked against the ADOT Collector. */
export const COLLECTOR_TARGETS = ['lambda', 'ecs'] as const;
export type CollectorTarget = (typeof COLLECTOR_TARGETS)[number];

/** The component list a target is checked against. */
export function getDistribution(target: CollectorTarget | undefined): Distribution {
  return target === 'lambda' ? ADOT_LAMBDA : ADOT_COLLECTOR;
}
