import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { requirePackagesOnce } from '../../../scripts/lib/require-packages-once.mjs';

/**
 * Runs a CommonJS script with a `require` that counts its calls and hands out one object per
 * specifier, as Node's module cache does; returns what the script set as `result` and the counts.
 */
function run(code: string) {
  const calls: Record<string, number> = {};
  const modules: Record<string, object> = {};
  // `result` exists before the script runs: the scripts are strict, where assigning an
  // undeclared name throws.
  const sandbox: { result: unknown; require: (specifier: string) => object } = {
    result: undefined,
    require: (specifier) => {
      calls[specifier] = (calls[specifier] ?? 0) + 1;
      modules[specifier] ??= { specifier };
      return modules[specifier];
    },
  };
  runInNewContext(code, sandbox);
  return { result: sandbox.result, calls };
}

describe('requirePackagesOnce', () => {
  it('requires a package the bundle requires many times once, handing out the same module', () => {
    const bundle = `"use strict";
      var a = require("@opentelemetry/api");
      function later() { return require("@opentelemetry/api"); }
      var b = require("@opentelemetry/api").trace;
      result = [a === later(), a.specifier, b];`;
    const once = requirePackagesOnce(bundle);

    expect(run(bundle)).toEqual({
      result: [true, '@opentelemetry/api', undefined],
      calls: { '@opentelemetry/api': 3 },
    });
    expect(run(once.code)).toEqual({
      result: [true, '@opentelemetry/api', undefined],
      calls: { '@opentelemetry/api': 1 },
    });
    expect(once).toMatchObject({ replaced: 3, packages: ['@opentelemetry/api'] });
  });

  it('leaves builtins, relative files and packages required once as they are', () => {
    const bundle = `"use strict";
      var p1 = require("node:path"), p2 = require("node:path");
      var u1 = require("util"), u2 = require("util");
      var l1 = require("./lazy/x.js"), l2 = require("./lazy/x.js");
      var e = require("express");
      result = 0;`;
    const once = requirePackagesOnce(bundle);

    expect(once).toEqual({ code: bundle, replaced: 0, packages: [] });
  });

  it('keeps "use strict" a directive and a hashbang the first line', () => {
    const bundle = `#!/usr/bin/env node
"use strict";
var a = require("a"), b = require("a");
result = (function () { return this === undefined; })();`;
    const once = requirePackagesOnce(bundle);

    expect(once.code.startsWith('#!/usr/bin/env node\n"use strict";\n')).toBe(true);
    // Strict: a plain call's `this` is undefined. Run without the hashbang, which vm refuses.
    expect(run(once.code.slice(once.code.indexOf('\n') + 1))).toEqual({ result: true, calls: { a: 1 } });
  });

  it('refuses a bundle that binds a require of its own', () => {
    const bundle = `"use strict";
      var a = require("a");
      (function (require) { return require("a"); })(() => 1);`;

    expect(() => requirePackagesOnce(bundle)).toThrow(/binds a `require` of its own/);
  });

  it('refuses a require bound by destructuring too', () => {
    for (const binding of ['{ require }', '{ a: [require] }', '{ ...require }', '[, require = 1]']) {
      const bundle = `"use strict";
        var a = require("a");
        (function (${binding}) { return require("a"); })({});`;

      expect(() => requirePackagesOnce(bundle), binding).toThrow(/binds a `require` of its own/);
    }
  });
});
