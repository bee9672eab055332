// The IAM identity-policy statements a template grants, wherever they are written: managed
// policies, inline policies and the inline policies of roles, users and groups (and of SAM
// functions, expanded into roles). Resource policies (key policies, topic policies) are not
// identity policies and are not read.
import { type CheckedTemplate, propertiesOf } from './checked-template.js';
import { asList, isObject, type JsonObject } from './values.js';

/** One Allow statement with its actions and resources as written. */
export interface GrantStatement {
  /** The resource that holds the policy. */
  readonly logicalId: string;
  /** `managed` for AWS::IAM::ManagedPolicy, `inline` otherwise (KMS.1 and KMS.2 tell them apart). */
  readonly kind: 'managed' | 'inline';
  readonly actions: readonly string[];
  readonly resources: readonly unknown[];
}

const INLINE_POLICY_TYPES = [
  'AWS::IAM::Policy',
  'AWS::IAM::RolePolicy',
  'AWS::IAM::UserPolicy',
  'AWS::IAM::GroupPolicy',
];
const PRINCIPAL_TYPES = ['AWS::IAM::Role', 'AWS::IAM::User', 'AWS::IAM::Group'];

/** The resource types whose identity policies the IAM rules read. */
export const POLICY_RESOURCE_TYPES = ['AWS::IAM::ManagedPolicy', ...INLINE_POLICY_TYPES, ...PRINCIPAL_TYPES];

function allowStatements(
  logicalId: string,
  kind: GrantStatement['kind'],
  document: unknown,
): GrantStatement[] {
  if (!isObject(document)) return [];
  return asList(document.Statement)
    .filter((statement): statement is JsonObject => isObject(statement) && statement.Effect === 'Allow')
    .map((statement) => ({
      logicalId,
      kind,
      actions: asList(statement.Action).filter((action): action is string => typeof action === 'string'),
      resources: asList(statement.Resource),
    }));
}

/** Every Allow statement of every identity policy in the template. */
export function grantStatements(template: CheckedTemplate): GrantStatement[] {
  const found: GrantStatement[] = [];
  // Appended one by one: a policy of a few hundred thousand statements spread as call arguments
  // would overflow the call stack (RangeError).
  const add = (statements: readonly GrantStatement[]) => {
    for (const statement of statements) found.push(statement);
  };
  for (const [logicalId, resource] of template.resources) {
    const properties = propertiesOf(resource);
    if (resource.Type === 'AWS::IAM::ManagedPolicy') {
      add(allowStatements(logicalId, 'managed', properties.PolicyDocument));
    } else if (INLINE_POLICY_TYPES.includes(resource.Type)) {
      add(allowStatements(logicalId, 'inline', properties.PolicyDocument));
    } else if (PRINCIPAL_TYPES.includes(resource.Type)) {
      for (const policy of asList(properties.Policies).filter(isObject))
        add(allowStatements(logicalId, 'inline', policy.PolicyDocument));
    }
  }
  return found;
}

/**
 * Whether an IAM action pattern (`s3:Get*`, `kms:*`, `*`) matches an action (`s3:GetObject`), as
 * IAM compares them: case-insensitively, `*` any run of characters, `?` one character.
 *
 * A glob walk, not a regular expression: a pattern is the template author's text, and
 * `**********#` turned into `.*.*.*…#` backtracks through every way of splitting the action
 * among the stars, which hung `lookout check` on a 40-star action. Going back only to the last
 * star seen keeps the walk within pattern length × action length steps.
 */
export function actionMatches(pattern: string, action: string): boolean {
  const glob = pattern.toLowerCase();
  const text = action.toLowerCase();
  let g = 0;
  let t = 0;
  let star = -1; // position in glob of the last `*` seen
  let resume = 0; // where in text that star's run ends for now
  while (t < text.length) {
    if (glob[g] === '*') {
      star = g++;
      resume = t;
    } else if (g < glob.length && (glob[g] === '?' || glob[g] === text[t])) {
      g++;
      t++;
    } else if (star !== -1) {
      // Let the last star take one more character and match the rest again from there.
      g = star + 1;
      resume++;
      t = resume;
    } else return false;
  }
  while (g < glob.length && glob[g] === '*') g++;
  return g === glob.length;
}

/** Whether a statement's resources include all resources (`"*"`). */
export function onAllResources(statement: GrantStatement): boolean {
  return statement.resources.includes('*');
}
