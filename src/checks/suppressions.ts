// Suppressions live in the template, next to what they excuse:
//   Metadata: { lookout: { suppress: [{ id: 'Lambda.1', reason: 'a public webhook' }] } }
// on a resource (that resource only) or at the template's top level (every resource). A reason
// is required: a suppression without one suppresses nothing and is itself reported (Lookout.0).
import type { Fix, RuleDefinition, RuleHit, Suppression } from './types.js';
import { asList, isObject, type JsonObject } from './values.js';

/** Where a template's suppressions are read from: `Metadata.lookout.suppress`. */
export const SUPPRESSION_METADATA_KEY = 'lookout';

/** A suppression entry that cannot be honoured, with why. */
export interface SuppressionProblem {
  readonly logicalId: string | undefined;
  readonly message: string;
}

/** The valid suppressions of one Metadata object, and what is wrong with the others. */
export function readSuppressions(
  metadata: JsonObject | undefined,
  logicalId: string | undefined,
  knownRuleIds: ReadonlySet<string>,
): { suppressions: Suppression[]; problems: SuppressionProblem[] } {
  const suppressions: Suppression[] = [];
  const problems: SuppressionProblem[] = [];
  const lookout = metadata?.[SUPPRESSION_METADATA_KEY];
  if (lookout === undefined) return { suppressions, problems };
  const entries = isObject(lookout) ? lookout.suppress : undefined;
  if (!Array.isArray(entries)) {
    problems.push({ logicalId, message: 'Metadata.lookout.suppress must be a list of { id, reason }' });
    return { suppressions, problems };
  }
  for (const entry of asList(entries)) {
    const id = isObject(entry) && typeof entry.id === 'string' ? entry.id.trim() : '';
    const reason = isObject(entry) && typeof entry.reason === 'string' ? entry.reason.trim() : '';
    if (id === '') {
      problems.push({ logicalId, message: 'a suppression has no id (the rule id, e.g. "Lambda.7")' });
    } else if (reason === '') {
      problems.push({
        logicalId,
        message: `the suppression of ${id} has no reason: it suppresses nothing until it says why`,
      });
    } else if (!knownRuleIds.has(id)) {
      problems.push({ logicalId, message: `the suppression of ${id} names no rule lookout check knows` });
    } else {
      suppressions.push({ id, reason });
    }
  }
  return { suppressions, problems };
}

const SUPPRESSION_FIX: Fix = {
  cdk: 'suppressLookoutCheck(construct, { id, reason }) from lookout/cdk, with a rule id and a reason',
  sam: 'Metadata: { lookout: { suppress: [{ id: <rule id>, reason: <why> }] } } on the resource',
  cloudformation: 'Metadata: { lookout: { suppress: [{ id: <rule id>, reason: <why> }] } } on the resource',
};

/** The rule that reports suppressions that cannot be honoured. Evaluated by checkTemplate, not from the template's resources. */
export const SUPPRESSION_RULE: RuleDefinition = {
  id: 'Lookout.0',
  title: 'Suppressions should name a rule and give a reason',
  severity: 'high',
  source: 'lookout',
  standards: [],
  related: [],
  resourceTypes: [],
  fix: SUPPRESSION_FIX,
  evaluate: (): readonly RuleHit[] => [],
};
