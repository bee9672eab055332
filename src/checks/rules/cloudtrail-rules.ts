// CloudTrail, when the template defines a trail: multi-Region with read and write management
// events (CloudTrail.1) and log file validation (CloudTrail.4).
import { propertiesOf, resourcesOfType } from '../checked-template.js';
import { controlUrl, STANDARDS } from '../controls.js';
import type { RuleDefinition, RuleHit } from '../types.js';
import { asList, isObject, resolveBoolean, resolveString, UNKNOWN } from '../values.js';

export const CLOUDTRAIL_MULTI_REGION: RuleDefinition = {
  id: 'CloudTrail.1',
  title:
    'CloudTrail should be enabled and configured with at least one multi-Region trail that includes read and write management events',
  severity: 'high',
  source: 'security-hub',
  standards: [STANDARDS.fsbp, STANDARDS.cis, STANDARDS.nist],
  related: [],
  helpUrl: controlUrl('CloudTrail.1'),
  resourceTypes: ['AWS::CloudTrail::Trail'],
  fix: {
    cdk: 'isMultiRegionTrail: true and managementEvents: cloudtrail.ReadWriteType.ALL on the Trail',
    sam: 'IsMultiRegionTrail: true, IsLogging: true and management events with ReadWriteType All on the AWS::CloudTrail::Trail',
    cloudformation:
      'IsMultiRegionTrail: true, IsLogging: true and management events with ReadWriteType All on the AWS::CloudTrail::Trail',
  },
  evaluate(template) {
    const hits: RuleHit[] = [];
    for (const [logicalId, resource] of resourcesOfType(template, 'AWS::CloudTrail::Trail')) {
      const properties = propertiesOf(resource);
      const problems: string[] = [];
      const multiRegion = resolveBoolean(properties.IsMultiRegionTrail, template.parameters);
      if (multiRegion !== true && multiRegion !== UNKNOWN) problems.push('it records one Region only');
      if (resolveBoolean(properties.IsLogging, template.parameters) === false)
        problems.push('logging is off');
      // Without event selectors a trail records read and write management events.
      const selectors = asList(properties.EventSelectors).filter(isObject);
      if (selectors.length > 0) {
        const all = selectors.some(
          (selector) =>
            resolveBoolean(selector.IncludeManagementEvents, template.parameters) !== false &&
            // A type known only at deploy time gets the benefit of the doubt.
            [undefined, UNKNOWN, 'All'].includes(resolveString(selector.ReadWriteType, template.parameters)),
        );
        if (!all) problems.push('no event selector records both read and write management events');
      }
      if (problems.length > 0) hits.push({ logicalId, message: problems.join('; ') });
    }
    return hits;
  },
};

export const CLOUDTRAIL_LOG_FILE_VALIDATION: RuleDefinition = {
  id: 'CloudTrail.4',
  title: 'CloudTrail log file validation should be enabled',
  severity: 'low',
  source: 'security-hub',
  standards: [STANDARDS.fsbp, STANDARDS.cis, STANDARDS.nist],
  related: [],
  helpUrl: controlUrl('CloudTrail.4'),
  resourceTypes: ['AWS::CloudTrail::Trail'],
  fix: {
    cdk: 'enableFileValidation: true on the Trail (the default of cloudtrail.Trail)',
    sam: 'EnableLogFileValidation: true on the AWS::CloudTrail::Trail',
    cloudformation: 'EnableLogFileValidation: true on the AWS::CloudTrail::Trail',
  },
  evaluate(template) {
    return resourcesOfType(template, 'AWS::CloudTrail::Trail').flatMap(([logicalId, resource]): RuleHit[] => {
      const enabled = resolveBoolean(propertiesOf(resource).EnableLogFileValidation, template.parameters);
      return enabled === true || enabled === UNKNOWN
        ? []
        : [{ logicalId, message: 'log file validation is off: nobody can prove the logs were not changed' }];
    });
  },
};
