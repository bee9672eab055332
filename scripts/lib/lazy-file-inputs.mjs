// What a lazily loaded file of Lookout's own may carry (docs/decisions/0074-xray-exporter-loaded-when-chosen.md).

/**
 * The source files among a bundle's inputs that are not in `may`: Lookout's own modules (under
 * `src/`) other than the files and folders listed, relative to `src/` (a folder ends in `/`).
 * Inputs from packages are not Lookout's state and are not judged here.
 * @param {Iterable<string>} inputs  the bundle's inputs, as esbuild's metafile names them
 * @param {readonly string[]} may
 * @returns {string[]}
 */
export function inputsNotAllowed(inputs, may) {
  return [...inputs].filter(
    (input) =>
      input.startsWith('src/') &&
      !may.some((allowed) =>
        allowed.endsWith('/') ? input.startsWith(`src/${allowed}`) : input === `src/${allowed}`,
      ),
  );
}
