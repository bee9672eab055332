import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { dropRedundantNames } from '../../../scripts/lib/drop-redundant-names.mjs';

// esbuild's helper, as its bundles define it.
const HELPER =
  'var __defProp = Object.defineProperty; var __name = (target, value) => __defProp(target, "name", { value, configurable: true });';

/** Runs a script that sets `result` and returns the names it reports. */
function namesAfterRunning(code: string): unknown {
  const sandbox: { result?: unknown } = {};
  runInNewContext(`${HELPER}\n${code}`, sandbox);
  return sandbox.result;
}

/** The transform applied to `code`, with the names the original and the result report. */
function transform(code: string) {
  const dropped = dropRedundantNames(code, { module: false });
  return {
    ...dropped,
    before: namesAfterRunning(code),
    after: namesAfterRunning(dropped.code),
  };
}

describe('dropRedundantNames', () => {
  it('unwraps a closure assigned to a binding of the same name, in every call of the outer function', () => {
    const outcome = transform(`
      function makeFlush() { const flush = /* @__PURE__ */ __name(() => 1, "flush"); return flush; }
      __name(makeFlush, "makeFlush");
      result = [makeFlush().name, makeFlush.name];
    `);

    expect(outcome.after).toEqual(['flush', 'makeFlush']);
    expect(outcome.after).toEqual(outcome.before);
    expect(outcome.code).not.toContain('__name(() => 1');
    expect(outcome.code).not.toContain('@__PURE__');
    expect(outcome.code).not.toContain('__name(makeFlush');
    expect(outcome.removed).toBe(2);
  });

  it('keeps the wrappers that restore a name esbuild changed', () => {
    const outcome = transform(`
      function run2() {}
      __name(run2, "run");
      const roundMs2 = __name((value) => value, "roundMs");
      var Logger = class _Logger { static { __name(this, "Logger"); } };
      result = [run2.name, roundMs2.name, Logger.name];
    `);

    expect(outcome.after).toEqual(['run', 'roundMs', 'Logger']);
    expect(outcome.removed).toBe(0);
    expect(outcome.kept).toBe(3);
  });

  it('keeps a wrapper where the language gives no name: a member assignment, an argument', () => {
    const outcome = transform(`
      const target = {};
      target.handler = __name(() => 1, "handler");
      const list = [1].map(__name((value) => value, "double"));
      result = [target.handler.name, list.length];
    `);

    expect(outcome.after).toEqual(['handler', 1]);
    expect(outcome.removed).toBe(0);
  });

  it('unwraps object literal properties, class fields, plain assignments and nested closures', () => {
    const outcome = transform(`
      let assigned;
      assigned = __name(function () {}, "assigned");
      const outer = __name(() => { const inner = __name(() => 2, "inner"); return inner; }, "outer");
      const object = { reset: __name(() => 0, "reset"), "quoted": __name(() => 0, "quoted") };
      class Holder { field = __name(() => 0, "field"); }
      result = [assigned.name, outer.name, outer().name, object.reset.name, object.quoted.name, new Holder().field.name];
    `);

    expect(outcome.after).toEqual(['assigned', 'outer', 'inner', 'reset', 'quoted', 'field']);
    expect(outcome.after).toEqual(outcome.before);
    expect(outcome.code).not.toMatch(/__name\(/);
  });

  it('leaves a whole statement where it removes one, so a bare if body stays valid', () => {
    const outcome = transform(`
      function named() {}
      __name(named, "named")
      let ran = 0;
      if (ran === 0) ran = 1;
      result = [named.name, ran];
    `);

    expect(outcome.after).toEqual(['named', 1]);
    expect(outcome.removed).toBe(1);
  });
});
