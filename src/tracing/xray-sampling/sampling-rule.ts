import type { Attributes } from '@opentelemetry/api';

/**
 * One X-Ray sampling rule, as GetSamplingRules returns it (`SamplingRuleRecords[].SamplingRule`),
 * with the fields Lookout matches on.
 */
export interface SamplingRule {
  readonly ruleName: string;
  readonly priority: number;
  readonly fixedRate: number;
  readonly reservoirSize: number;
  readonly serviceName: string;
  readonly serviceType: string;
  readonly host: string;
  readonly httpMethod: string;
  readonly urlPath: string;
  readonly resourceArn: string;
  readonly attributes: Readonly<Record<string, string>>;
}

/** What a request is matched on: the service's facts and the span's attributes at its start. */
export interface SamplingFacts {
  readonly serviceName: string;
  /** `AWS::ECS::Container`, `AWS::EC2::Instance`, ...; undefined off AWS. */
  readonly serviceType: string | undefined;
  readonly resourceArn: string | undefined;
  readonly attributes: Attributes;
}

/**
 * X-Ray's wildcard match: `*` any run of characters, `?` exactly one, case ignored, the whole
 * text. Iterative with backtracking to the last `*`, so no input takes more than
 * pattern × text steps.
 *
 * @example
 * wildcardMatch('/orders/*', '/orders/42'); // true
 */
export function wildcardMatch(pattern: string, text: string | undefined): boolean {
  if (pattern === '*') return true;
  if (text === undefined) return false;
  const p = pattern.toLowerCase();
  const t = text.toLowerCase();
  let pi = 0;
  let ti = 0;
  let starAt = -1;
  let resumeAt = 0;
  while (ti < t.length) {
    if (pi < p.length && (p[pi] === '?' || p[pi] === t[ti])) {
      pi++;
      ti++;
    } else if (pi < p.length && p[pi] === '*') {
      starAt = pi++;
      resumeAt = ti;
    } else if (starAt !== -1) {
      pi = starAt + 1;
      ti = ++resumeAt;
    } else return false;
  }
  while (pi < p.length && p[pi] === '*') pi++;
  return pi === p.length;
}

function stringAttribute(attributes: Attributes, ...keys: string[]): string | undefined {
  for (const key of keys) {
    const value = attributes[key];
    if (typeof value === 'string') return value;
    if (typeof value === 'number') return String(value);
  }
  return undefined;
}

/**
 * Whether `rule` applies to a request: every field of the rule matches (service name and type,
 * resource ARN, host, method, URL path, and each rule attribute against the span attribute of
 * that name). The HTTP fields are read from the stable semantic-convention names first, then
 * the older ones instrumentations still set.
 */
export function ruleMatches(rule: SamplingRule, facts: SamplingFacts): boolean {
  const { attributes } = facts;
  if (!wildcardMatch(rule.serviceName, facts.serviceName)) return false;
  if (!wildcardMatch(rule.serviceType, facts.serviceType)) return false;
  if (!wildcardMatch(rule.resourceArn, facts.resourceArn)) return false;
  if (!wildcardMatch(rule.httpMethod, stringAttribute(attributes, 'http.request.method', 'http.method')))
    return false;
  if (!wildcardMatch(rule.urlPath, stringAttribute(attributes, 'url.path', 'http.target'))) return false;
  if (!wildcardMatch(rule.host, stringAttribute(attributes, 'server.address', 'http.host', 'net.host.name')))
    return false;
  for (const [key, pattern] of Object.entries(rule.attributes))
    if (!wildcardMatch(pattern, stringAttribute(attributes, key))) return false;
  return true;
}

/** The rule order X-Ray applies: priority, then name. */
export function compareRules(a: SamplingRule, b: SamplingRule): number {
  return a.priority - b.priority || (a.ruleName < b.ruleName ? -1 : a.ruleName > b.ruleName ? 1 : 0);
}

/** `cloud.platform` → the ServiceType X-Ray rules name. */
export const SERVICE_TYPES: Readonly<Record<string, string>> = {
  aws_ec2: 'AWS::EC2::Instance',
  aws_ecs: 'AWS::ECS::Container',
  aws_eks: 'AWS::EKS::Container',
  aws_elastic_beanstalk: 'AWS::ElasticBeanstalk::Environment',
  aws_lambda: 'AWS::Lambda::Function',
};
