// The one place Lookout reads a private member of aws-cdk-lib: the stack's template as
// CloudFormation would receive it. `Stack._toCloudFormation()` is what the CDK itself writes to
// cdk.out (Stack._synthesizeTemplate); the LookoutChecks Aspect runs the same rules over it as
// `lookout check` runs over the file. A contract test (test/cdk/stack-template.test.ts) fails if
// the member goes away or stops matching the synthesized file.
import type { Stack } from 'aws-cdk-lib';
import type { CfnTemplate } from '../checks/index.js';

interface StackInternals {
  _toCloudFormation(): unknown;
}

/**
 * The stack's resolved template, as `cdk synth` would write it.
 *
 * @example
 * const template = stackTemplate(Stack.of(construct));
 */
export function stackTemplate(stack: Stack): CfnTemplate {
  const internals = stack as unknown as Partial<StackInternals>;
  if (typeof internals._toCloudFormation !== 'function')
    throw new Error(
      'lookout/cdk: this aws-cdk-lib has no Stack._toCloudFormation(); LookoutChecks cannot read the template',
    );
  return internals._toCloudFormation() as CfnTemplate;
}
