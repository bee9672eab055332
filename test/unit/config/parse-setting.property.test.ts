import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseEnvValue, resolveConfig, SETTINGS } from '../../../src/config/index.js';
import { detectRuntime } from '../../../src/runtime/index.js';

const LOCAL = detectRuntime({}, () => undefined);
const ALL_VARIABLES = SETTINGS.flatMap((setting) => [
  setting.env,
  ...(setting.standard ?? []).map((entry) => (typeof entry === 'string' ? entry : entry.name)),
]);

describe('environment parsing', () => {
  it('never throws for any text in any variable, and keeps the config usable', () => {
    fc.assert(
      fc.property(
        fc.dictionary(fc.constantFrom(...ALL_VARIABLES), fc.string({ unit: 'binary', maxLength: 200 }), {
          maxKeys: 8,
        }),
        (env) => {
          const { config, warnings } = resolveConfig({
            env,
            runtime: LOCAL,
            appPackage: { name: 'a', version: '1' },
          });
          expect(typeof config.serviceName).toBe('string');
          expect(config.serviceName.length).toBeGreaterThan(0);
          expect(Number.isFinite(config.tracing.samplerArg)).toBe(true);
          expect(config.tracing.samplerArg).toBeGreaterThanOrEqual(0);
          expect(config.tracing.samplerArg).toBeLessThanOrEqual(1);
          for (const warning of warnings) expect(ALL_VARIABLES).toContain(warning.variable);
        },
      ),
    );
  });

  it('parses every setting type without throwing', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...SETTINGS),
        fc.string({ unit: 'binary', maxLength: 100 }),
        (setting, raw) => {
          const result = parseEnvValue(setting, raw);
          expect(typeof result.ok).toBe('boolean');
        },
      ),
    );
  });
});
