// Where evidence and alerts are kept: log group retention (CloudWatch.16) and KMS encryption
// (Lookout.1), SNS topic encryption (SNS.1), KMS key rotation (KMS.4).
import { propertiesOf, resourcesOfType } from '../checked-template.js';
import { controlUrl, STANDARDS } from '../controls.js';
import type { RuleDefinition, RuleHit } from '../types.js';
import { resolveBoolean, resolveNumber, resolveString, UNKNOWN } from '../values.js';

export const LOG_GROUP_RETENTION: RuleDefinition = {
  id: 'CloudWatch.16',
  title: 'CloudWatch log groups should be retained for a specified time period',
  severity: 'medium',
  source: 'security-hub',
  standards: [STANDARDS.nist],
  related: [],
  helpUrl: controlUrl('CloudWatch.16'),
  resourceTypes: ['AWS::Logs::LogGroup', 'Custom::LogRetention'],
  fix: {
    cdk: 'retention: logs.RetentionDays.ONE_YEAR (or longer) on the LogGroup',
    sam: 'RetentionInDays: 365 (or longer) on the AWS::Logs::LogGroup',
    cloudformation: 'RetentionInDays: 365 (or longer) on the AWS::Logs::LogGroup',
  },
  evaluate(template, options) {
    const hits: RuleHit[] = [];
    for (const [logicalId, resource] of resourcesOfType(
      template,
      'AWS::Logs::LogGroup',
      'Custom::LogRetention',
    )) {
      // No retention means the events never expire: the control passes those.
      const days = resolveNumber(propertiesOf(resource).RetentionInDays, template.parameters);
      if (days === undefined || days === UNKNOWN || days >= options.minRetentionDays) continue;
      hits.push({
        logicalId,
        message: `keeps log events ${days} days, under the ${options.minRetentionDays} required`,
      });
    }
    return hits;
  },
};

export const LOG_GROUP_ENCRYPTION: RuleDefinition = {
  id: 'Lookout.1',
  title: 'CloudWatch log groups should be encrypted with a KMS key',
  severity: 'low',
  source: 'lookout',
  standards: [],
  related: [],
  resourceTypes: ['AWS::Logs::LogGroup'],
  fix: {
    cdk: 'encryptionKey: a kms.Key with enableKeyRotation: true, whose policy lets logs.<region>.amazonaws.com use it (ServiceObservability: logGroup.encryptionKey)',
    sam: 'KmsKeyId: the ARN of a KMS key whose policy lets logs.<region>.amazonaws.com use it, on the AWS::Logs::LogGroup',
    cloudformation:
      'KmsKeyId: the ARN of a KMS key whose policy lets logs.<region>.amazonaws.com use it, on the AWS::Logs::LogGroup',
  },
  evaluate(template) {
    return resourcesOfType(template, 'AWS::Logs::LogGroup').flatMap(([logicalId, resource]): RuleHit[] =>
      propertiesOf(resource).KmsKeyId === undefined
        ? [
            {
              logicalId,
              message: 'log events are encrypted with CloudWatch Logs’ own key, not a KMS key you control',
            },
          ]
        : [],
    );
  },
};

export const SNS_TOPIC_ENCRYPTION: RuleDefinition = {
  id: 'SNS.1',
  title: 'SNS topics should be encrypted at-rest using AWS KMS',
  severity: 'medium',
  source: 'security-hub',
  // Retired from the FSBP standard in April 2024; still part of NIST SP 800-53 Rev. 5.
  standards: [STANDARDS.nist],
  related: [],
  helpUrl: controlUrl('SNS.1'),
  resourceTypes: ['AWS::SNS::Topic'],
  fix: {
    cdk: 'masterKey: a kms.Key on the Topic (ServiceObservability’s alert topics already have one)',
    sam: 'KmsMasterKeyId: a KMS key id or alias on the AWS::SNS::Topic',
    cloudformation: 'KmsMasterKeyId: a KMS key id or alias on the AWS::SNS::Topic',
  },
  evaluate(template) {
    return resourcesOfType(template, 'AWS::SNS::Topic').flatMap(([logicalId, resource]): RuleHit[] =>
      propertiesOf(resource).KmsMasterKeyId === undefined
        ? [{ logicalId, message: 'the topic is not encrypted with a KMS key (KmsMasterKeyId not set)' }]
        : [],
    );
  },
};

export const KMS_KEY_ROTATION: RuleDefinition = {
  id: 'KMS.4',
  title: 'AWS KMS key rotation should be enabled',
  severity: 'medium',
  source: 'security-hub',
  standards: [STANDARDS.cis, STANDARDS.nist],
  related: [],
  helpUrl: controlUrl('KMS.4'),
  resourceTypes: ['AWS::KMS::Key'],
  fix: {
    cdk: 'enableKeyRotation: true on the kms.Key',
    sam: 'EnableKeyRotation: true on the AWS::KMS::Key',
    cloudformation: 'EnableKeyRotation: true on the AWS::KMS::Key',
  },
  evaluate(template) {
    const hits: RuleHit[] = [];
    for (const [logicalId, resource] of resourcesOfType(template, 'AWS::KMS::Key')) {
      const properties = propertiesOf(resource);
      // Only symmetric keys with key material from KMS can rotate automatically.
      const spec = resolveString(properties.KeySpec, template.parameters);
      const origin = resolveString(properties.Origin, template.parameters);
      if (
        (spec !== undefined && spec !== 'SYMMETRIC_DEFAULT') ||
        (origin !== undefined && origin !== 'AWS_KMS')
      )
        continue;
      const rotation = resolveBoolean(properties.EnableKeyRotation, template.parameters);
      if (rotation === true || rotation === UNKNOWN) continue;
      hits.push({ logicalId, message: 'automatic key rotation is off' });
    }
    return hits;
  },
};
