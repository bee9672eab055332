// Suppressions in CDK code: written to the resource's CloudFormation metadata, where the CLI
// and the Aspect both read them (`Metadata.lookout.suppress`).
import { CfnResource, Stack } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { SUPPRESSION_METADATA_KEY, type Suppression } from '../checks/index.js';

function withSuppression(existing: unknown, suppression: Suppression): Record<string, unknown> {
  const current =
    typeof existing === 'object' && existing !== null ? (existing as Record<string, unknown>) : {};
  const list = Array.isArray(current.suppress) ? current.suppress : [];
  return { ...current, suppress: [...list, { id: suppression.id, reason: suppression.reason }] };
}

/**
 * Suppresses one `lookout check` rule on a resource (an L2 construct's default resource, or a
 * CfnResource), or on every resource of a stack, with the reason it is acceptable. The reason is
 * required; both the CLI and LookoutChecks list it.
 *
 * @example
 * suppressLookoutCheck(webhookFunction, { id: 'Lambda.1', reason: 'A public webhook; the handler verifies the signature.' });
 */
export function suppressLookoutCheck(scope: IConstruct, suppression: Suppression): void {
  if (suppression.reason.trim() === '')
    throw new Error(`lookout/cdk: the suppression of ${suppression.id} needs a reason`);
  if (Stack.isStack(scope)) {
    scope.addMetadata(
      SUPPRESSION_METADATA_KEY,
      withSuppression(scope.templateOptions.metadata?.[SUPPRESSION_METADATA_KEY], suppression),
    );
    return;
  }
  const resource = CfnResource.isCfnResource(scope) ? scope : scope.node.defaultChild;
  if (resource === undefined || !CfnResource.isCfnResource(resource))
    throw new Error(
      `lookout/cdk: ${scope.node.path} has no CloudFormation resource of its own; pass the resource (or its L1 construct)`,
    );
  resource.addMetadata(
    SUPPRESSION_METADATA_KEY,
    withSuppression(resource.getMetadata(SUPPRESSION_METADATA_KEY), suppression),
  );
}
