import { describe, expect, it } from 'vitest';
import { inputsNotAllowed } from '../../../scripts/lib/lazy-file-inputs.mjs';

describe('inputsNotAllowed', () => {
  const may = ['tracing/xray/', 'runtime/env.ts'];

  it('passes listed files, files under listed folders, and packages', () => {
    expect(
      inputsNotAllowed(
        [
          'src/tracing/xray/map-span.ts',
          'src/runtime/env.ts',
          'node_modules/@opentelemetry/core/build/esm/index.js',
          'shared-error-handler:@opentelemetry/core',
        ],
        may,
      ),
    ).toEqual([]);
  });

  it('names every other source file, such as a module that holds the core state', () => {
    expect(
      inputsNotAllowed(
        [
          'src/diag/diagnostics.ts',
          'src/runtime/env.ts',
          'src/runtime/env.test-double.ts',
          'src/tracing/xray-sampling/rule-state.ts',
        ],
        may,
      ),
    ).toEqual([
      'src/diag/diagnostics.ts',
      'src/runtime/env.test-double.ts',
      'src/tracing/xray-sampling/rule-state.ts',
    ]);
  });
});
