// The settings table types the resolved values by path (checked by `npm run typecheck`, which
// covers test/): resolve-config.ts reads every value through `get(path)` with this type, so a
// path that is not in the table, or a value used as a type the table does not give, fails to
// compile.
import { describe, expect, expectTypeOf, it } from 'vitest';
import type { InstrumentationName, LogLevelName, SamplerName } from '../../../src/config/index.js';
import type { SettingPath, SettingValue } from '../../../src/config/settings/index.js';
import { SETTINGS } from '../../../src/config/settings/index.js';

describe('SettingValue', () => {
  it('gives each path the type its row parses to', () => {
    expectTypeOf<SettingValue<'enabled'>>().toEqualTypeOf<boolean>();
    expectTypeOf<SettingValue<'otlp.timeoutMs'>>().toEqualTypeOf<number>();
    expectTypeOf<SettingValue<'tracing.sampler'>>().toEqualTypeOf<SamplerName>();
    expectTypeOf<SettingValue<'logging.level'>>().toEqualTypeOf<LogLevelName>();
    expectTypeOf<SettingValue<'tracing.instrumentations'>>().toEqualTypeOf<readonly InstrumentationName[]>();
    expectTypeOf<SettingValue<'otlp.headers'>>().toEqualTypeOf<Readonly<Record<string, string>>>();
  });

  it('includes undefined only where a row has no default', () => {
    expectTypeOf<SettingValue<'serviceVersion'>>().toEqualTypeOf<string | undefined>();
    expectTypeOf<SettingValue<'metrics.namespace'>>().toEqualTypeOf<string>();
  });

  it('knows exactly the paths of the table', () => {
    expectTypeOf<'tracing.sampler'>().toExtend<SettingPath>();
    expectTypeOf<'tracing.no-such-setting'>().not.toExtend<SettingPath>();
    // Each path is in the table once, so a path names one row and one type.
    const paths = SETTINGS.map((setting) => setting.path);
    expect(paths.length).toBe(new Set(paths).size);
  });
});
