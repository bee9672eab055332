import { SDK_INFO } from '@opentelemetry/core';
import { VERSION } from '../version.js';
import type { SdkIdentity } from './create-resource-attributes.js';

/**
 * The `telemetry.sdk.*` and `telemetry.distro.*` facts every signal's resource carries: the
 * OpenTelemetry SDK's own, and Lookout as the distribution.
 */
export function getLookoutSdkIdentity(): SdkIdentity {
  return {
    language: String(SDK_INFO['telemetry.sdk.language'] ?? 'nodejs'),
    name: String(SDK_INFO['telemetry.sdk.name'] ?? 'opentelemetry'),
    version: String(SDK_INFO['telemetry.sdk.version'] ?? ''),
    distroName: 'lookout',
    distroVersion: VERSION,
  };
}
