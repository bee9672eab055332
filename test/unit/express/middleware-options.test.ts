import { describe, expect, it } from 'vitest';
import { LookoutConfigError } from '../../../src/errors/index.js';
import { auditMiddleware } from '../../../src/express/audit-middleware.js';
import { observe } from '../../../src/express/observe.js';
import { securityMonitor } from '../../../src/express/security/security-monitor.js';

// A list of paths given in code is checked when the middleware is created, as init() checks its
// options: a string (written the way LOOKOUT_EXCLUDED_PATHS is) used to be read character by
// character, and its `*` excluded every request from the access log, metrics or audit trail.

const forms = [
  {
    option: 'observe.excludedPaths',
    create: (paths: unknown) => observe({ excludedPaths: paths as string[] }),
  },
  {
    option: 'auditMiddleware.excludePaths',
    create: (paths: unknown) => auditMiddleware({ excludePaths: paths as string[] }),
  },
];

describe('middleware path lists', () => {
  it.each(forms)('$option refuses a comma-separated string, naming the option', ({ option, create }) => {
    // Prepare
    const paths = '/internal/*,/metrics';

    // Act
    const creating = () => create(paths);

    // Assess
    expect(creating).toThrow(LookoutConfigError);
    expect(creating).toThrow(`"${option}": received "/internal/*,/metrics"`);
  });

  it.each(forms)('$option refuses a list holding something other than paths', ({ create }) => {
    expect(() => create(['/health', 42])).toThrow(LookoutConfigError);
    // A hole, which every() skips, reached the path matcher as undefined (a TypeError).
    // biome-ignore lint/suspicious/noSparseArray: the hole is the input under test
    expect(() => create(['/health', , '/ready'])).toThrow(LookoutConfigError);
  });

  it.each(forms)('$option takes a list of paths, or nothing', ({ create }) => {
    expect(typeof create(['/health', '/internal/*'])).toBe('function');
    expect(typeof create(undefined)).toBe('function');
  });
});

describe('securityMonitor disabledRules', () => {
  it.each([
    ['a misspelled rule id', ['path-traversal-dep']],
    ['a string for the list', 'path-traversal-deep'],
    ['a list holding something other than ids', [42]],
  ])('refuses %s, naming the option, rather than turning nothing off', (_case, disabledRules) => {
    // Act
    const creating = () => securityMonitor({ disabledRules: disabledRules as string[] });

    // Assess
    expect(creating).toThrow(LookoutConfigError);
    expect(creating).toThrow('"securityMonitor.disabledRules"');
  });

  it('takes a list of known rule ids, or nothing', () => {
    expect(typeof securityMonitor({ disabledRules: ['path-traversal-deep', 'sqli-tautology'] })).toBe(
      'function',
    );
    expect(typeof securityMonitor({})).toBe('function');
  });
});
