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
 * The usable rules of one GetSamplingRules page, and its NextToken. A record with a missing
 * or mistyped field, a fixed rate outside 0–1 or a version other than 1 is skipped (never
 * applied half-read). Timestamps in the API are Unix seconds.
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
    const attributes: Record<string, string> = {};
    if (isRecord(rule.Attributes))
      for (const [key, value] of Object.entries(rule.Attributes))
        if (typeof value === 'string') attributes[key] = value;
    rules.push({ ...(fields as Omit<SamplingRule, 'attributes'>), attributes });
  }
  const nextToken = text(body.NextToken);
  return { rules, nextToken: nextToken === '' ? undefined : nextToken };
}

/** The targets of a GetSamplingTargets response; entries without a rule name are skipped. */
export function parseSamplingTargets(body: unknown): SamplingTargetsResponse {
  if (!isRecord(body)) return { targets: [], lastRuleModificationMs: undefined };
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
  const modified = finite(body.LastRuleModification);
  return { targets, lastRuleModificationMs: modified === undefined ? undefined : modified * 1000 };
}
