// Lambda: public access (Lambda.1), supported runtimes (Lambda.2), active tracing (Lambda.7).
import { propertiesOf, resourcesOfType } from '../checked-template.js';
import { controlUrl, STANDARDS } from '../controls.js';
import { LAMBDA_RUNTIME_DEPRECATIONS, LAMBDA_RUNTIMES_AS_OF } from '../lambda-runtimes.js';
import type { RuleDefinition, RuleHit } from '../types.js';
import {
  isIntrinsic,
  isObject,
  type JsonObject,
  type ParameterDefaults,
  refTargetOf,
  resolveString,
  UNKNOWN,
} from '../values.js';

const DAY_MS = 86_400_000;

/** How to turn active tracing on, for Lambda.7 and for the Lookout rule that builds on it. */
export const ACTIVE_TRACING_FIX: RuleDefinition['fix'] = {
  cdk: 'tracing: lambda.Tracing.ACTIVE on the Function',
  sam: 'Tracing: Active on the AWS::Serverless::Function (or Globals.Function)',
  cloudformation: 'TracingConfig: { Mode: Active } on the AWS::Lambda::Function',
};

/**
 * Why a function's tracing is not active: its `TracingConfig.Mode`, or `undefined` when unset
 * (PassThrough). `null` when it is active or cannot be resolved offline: nothing to report.
 */
export function inactiveTracingMode(
  properties: JsonObject,
  parameters: ParameterDefaults,
): string | undefined | null {
  const tracing = properties.TracingConfig;
  // `TracingConfig: !If [Traced, { Mode: Active }, !Ref AWS::NoValue]` is decided at deploy time.
  if (isIntrinsic(tracing)) return null;
  const mode = resolveString(isObject(tracing) ? tracing.Mode : undefined, parameters);
  return mode === 'Active' || mode === UNKNOWN ? null : mode;
}

/** The function a permission or URL is for: its logical id when the template defines it. */
function functionTarget(value: unknown, fallback: string): string {
  return refTargetOf(value) ?? fallback;
}

export const LAMBDA_PUBLIC_ACCESS: RuleDefinition = {
  id: 'Lambda.1',
  title: 'Lambda function policies should prohibit public access',
  severity: 'critical',
  source: 'security-hub',
  standards: [STANDARDS.fsbp, STANDARDS.nist],
  related: [],
  helpUrl: controlUrl('Lambda.1'),
  resourceTypes: ['AWS::Lambda::Permission', 'AWS::Lambda::Url'],
  fix: {
    cdk: 'grant invoke to a specific principal (fn.grantInvoke(principal)) with sourceArn/sourceAccount; FunctionUrlAuthType.AWS_IAM for function URLs',
    sam: 'FunctionUrlConfig.AuthType: AWS_IAM on the AWS::Serverless::Function; no AWS::Lambda::Permission with Principal "*"',
    cloudformation:
      'Principal: a service or account, with SourceArn or SourceAccount (SourceAccount for s3.amazonaws.com) on the AWS::Lambda::Permission; AuthType: AWS_IAM on the AWS::Lambda::Url',
  },
  evaluate(template) {
    const hits: RuleHit[] = [];
    for (const [logicalId, resource] of resourcesOfType(template, 'AWS::Lambda::Permission')) {
      const properties = propertiesOf(resource);
      const principal = resolveString(properties.Principal, template.parameters);
      const target = functionTarget(properties.FunctionName, logicalId);
      const scoped =
        properties.SourceArn !== undefined ||
        properties.SourceAccount !== undefined ||
        properties.PrincipalOrgID !== undefined;
      if (resolveString(properties.FunctionUrlAuthType, template.parameters) === 'NONE') {
        hits.push({
          logicalId: target,
          message: `permission ${logicalId} lets anyone call the function URL (FunctionUrlAuthType NONE)`,
        });
      } else if (principal === '*' && !scoped) {
        hits.push({
          logicalId: target,
          message: `permission ${logicalId} lets any principal invoke the function (Principal "*", no SourceArn, SourceAccount or PrincipalOrgID)`,
        });
      } else if (principal === 's3.amazonaws.com' && properties.SourceAccount === undefined) {
        hits.push({
          logicalId: target,
          message: `permission ${logicalId} lets Amazon S3 invoke the function without an AWS:SourceAccount condition (SourceAccount)`,
        });
      }
    }
    for (const [logicalId, resource] of resourcesOfType(template, 'AWS::Lambda::Url')) {
      const properties = propertiesOf(resource);
      if (resolveString(properties.AuthType, template.parameters) !== 'NONE') continue;
      hits.push({
        logicalId: functionTarget(properties.TargetFunctionArn, logicalId),
        message: `function URL ${logicalId} has AuthType NONE: anyone on the internet can invoke the function`,
      });
    }
    return hits;
  },
};

export const LAMBDA_SUPPORTED_RUNTIMES: RuleDefinition = {
  id: 'Lambda.2',
  title: 'Lambda functions should use supported runtimes',
  severity: 'medium',
  source: 'security-hub',
  standards: [STANDARDS.fsbp, STANDARDS.nist],
  related: [],
  helpUrl: controlUrl('Lambda.2'),
  resourceTypes: ['AWS::Lambda::Function'],
  fix: {
    cdk: 'runtime: lambda.Runtime.NODEJS_24_X (or the newest runtime of the function’s language)',
    sam: 'Runtime: nodejs24.x (or the newest runtime of the function’s language) on the function or Globals.Function',
    cloudformation:
      'Runtime: nodejs24.x (or the newest runtime of the function’s language) on the AWS::Lambda::Function',
  },
  evaluate(template, options) {
    const hits: RuleHit[] = [];
    for (const [logicalId, resource] of resourcesOfType(template, 'AWS::Lambda::Function')) {
      const properties = propertiesOf(resource);
      if (properties.PackageType === 'Image') continue;
      const runtime = resolveString(properties.Runtime, template.parameters);
      if (runtime === undefined || runtime === UNKNOWN) continue;
      const deprecation = LAMBDA_RUNTIME_DEPRECATIONS[runtime];
      if (deprecation === undefined) {
        hits.push({
          logicalId,
          severity: 'info',
          message: `runtime ${runtime} is not in Lookout's runtime table (as of ${LAMBDA_RUNTIMES_AS_OF}); check it is supported`,
        });
        continue;
      }
      const daysLeft = Math.floor(
        (Date.parse(`${deprecation}T00:00:00Z`) - options.today.getTime()) / DAY_MS,
      );
      if (daysLeft <= 0) {
        hits.push({ logicalId, message: `runtime ${runtime} was deprecated on ${deprecation}` });
      } else if (daysLeft <= options.runtimeNoticeDays) {
        hits.push({
          logicalId,
          severity: 'info',
          message: `runtime ${runtime} is deprecated on ${deprecation}, in ${daysLeft} days`,
        });
      }
    }
    return hits;
  },
};

export const LAMBDA_ACTIVE_TRACING: RuleDefinition = {
  id: 'Lambda.7',
  title: 'Lambda functions should have AWS X-Ray active tracing enabled',
  severity: 'low',
  source: 'security-hub',
  standards: [STANDARDS.nist],
  related: [],
  helpUrl: controlUrl('Lambda.7'),
  resourceTypes: ['AWS::Lambda::Function'],
  fix: ACTIVE_TRACING_FIX,
  evaluate(template) {
    const hits: RuleHit[] = [];
    for (const [logicalId, resource] of resourcesOfType(template, 'AWS::Lambda::Function')) {
      const mode = inactiveTracingMode(propertiesOf(resource), template.parameters);
      if (mode === null) continue;
      hits.push({ logicalId, message: `tracing mode is ${mode ?? 'PassThrough (not set)'}` });
    }
    return hits;
  },
};
