import type { SamplingRule } from './sampling-rule.js';

/** One `SamplingTargetDocuments` entry of a GetSamplingTargets response. */
export interface SamplingTarget {
  readonly ruleName: string;
  readonly fixedRate: number | undefined;
  readonly reservoirQuota: number | undefined;
  /** Epoch milliseconds. */
  readonly reservoirQuotaTtlMs: number | undefined;
  /** Seconds until the next GetSamplingTargets. */
  readonly intervalSeconds: number | undefined;
}

export interface SamplingTargetsResponse {
  readonly targets: readonly SamplingTarget[];
  /** Epoch milliseconds of the last rule change, when the response says. */
  readonly lastRuleModificationMs: number | undefined;
  /** Rules whose statistics X-Ray did not process (`UnprocessedStatistics`). */
  readonly unprocessed: readonly string[];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
const finite = (value: unknown): number | undefined =>
  typeof value === 'number' && Number.isFinite(value) ? value : undefined;

/** The only rule format version X-Ray defines; a rule of another version is skipped. */
const RULE_VERSION = 1;

/**
 * The longest text X-Ray accepts in each field of a rule (CreateSamplingRule's length
 * constraints; a name is at least 1 character). A rule past them was not made by X-Ray: each
 * request is matched against every pattern, so an enormous one would cost every request, and
 * GetSamplingTargets refuses a statistics request that names a rule over 32 characters, which
 * would lose the quotas of every rule reported with it.
 */
const MAX_LENGTHS = {
  ruleName: 32,
  serviceName: 64,
  serviceType: 64,
  host: 64,
  httpMethod: 10,
  urlPath: 128,
  resourceArn: 500,
} as const;
/** A rule has at most 5 attributes, each key and value 1 to 32 characters. */
const MAX_ATTRIBUTES = 5;
const MAX_ATTRIBUTE_LENGTH = 32;

/**
 * The usable rules of one GetSamplingRules page, and its NextToken. A record with a missing
 * or mistyped field, a fixed rate outside 0–1, a version other than 1 or a text longer than
 * X-Ray allows is skipped (never applied half-read). Timestamps in the API are Unix seconds.
 */
export function parseSamplingRulesPage(body: unknown): {
  rules: SamplingRule[];
  nextToken: string | undefined;
} {
  if (!isRecord(body)) return { rules: [], nextToken: undefined };
  const records = Array.isArray(body.SamplingRuleRecords) ? body.SamplingRuleRecords : [];
  const rules: SamplingRule[] = [];
  for (const record of records) {
    const rule = isRecord(record) && isRecord(record.SamplingRule) ? record.SamplingRule : undefined;
    if (rule === undefined || rule.Version !== RULE_VERSION) continue;
    const fields = {
      ruleName: text(rule.RuleName),
      priority: finite(rule.Priority),
      fixedRate: finite(rule.FixedRate),
      reservoirSize: finite(rule.ReservoirSize),
      serviceName: text(rule.ServiceName),
      serviceType: text(rule.ServiceType),
      host: text(rule.Host),
      httpMethod: text(rule.HTTPMethod),
      urlPath: text(rule.URLPath),
      resourceArn: text(rule.ResourceARN),
    };
    if (Object.values(fields).some((value) => value === undefined)) continue;
    if (
      (fields.fixedRate as number) < 0 ||
      (fields.fixedRate as number) > 1 ||
      (fields.reservoirSize as number) < 0
    )
      continue;
    const texts = fields as Omit<SamplingRule, 'attributes'>;
    const tooLong = (Object.keys(MAX_LENGTHS) as Array<keyof typeof MAX_LENGTHS>).some(
      (field) => texts[field].length > MAX_LENGTHS[field],
    );
    if (texts.ruleName === '' || tooLong) continue;
    const attributes: Record<string, string> = {};
    const given = isRecord(rule.Attributes) ? Object.entries(rule.Attributes) : [];
    let attributesFit = given.length <= MAX_ATTRIBUTES;
    for (const [key, value] of given) {
      if (typeof value !== 'string') continue;
      if (key.length > MAX_ATTRIBUTE_LENGTH || value.length > MAX_ATTRIBUTE_LENGTH) attributesFit = false;
      attributes[key] = value;
    }
    if (!attributesFit) continue;
    rules.push({ ...texts, attributes });
  }
  const nextToken = text(body.NextToken);
  return { rules, nextToken: nextToken === '' ? undefined : nextToken };
}

/** The targets of a GetSamplingTargets response; entries without a rule name are skipped. */
export function parseSamplingTargets(body: unknown): SamplingTargetsResponse {
  if (!isRecord(body)) return { targets: [], lastRuleModificationMs: undefined, unprocessed: [] };
  const documents = Array.isArray(body.SamplingTargetDocuments) ? body.SamplingTargetDocuments : [];
  const targets: SamplingTarget[] = [];
  for (const document of documents) {
    if (!isRecord(document)) continue;
    const ruleName = text(document.RuleName);
    if (ruleName === undefined) continue;
    const fixedRate = finite(document.FixedRate);
    const ttl = finite(document.ReservoirQuotaTTL);
    targets.push({
      ruleName,
      fixedRate: fixedRate !== undefined && fixedRate >= 0 && fixedRate <= 1 ? fixedRate : undefined,
      reservoirQuota: finite(document.ReservoirQuota),
      reservoirQuotaTtlMs: ttl === undefined ? undefined : ttl * 1000,
      intervalSeconds: finite(document.Interval),
    });
  }
  const unprocessed: string[] = [];
  for (const entry of Array.isArray(body.UnprocessedStatistics) ? body.UnprocessedStatistics : []) {
    const ruleName = isRecord(entry) ? text(entry.RuleName) : undefined;
    if (ruleName !== undefined) unprocessed.push(ruleName);
  }
  const modified = finite(body.LastRuleModification);
  return {
    targets,
    lastRuleModificationMs: modified === undefined ? undefined : modified * 1000,
    unprocessed,
  };
}
