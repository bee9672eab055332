// The rules of `lookout check` as a CDK Aspect: each finding becomes an annotation on the
// construct of the resource, an error at or above `failOn` (so `cdk synth` fails where the CLI
// would), a warning below it, and an info note for a suppressed finding with its reason.
import { Annotations, CfnElement, type IAspect, Stack } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import {
  type CheckOptions,
  checkTemplate,
  type Finding,
  type Severity,
  severityRank,
  TEMPLATE_FORMS,
  TEMPLATE_SCOPE,
} from '../checks/index.js';
import { stackTemplate } from './stack-template.js';

/** Options of LookoutChecks. */
export interface LookoutChecksProps extends CheckOptions {
  /**
   * Unsuppressed findings at or above this severity are errors (they fail `cdk synth`); those
   * below are warnings.
   * @default 'low'
   */
  readonly failOn?: Severity;
}

function annotationText(finding: Finding): string {
  return `[${finding.ruleId}] ${finding.title}: ${finding.message}. Set: ${finding.fix}`;
}

/**
 * The stacks deployed with `stack` as one: its top-level stack and every nested stack under it,
 * `stack` itself left out. Empty for a stack without nested stacks.
 */
function nestedFamily(stack: Stack): Stack[] {
  let root = stack;
  while (root.nestedStackParent !== undefined) root = root.nestedStackParent;
  return root.node.findAll().filter((child): child is Stack => Stack.isStack(child) && child !== stack);
}

/**
 * Checks every stack against the Security Hub controls that touch observability and Lookout's
 * wiring rules, the same rules as `lookout check`, and reports through CDK annotations.
 *
 * @example
 * import { Aspects } from 'aws-cdk-lib';
 * import { LookoutChecks } from 'lookout/cdk';
 * Aspects.of(app).add(new LookoutChecks());
 */
export class LookoutChecks implements IAspect {
  readonly #props: LookoutChecksProps;

  constructor(props: LookoutChecksProps = {}) {
    this.#props = props;
  }

  visit(node: IConstruct): void {
    if (!Stack.isStack(node)) return;
    const { failOn = 'low', ...options } = this.#props;
    const findings = checkTemplate(stackTemplate(node), {
      ...options,
      form: TEMPLATE_FORMS.cdk,
      deployedWith: nestedFamily(node).map(stackTemplate),
    });
    const constructs = new Map<string, IConstruct>();
    for (const child of node.node.findAll()) {
      // Elements of nested stacks belong to those stacks; each is visited as a stack itself.
      if (CfnElement.isCfnElement(child) && child.stack === node)
        constructs.set(node.resolve(child.logicalId) as string, child);
    }
    for (const finding of findings) {
      const target =
        finding.logicalId === TEMPLATE_SCOPE ? node : (constructs.get(finding.logicalId) ?? node);
      const annotations = Annotations.of(target);
      if (finding.suppressedBy !== undefined) {
        annotations.addInfo(`${annotationText(finding)} (suppressed: ${finding.suppressedBy.reason})`);
      } else if (severityRank(finding.severity) >= severityRank(failOn)) {
        annotations.addError(annotationText(finding));
      } else {
        annotations.addWarningV2(`lookout:${finding.ruleId}`, annotationText(finding));
      }
    }
  }
}
