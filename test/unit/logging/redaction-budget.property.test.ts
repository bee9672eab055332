import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createRedactionPolicy, jsonStringBytes, MARKERS } from '../../../src/logging/redaction/index.js';

// Property (issue "Never break, never leak", point 1): the cost of redacting a value is bounded
// by the value's size, never by its shape. Cost is counted, not timed: every object handed to
// the policy is a Proxy that counts the property reads the walk makes, so "linear" means the
// reads grow with the number of objects and links, and the output with the input's own bytes,
// whatever the sharing, width, depth or laziness of the graph.

interface Counter {
  reads: number;
}

/** Wraps an object so that every property read through it is counted. */
function counted<T extends object>(target: T, counter: Counter): T {
  return new Proxy(target, {
    get(object, key, receiver) {
      counter.reads += 1;
      return Reflect.get(object, key, receiver);
    },
  });
}

interface GraphSpec {
  /** For each node, the indexes of the nodes it links to (any index: sharing and cycles). */
  readonly links: readonly (readonly number[])[];
  /** A short text per node, its own payload. */
  readonly labels: readonly string[];
}

/** Builds the graph with every node wrapped once, so shared links point at one object. */
function buildGraph(spec: GraphSpec, counter: Counter): { root: unknown; inputBytes: number } {
  const raw = spec.labels.map((label, id) => ({ id, label, links: [] as unknown[] }));
  const wrapped = raw.map((node) => counted(node, counter));
  let inputBytes = 0;
  spec.links.forEach((targets, index) => {
    const node = raw[index] as (typeof raw)[number];
    for (const target of targets) node.links.push(wrapped[target % wrapped.length]);
    // The node's own bytes: its keys, id and label, and a few bytes per link it holds.
    inputBytes += 40 + jsonStringBytes(node.label) + 16 * targets.length;
  });
  return { root: { nodes: wrapped }, inputBytes };
}

const graphSpec: fc.Arbitrary<GraphSpec> = fc.integer({ min: 1, max: 120 }).chain((size) =>
  fc.record({
    links: fc.array(fc.array(fc.nat({ max: size - 1 }), { maxLength: 12 }), {
      minLength: size,
      maxLength: size,
    }),
    labels: fc.array(fc.string({ maxLength: 12 }), { minLength: size, maxLength: size }),
  }),
);

const policy = createRedactionPolicy();

describe('redaction cost is linear in the input (property)', () => {
  it('reads each object of any graph (shared links, cycles) a bounded number of times', () => {
    fc.assert(
      fc.property(graphSpec, (spec) => {
        const counter: Counter = { reads: 0 };
        const { root } = buildGraph(spec, counter);
        const links = spec.links.reduce((sum, targets) => sum + targets.length, 0);

        const out = JSON.stringify(policy.redact(root));

        // Per object: its keys, `toJSON`, and the `links` array's items once each.
        expect(counter.reads).toBeLessThanOrEqual(8 * spec.labels.length + 2 * links);
        expect(out.length).toBeGreaterThan(0);
      }),
      { numRuns: 150 },
    );
  });

  it('writes output no larger than the input itself plus a marker per extra link', () => {
    fc.assert(
      fc.property(graphSpec, (spec) => {
        const { root, inputBytes } = buildGraph(spec, { reads: 0 });

        const bytes = Buffer.byteLength(JSON.stringify(policy.redact(root)));

        expect(bytes).toBeLessThanOrEqual(inputBytes + 64);
      }),
      { numRuns: 150 },
    );
  });

  it('costs twice as much, not more, for a graph twice the size', () => {
    fc.assert(
      fc.property(graphSpec, (spec) => {
        const once: Counter = { reads: 0 };
        const twice: Counter = { reads: 0 };
        policy.redact(buildGraph(spec, once).root);
        const first = buildGraph(spec, twice).root as { nodes: unknown[] };
        const second = buildGraph(spec, twice).root as { nodes: unknown[] };

        policy.redact({ nodes: [...first.nodes, ...second.nodes] });

        expect(twice.reads).toBeLessThanOrEqual(2 * once.reads + 8);
      }),
      { numRuns: 100 },
    );
  });

  it('stops a wide object at the value budget whatever its width', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 20_000 }), (width) => {
        const counter: Counter = { reads: 0 };
        const wide = counted(
          Object.fromEntries(Array.from({ length: width }, (_, index) => [`k${index}`, index])),
          counter,
        );
        const budget = createRedactionPolicy({ maxLineValues: 1000 });

        const out = budget.redact({ wide }) as { wide: Record<string, unknown> };

        expect(Object.keys(out.wide).length).toBeLessThanOrEqual(1000);
        expect(counter.reads).toBeLessThanOrEqual(Math.min(width, 1000) + 2);
      }),
      { numRuns: 40 },
    );
  });

  it('walks a chain of any depth down to the depth limit only', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 50_000 }), (depth) => {
        const counter: Counter = { reads: 0 };
        let chain: object = { end: true };
        for (let level = 0; level < depth; level += 1) chain = counted({ next: chain }, counter);

        const out = JSON.stringify(policy.redact(chain));

        expect(counter.reads).toBeLessThanOrEqual(2 * 17);
        expect(out.length).toBeLessThan(1000);
      }),
      { numRuns: 40 },
    );
  });

  it('stops a lazy proxy that makes a new object on every read at the value budget', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 20 }), fc.integer({ min: 100, max: 5000 }), (width, budget) => {
        const counter: Counter = { reads: 0 };
        const keys = Array.from({ length: width }, (_, index) => `k${index}`);
        // Every read returns a fresh proxy: nothing is ever seen twice, only the budgets stop it.
        const lazy = (): object =>
          new Proxy(
            {},
            {
              ownKeys: () => keys,
              getOwnPropertyDescriptor: () => ({ enumerable: true, configurable: true }),
              get: () => {
                counter.reads += 1;
                return lazy();
              },
            },
          );
        const limited = createRedactionPolicy({ maxLineValues: budget });

        const out = JSON.stringify(limited.redact({ lazy: lazy() }));

        expect(counter.reads).toBeLessThanOrEqual(3 * budget);
        expect(out).toContain(width === 1 ? MARKERS.maxDepth : MARKERS.truncated);
      }),
      { numRuns: 40 },
    );
  });

  it('keeps every line within the byte budget, whatever the strings are made of', () => {
    fc.assert(
      fc.property(
        fc.array(fc.string({ unit: 'binary', minLength: 20, maxLength: 400 }), {
          minLength: 100,
          maxLength: 400,
        }),
        fc.integer({ min: 2000, max: 20_000 }),
        (texts, maxLineBytes) => {
          const limited = createRedactionPolicy({ maxLineBytes });

          const out = JSON.stringify(limited.redact({ texts, nested: { texts } }));

          expect(Buffer.byteLength(out)).toBeLessThanOrEqual(maxLineBytes);
        },
      ),
      { numRuns: 100 },
    );
  });

  it('measures a string exactly as JSON.stringify writes it in UTF-8', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (text) => {
        expect(jsonStringBytes(text)).toBe(Buffer.byteLength(JSON.stringify(text)));
      }),
      { numRuns: 2000 },
    );
  });

  it('cuts no line that fits its budget, however its strings are spelt', () => {
    fc.assert(
      fc.property(
        fc.array(fc.string({ unit: fc.constantFrom('a', 'Z', ' ', 'é', '日', '\n', '"'), maxLength: 300 }), {
          maxLength: 300,
        }),
        (texts) => {
          // A budget the value fits with a little room: nothing may be cut.
          const room = 200;
          const limited = createRedactionPolicy({
            maxLineBytes: Buffer.byteLength(JSON.stringify({ texts })) + room + 64,
          });

          expect(limited.redact({ texts })).toEqual({ texts });
        },
      ),
      { numRuns: 100 },
    );
  });
});
