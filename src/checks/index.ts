// Rules over synthesized CloudFormation (CDK output, SAM or plain), shared by `lookout check`
// and the LookoutChecks CDK Aspect. Pure functions: no I/O, no state
// (docs/decisions/0020-shared-template-checks.md).

export {
  type CheckTemplateOptions,
  checkTemplate,
  DEFAULT_MIN_RETENTION_DAYS,
  detectForm,
  failingFindings,
  prepareTemplate,
  resolveCheckOptions,
  TEMPLATE_SCOPE,
} from './check-template.js';
export type { CfnResource, CfnTemplate, CheckedTemplate, ResourceOrigin } from './checked-template.js';
export { RULES_DOC, STANDARDS } from './controls.js';
export { IMPLICIT_HTTP_API, IMPLICIT_REST_API } from './expand-sam.js';
export {
  LAMBDA_RUNTIME_DEPRECATIONS,
  LAMBDA_RUNTIMES_AS_OF,
  LAMBDA_RUNTIMES_SOURCE,
} from './lambda-runtimes.js';
export { RULES } from './rules/index.js';
export { SUPPRESSION_METADATA_KEY, SUPPRESSION_RULE } from './suppressions.js';
export type {
  CheckOptions,
  Finding,
  Fix,
  RuleDefinition,
  RuleSource,
  Severity,
  Suppression,
  TemplateForm,
} from './types.js';
export { isSeverity, SEVERITIES, severityRank, TEMPLATE_FORMS } from './types.js';
