/** One TLS file setting of an OTLP target: a path, resolved like every other setting. */
export interface TlsFileRow<Path extends string> {
  readonly path: Path;
  readonly env: `LOOKOUT_${string}`;
  readonly standard: readonly string[];
  readonly type: 'string';
  readonly default: undefined;
  readonly defaultText: string;
  readonly description: string;
}

const KEYS = [
  ['certificate', 'CERTIFICATE'],
  ['clientCertificate', 'CLIENT_CERTIFICATE'],
  ['clientKey', 'CLIENT_KEY'],
] as const;

/**
 * The rows of OTEL_EXPORTER_OTLP_[signal_]CERTIFICATE, …CLIENT_CERTIFICATE and …CLIENT_KEY for
 * one target, made by one function (the rows differ only by prefix, and the settings table is
 * part of the core bundle). Without `texts`, each row defaults to the shared `otlp.…` row.
 *
 * @example
 * otlpTlsSettings('tracing.otlp', 'LOOKOUT_TRACES', 'TRACES_', 'traces');
 */
export function otlpTlsSettings<const Path extends string>(
  path: Path,
  env: `LOOKOUT_${string}`,
  signal: string,
  what: string,
  texts?: readonly (readonly [defaultText: string, description: string])[],
): readonly [
  TlsFileRow<`${Path}.certificate`>,
  TlsFileRow<`${Path}.clientCertificate`>,
  TlsFileRow<`${Path}.clientKey`>,
] {
  const rows = KEYS.map(([key, suffix], index) => ({
    path: `${path}.${key}`,
    env: `${env}_${suffix}` as const,
    standard: [`OTEL_EXPORTER_OTLP_${signal}${suffix}`],
    type: 'string' as const,
    default: undefined,
    defaultText: texts?.[index]?.[0] ?? `\`otlp.${key}\``,
    description: texts?.[index]?.[1] ?? `The \`otlp.${key}\` file for ${what} only.`,
  }));
  return rows as unknown as ReturnType<typeof otlpTlsSettings<Path>>;
}
