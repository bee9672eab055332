// Runs every rule over one parsed template and applies the template's suppressions.
import {
  type CfnResource,
  type CfnTemplate,
  type CheckedTemplate,
  isCfnResource,
  parameterDefaults,
  type ResourceOrigin,
  usesSamTransform,
} from './checked-template.js';
import { expandSam } from './expand-sam.js';
import { RULES } from './rules/index.js';
import { readSuppressions, SUPPRESSION_RULE } from './suppressions.js';
import {
  type CheckOptions,
  type Finding,
  type ResolvedCheckOptions,
  type RuleDefinition,
  type Severity,
  type Suppression,
  severityRank,
  TEMPLATE_FORMS,
  type TemplateForm,
} from './types.js';
import { isObject } from './values.js';

/** The logical id findings about the template as a whole carry. */
export const TEMPLATE_SCOPE = '(template)';

/** The default of CheckOptions.minRetentionDays: a year, as the CloudWatch.16 control's own default. */
export const DEFAULT_MIN_RETENTION_DAYS = 365;

export function resolveCheckOptions(options: CheckOptions = {}): ResolvedCheckOptions {
  return {
    minRetentionDays: options.minRetentionDays ?? DEFAULT_MIN_RETENTION_DAYS,
    today: options.today ?? new Date(),
    runtimeNoticeDays: options.runtimeNoticeDays ?? 180,
    deployedWith: (options.deployedWith ?? []).map((template) => prepareTemplate(template)),
  };
}

/** CDK writes its path into each resource's metadata and a bootstrap-version rule into each template. */
export function detectForm(template: CfnTemplate): TemplateForm {
  if (usesSamTransform(template)) return TEMPLATE_FORMS.sam;
  const resources = Object.values(template.Resources ?? {});
  const cdk =
    resources.some(
      (resource) =>
        isCfnResource(resource) &&
        (resource.Type === 'AWS::CDK::Metadata' || resource.Metadata?.['aws:cdk:path'] !== undefined),
    ) ||
    (isObject(template.Parameters) && template.Parameters.BootstrapVersion !== undefined);
  return cdk ? TEMPLATE_FORMS.cdk : TEMPLATE_FORMS.cloudformation;
}

function resourcesOf(template: CfnTemplate): Map<string, CfnResource> {
  return new Map(
    Object.entries(template.Resources ?? {}).filter((entry): entry is [string, CfnResource] =>
      isCfnResource(entry[1]),
    ),
  );
}

/**
 * The template as the rules read it: SAM resources expanded into what the transform would
 * generate, parameter defaults collected.
 */
export function prepareTemplate(
  template: CfnTemplate,
  form: TemplateForm = detectForm(template),
): CheckedTemplate {
  const written = resourcesOf(template);
  const expanded: { resources: Map<string, CfnResource>; origins: Map<string, ResourceOrigin> } =
    form === TEMPLATE_FORMS.sam
      ? expandSam(written, template.Globals)
      : { resources: written, origins: new Map() };
  return {
    form,
    resources: expanded.resources,
    origins: expanded.origins,
    parameters: parameterDefaults(template),
    metadata: isObject(template.Metadata) ? template.Metadata : {},
  };
}

/** Each rule id's first suppression in `suppressions`. */
function firstById(suppressions: readonly Suppression[]): Map<string, Suppression> {
  const byId = new Map<string, Suppression>();
  for (const suppression of suppressions)
    if (!byId.has(suppression.id)) byId.set(suppression.id, suppression);
  return byId;
}

/** Options of checkTemplate. */
export interface CheckTemplateOptions extends CheckOptions {
  /** How the template was written. @default detected: SAM by its transform, CDK by its metadata */
  readonly form?: TemplateForm;
  /** The rules to run. @default RULES */
  readonly rules?: readonly RuleDefinition[];
}

function bySeverityThenRule(a: Finding, b: Finding): number {
  return (
    severityRank(b.severity) - severityRank(a.severity) ||
    a.ruleId.localeCompare(b.ruleId, 'en', { numeric: true }) ||
    a.logicalId.localeCompare(b.logicalId)
  );
}

function findingOf(
  rule: RuleDefinition,
  logicalId: string,
  resourceType: string,
  form: TemplateForm,
  message: string,
  severity: Severity,
): Finding {
  return {
    ruleId: rule.id,
    title: rule.title,
    severity,
    source: rule.source,
    standards: rule.standards,
    ...(rule.helpUrl === undefined ? {} : { helpUrl: rule.helpUrl }),
    logicalId,
    resourceType,
    message,
    form,
    fix: rule.fix[form],
  };
}

/**
 * Every finding for one template, sorted by severity: the rules' findings (suppressed ones
 * carry `suppressedBy`) and problems with the template's suppressions (Lookout.0).
 *
 * @example
 * const findings = checkTemplate(JSON.parse(readFileSync('cdk.out/Api.template.json', 'utf8')));
 * findings.filter((finding) => finding.suppressedBy === undefined).length; // 0 when the stack passes
 */
export function checkTemplate(template: CfnTemplate, options: CheckTemplateOptions = {}): Finding[] {
  const resolved = resolveCheckOptions(options);
  const rules = options.rules ?? RULES;
  const prepared = prepareTemplate(template, options.form);
  const written = resourcesOf(template);
  const knownIds = new Set(RULES.map((rule) => rule.id));
  const findings: Finding[] = [];

  const templateWide = readSuppressions(prepared.metadata, undefined, knownIds);
  const templateWideById = firstById(templateWide.suppressions);
  const perResource = new Map<string, ReadonlyMap<string, Suppression>>();
  const problems = [...templateWide.problems];
  for (const [logicalId, resource] of written) {
    const read = readSuppressions(resource.Metadata, logicalId, knownIds);
    if (read.suppressions.length > 0) perResource.set(logicalId, firstById(read.suppressions));
    for (const problem of read.problems) problems.push(problem);
  }

  for (const rule of rules) {
    for (const hit of rule.evaluate(prepared, resolved)) {
      // A resource SAM generates is reported on the SAM resource it comes from.
      const origin = prepared.origins.get(hit.logicalId);
      const logicalId = origin?.logicalId ?? hit.logicalId;
      const resourceType = origin?.type ?? prepared.resources.get(hit.logicalId)?.Type ?? 'unknown';
      const form: TemplateForm =
        origin?.type.startsWith('AWS::Serverless::') === true
          ? TEMPLATE_FORMS.sam
          : prepared.form === TEMPLATE_FORMS.cdk
            ? TEMPLATE_FORMS.cdk
            : TEMPLATE_FORMS.cloudformation;
      const found = findingOf(
        rule,
        logicalId,
        resourceType,
        form,
        hit.message,
        hit.severity ?? rule.severity,
      );
      const finding = origin?.anchor === undefined ? found : { ...found, writtenAt: origin.anchor };
      // The resource's own suppression first, then the template's: looked up by rule id, so a
      // template of many findings and many suppressions is not read findings × suppressions.
      const suppression = perResource.get(logicalId)?.get(rule.id) ?? templateWideById.get(rule.id);
      findings.push(suppression === undefined ? finding : { ...finding, suppressedBy: suppression });
    }
  }
  const form = prepared.form === TEMPLATE_FORMS.cdk ? TEMPLATE_FORMS.cdk : TEMPLATE_FORMS.cloudformation;
  for (const problem of problems) {
    const logicalId = problem.logicalId ?? TEMPLATE_SCOPE;
    const type =
      problem.logicalId === undefined ? 'template' : (written.get(problem.logicalId)?.Type ?? 'unknown');
    findings.push(
      findingOf(SUPPRESSION_RULE, logicalId, type, form, problem.message, SUPPRESSION_RULE.severity),
    );
  }
  return findings.sort(bySeverityThenRule);
}

/** The findings that fail a check run: unsuppressed, at or above `failOn`. */
export function failingFindings(findings: readonly Finding[], failOn: Severity): Finding[] {
  return findings.filter(
    (finding) => finding.suppressedBy === undefined && severityRank(finding.severity) >= severityRank(failOn),
  );
}
