// Where the Security Hub controls are described, and the standards named in findings. Titles
// and ids are the controls' own (Security Hub user guide); membership of the AWS Foundational
// Security Best Practices standard is recorded only where the user guide lists the control
// under that standard.

/** Standard names as findings and docs show them. */
export const STANDARDS = {
  fsbp: 'AWS Foundational Security Best Practices v1.0.0',
  nist: 'NIST SP 800-53 Rev. 5',
  cis: 'CIS AWS Foundations Benchmark',
} as const;

const USER_GUIDE = 'https://docs.aws.amazon.com/securityhub/latest/userguide';

/**
 * The user guide page of a Security Hub control.
 *
 * @example
 * controlUrl('APIGateway.1'); // 'https://docs.aws.amazon.com/securityhub/latest/userguide/apigateway-controls.html#apigateway-1'
 */
export function controlUrl(controlId: string): string {
  const [service = '', number = ''] = controlId.toLowerCase().split('.');
  return `${USER_GUIDE}/${service}-controls.html#${service}-${number}`;
}

/** Where Lookout's own rules (and every other) are described, inside the package. */
export const RULES_DOC = 'docs/security-controls.md';
