// The vocabulary of `lookout check` and the LookoutChecks CDK Aspect: severities, findings and
// rule definitions. Plain data and types, shared by both front-ends (docs/decisions/0020-shared-template-checks.md).
import type { CfnTemplate, CheckedTemplate } from './checked-template.js';

/**
 * Severities, lowest first. The Security Hub controls' own severities are used where a rule
 * checks one; `info` is for notices that never fail a build unless asked (`--fail-on info`).
 *
 * @example
 * severityRank(SEVERITIES.high) > severityRank(SEVERITIES.medium); // true
 */
export const SEVERITIES = {
  info: 'info',
  low: 'low',
  medium: 'medium',
  high: 'high',
  critical: 'critical',
} as const;
export type Severity = (typeof SEVERITIES)[keyof typeof SEVERITIES];

const SEVERITY_ORDER: readonly Severity[] = ['info', 'low', 'medium', 'high', 'critical'];

/** A number that orders severities: info 0 … critical 4. */
export function severityRank(severity: Severity): number {
  return SEVERITY_ORDER.indexOf(severity);
}

/** Whether a string names a severity. */
export function isSeverity(value: string): value is Severity {
  return (SEVERITY_ORDER as readonly string[]).includes(value);
}

/**
 * The three ways a template is written, each with its own fix text: CDK code, a SAM resource
 * property, or a plain CloudFormation property.
 */
export const TEMPLATE_FORMS = { cdk: 'cdk', sam: 'sam', cloudformation: 'cloudformation' } as const;
export type TemplateForm = (typeof TEMPLATE_FORMS)[keyof typeof TEMPLATE_FORMS];

/** What to change, in each form. */
export type Fix = Readonly<Record<TemplateForm, string>>;

/** Where a rule comes from: a Security Hub control (named by its own id and title), or Lookout. */
export const RULE_SOURCES = { securityHub: 'security-hub', lookout: 'lookout' } as const;
export type RuleSource = (typeof RULE_SOURCES)[keyof typeof RULE_SOURCES];

/** What one rule reports about one resource. */
export interface RuleHit {
  /** The logical id of the resource to change. */
  readonly logicalId: string;
  /** What is wrong, with the values found. */
  readonly message: string;
  /** Overrides the rule's severity for this hit (a runtime that is only close to deprecation). */
  readonly severity?: Severity;
}

/** Settings every rule may read. */
export interface CheckOptions {
  /**
   * The shortest log retention accepted, in days (CloudWatch.16). A log group that never
   * expires passes.
   * @default 365
   */
  readonly minRetentionDays?: number;
  /**
   * The day runtime deprecation dates are compared with (Lambda.2).
   * @default today
   */
  readonly today?: Date;
  /**
   * How many days before a runtime's deprecation Lambda.2 starts giving an `info` notice.
   * @default 180
   */
  readonly runtimeNoticeDays?: number;
  /**
   * The other templates deployed with this one: its parent and nested stacks, the other stacks
   * of the cloud assembly. An alarm defined in one of them counts for Lookout.5, so a function in
   * a nested stack watched by an alarm in its parent is not reported.
   * @default none
   */
  readonly deployedWith?: readonly CfnTemplate[];
}

/** CheckOptions with every default filled in. */
export interface ResolvedCheckOptions {
  readonly minRetentionDays: number;
  readonly today: Date;
  readonly runtimeNoticeDays: number;
  /** `deployedWith`, prepared for the rules. */
  readonly deployedWith: readonly CheckedTemplate[];
}

/** A rule: its identity (the Security Hub control's own id and title where one exists), severity, fix and check. */
export interface RuleDefinition {
  /** `APIGateway.1` for a Security Hub control, `Lookout.N` for Lookout's own. */
  readonly id: string;
  /** The control's own title, word for word, or Lookout's rule title. */
  readonly title: string;
  readonly severity: Severity;
  readonly source: RuleSource;
  /** The Security Hub standards the control belongs to (empty for Lookout's own rules). */
  readonly standards: readonly string[];
  /** Security Hub controls that cover part of the same ground. */
  readonly related: readonly string[];
  /** The control's page in the Security Hub user guide (Lookout's own rules are in docs/security-controls.md). */
  readonly helpUrl?: string;
  /** The resource types the rule reads, as CloudFormation (and SAM) names them. */
  readonly resourceTypes: readonly string[];
  readonly fix: Fix;
  readonly evaluate: (template: CheckedTemplate, options: ResolvedCheckOptions) => readonly RuleHit[];
}

/** A suppression as written in a template: `Metadata.lookout.suppress: [{ id, reason }]`. */
export interface Suppression {
  readonly id: string;
  readonly reason: string;
}

/** One finding: a rule, a resource, what is wrong and what to change. */
export interface Finding {
  readonly ruleId: string;
  readonly title: string;
  readonly severity: Severity;
  readonly source: RuleSource;
  readonly standards: readonly string[];
  readonly helpUrl?: string;
  /** The logical id of the resource as written in the template (a SAM resource, not what SAM expands it to). */
  readonly logicalId: string;
  /** The logical id to point at in the file when the resource is not written out itself (SAM's implicit APIs). */
  readonly writtenAt?: string;
  readonly resourceType: string;
  readonly message: string;
  /** The form the resource is written in, and the fix in that form. */
  readonly form: TemplateForm;
  readonly fix: string;
  /** Set when the template suppresses this finding. */
  readonly suppressedBy?: Suppression;
}
