// IAM identity policies: full administrative access (IAM.1), wildcard service actions (IAM.21),
// decryption with every KMS key (KMS.1 managed, KMS.2 inline), and other sensitive actions on
// every resource (Lookout.2).
import { controlUrl, STANDARDS } from '../controls.js';
import {
  actionMatches,
  type GrantStatement,
  grantStatements,
  onAllResources,
  POLICY_RESOURCE_TYPES,
} from '../policy-statements.js';
import type { Fix, RuleDefinition, RuleHit } from '../types.js';

const SCOPE_FIX: Fix = {
  cdk: 'grant with the resource’s own grant methods (bucket.grantRead(fn), key.grantDecrypt(fn)) or a PolicyStatement with specific actions and resource ARNs',
  sam: 'a SAM policy template (S3ReadPolicy, KMSDecryptPolicy, …) or a Statement with specific actions and resource ARNs in Policies',
  cloudformation: 'specific actions and resource ARNs in the policy statement',
};

function dedupe(hits: RuleHit[]): RuleHit[] {
  const seen = new Set<string>();
  return hits.filter((hit) => {
    const key = `${hit.logicalId}\n${hit.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

const isFullWildcard = (action: string): boolean => action === '*' || action === '*:*';

export const IAM_FULL_ADMIN: RuleDefinition = {
  id: 'IAM.1',
  title: 'IAM policies should not allow full "*" administrative privileges',
  severity: 'high',
  source: 'security-hub',
  standards: [STANDARDS.fsbp, STANDARDS.cis, STANDARDS.nist],
  related: [],
  helpUrl: controlUrl('IAM.1'),
  resourceTypes: POLICY_RESOURCE_TYPES,
  fix: SCOPE_FIX,
  evaluate(template) {
    return dedupe(
      grantStatements(template)
        .filter((statement) => statement.actions.some(isFullWildcard) && onAllResources(statement))
        .map((statement) => ({
          logicalId: statement.logicalId,
          message: 'allows Action "*" on Resource "*"',
        })),
    );
  },
};

export const IAM_SERVICE_WILDCARDS: RuleDefinition = {
  id: 'IAM.21',
  title: 'IAM customer managed policies that you create should not allow wildcard actions for services',
  severity: 'low',
  source: 'security-hub',
  standards: [STANDARDS.fsbp, STANDARDS.nist],
  related: [],
  helpUrl: controlUrl('IAM.21'),
  resourceTypes: POLICY_RESOURCE_TYPES,
  fix: SCOPE_FIX,
  evaluate(template) {
    return dedupe(
      grantStatements(template).flatMap((statement) =>
        statement.actions
          .filter((action) => /^[a-z0-9-]+:\*$/i.test(action))
          .map((action) => ({
            logicalId: statement.logicalId,
            message: `allows every action of a service: "${action}"`,
          })),
      ),
    );
  },
};

const DECRYPT_ACTIONS = ['kms:Decrypt', 'kms:ReEncryptFrom'];

function decryptWithEveryKey(statements: readonly GrantStatement[], kind: GrantStatement['kind']): RuleHit[] {
  return dedupe(
    statements
      .filter((statement) => statement.kind === kind && onAllResources(statement))
      .flatMap((statement) =>
        DECRYPT_ACTIONS.filter((action) =>
          statement.actions.some((pattern) => actionMatches(pattern, action)),
        ).map((action) => ({
          logicalId: statement.logicalId,
          message: `allows ${action} on every KMS key (Resource "*")`,
        })),
      ),
  );
}

export const KMS_DECRYPT_MANAGED: RuleDefinition = {
  id: 'KMS.1',
  title: 'IAM customer managed policies should not allow decryption actions on all KMS keys',
  severity: 'medium',
  source: 'security-hub',
  standards: [STANDARDS.fsbp, STANDARDS.nist],
  related: [],
  helpUrl: controlUrl('KMS.1'),
  resourceTypes: ['AWS::IAM::ManagedPolicy'],
  fix: SCOPE_FIX,
  evaluate: (template) => decryptWithEveryKey(grantStatements(template), 'managed'),
};

export const KMS_DECRYPT_INLINE: RuleDefinition = {
  id: 'KMS.2',
  title: 'IAM principals should not have IAM inline policies that allow decryption actions on all KMS keys',
  severity: 'medium',
  source: 'security-hub',
  standards: [STANDARDS.fsbp, STANDARDS.nist],
  related: [],
  helpUrl: controlUrl('KMS.2'),
  resourceTypes: POLICY_RESOURCE_TYPES.filter((type) => type !== 'AWS::IAM::ManagedPolicy'),
  fix: SCOPE_FIX,
  evaluate: (template) => decryptWithEveryKey(grantStatements(template), 'inline'),
};

/**
 * Actions that read secrets or data, hand out privileges or destroy evidence. On every resource
 * they let one compromised function reach everything of that kind in the account.
 */
export const SENSITIVE_ACTIONS = [
  'iam:PassRole',
  'iam:CreateAccessKey',
  'iam:AttachRolePolicy',
  'iam:PutRolePolicy',
  'sts:AssumeRole',
  'secretsmanager:GetSecretValue',
  'ssm:GetParameter',
  'ssm:GetParameters',
  'ssm:GetParametersByPath',
  's3:GetObject',
  's3:PutObject',
  's3:DeleteObject',
  'dynamodb:GetItem',
  'dynamodb:Scan',
  'dynamodb:Query',
  'dynamodb:PutItem',
  'dynamodb:DeleteItem',
  'logs:DeleteLogGroup',
  'logs:DeleteLogStream',
  'logs:PutRetentionPolicy',
  'logs:DisassociateKmsKey',
  'cloudtrail:StopLogging',
  'cloudtrail:DeleteTrail',
  'cloudtrail:UpdateTrail',
] as const;

export const SENSITIVE_ACTIONS_ON_ALL_RESOURCES: RuleDefinition = {
  id: 'Lookout.2',
  title: 'IAM policies should not allow sensitive actions on all resources',
  severity: 'medium',
  source: 'lookout',
  standards: [],
  related: ['IAM.1', 'KMS.1', 'KMS.2'],
  resourceTypes: POLICY_RESOURCE_TYPES,
  fix: SCOPE_FIX,
  evaluate(template) {
    return dedupe(
      grantStatements(template)
        .filter((statement) => onAllResources(statement) && !statement.actions.some(isFullWildcard))
        .flatMap((statement) => {
          const granted = SENSITIVE_ACTIONS.filter((action) =>
            statement.actions.some((pattern) => actionMatches(pattern, action)),
          );
          return granted.length === 0
            ? []
            : [{ logicalId: statement.logicalId, message: `allows ${granted.join(', ')} on Resource "*"` }];
        }),
    );
  },
};
