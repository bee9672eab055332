// Walks an acorn syntax tree: shared by the build's passes over esbuild's output
// (drop-redundant-names.mjs, require-packages-once.mjs).

/**
 * @typedef {import('acorn').AnyNode} AnyNode
 */

/**
 * @param {unknown} value
 * @returns {value is AnyNode}
 */
function isNode(value) {
  return (
    value !== null &&
    typeof value === 'object' &&
    typeof (/** @type {{ type?: unknown }} */ (value).type) === 'string'
  );
}

/**
 * Calls `enter` for every node, parents first, with its parent.
 * @param {AnyNode} node
 * @param {AnyNode | undefined} parent
 * @param {(node: AnyNode, parent: AnyNode | undefined) => void} enter
 */
export function visit(node, parent, enter) {
  enter(node, parent);
  const fields = /** @type {Record<string, unknown>} */ (/** @type {unknown} */ (node));
  for (const key in fields) {
    if (key === 'type' || key === 'start' || key === 'end') continue;
    const value = fields[key];
    for (const child of Array.isArray(value) ? value : [value]) if (isNode(child)) visit(child, node, enter);
  }
}
