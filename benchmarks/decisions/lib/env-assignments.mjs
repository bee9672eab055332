// `NAME=VALUE` command-line arguments as an environment, for the decision scripts that run a
// variant with variables of their own on top (request-cpu-ab.mjs's arms, request-instructions.mjs's
// --env).

/**
 * The assignments as an environment object; a value may be empty, a name may not.
 * @param {readonly string[]} assignments NAME=VALUE
 * @returns {Record<string, string>}
 */
export function envFromAssignments(assignments) {
  return Object.fromEntries(
    assignments.map((assignment) => {
      const equals = assignment.indexOf('=');
      if (equals < 1) throw new Error(`expected NAME=VALUE, got ${assignment}`);
      return [assignment.slice(0, equals), assignment.slice(equals + 1)];
    }),
  );
}
