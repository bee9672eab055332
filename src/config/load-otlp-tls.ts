import { diagnostics } from '../diag/index.js';
import { ERROR_CODES } from '../errors/index.js';
import type { OtlpTlsOptions, TlsProblem } from './read-otlp-tls-files.js';
import type { OtlpTarget } from './resolve-config.js';

export type { OtlpTlsOptions } from './read-otlp-tls-files.js';

const NO_TLS: OtlpTlsOptions = Object.freeze({});

// Keyed by the frozen target: start-up reads the files (and reports them) once, and the
// exporter, made later (the span exporter at its first export), gets the same bytes.
const loaded = new WeakMap<OtlpTarget, OtlpTlsOptions>();

/** One warning per file and problem, however many signals share the file. */
const warn: TlsProblem = (file, problem, consequence, what) => {
  diagnostics.warnOnce(
    `otlp-tls:${file.from}:${file.path}:${problem}`,
    ERROR_CODES.ENV_INVALID,
    `${file.from}=${JSON.stringify(file.path)}: the ${what} file ${problem}; ${consequence}.`,
  );
};

/**
 * Reads the CA and client certificate files of an OTLP target, once, and checks that Node can
 * use them (OTEL_EXPORTER_OTLP_CERTIFICATE, …_CLIENT_CERTIFICATE, …_CLIENT_KEY and the
 * signal's own). A file that cannot be used is reported once and left out, as OpenTelemetry's
 * own exporters do: without the CA file Node's built-in CAs verify the collector, without the
 * client pair no client certificate is offered. Nothing is read, and nothing is loaded, when
 * no file is set or the endpoint is not `https:` (docs/configuration.md, "TLS to the collector").
 *
 * @example
 * new https.Agent({ keepAlive: true, ...loadOtlpTls(config.tracing.otlp) });
 */
export function loadOtlpTls(target: OtlpTarget): OtlpTlsOptions {
  const cached = loaded.get(target);
  if (cached !== undefined) return cached;
  const { certificate, clientCertificate, clientKey } = target.tls;
  let options = NO_TLS;
  if (certificate !== undefined || clientCertificate !== undefined || clientKey !== undefined) {
    // Only a configuration that names a file loads the reader (and node:crypto, node:tls); in
    // the CommonJS build it is a file of its own under dist/cjs/lazy/ (scripts/build.mjs).
    const { readOtlpTlsFiles } =
      require('./read-otlp-tls-files.js') as typeof import('./read-otlp-tls-files.js');
    options = readOtlpTlsFiles(target, warn);
  }
  loaded.set(target, options);
  return options;
}
