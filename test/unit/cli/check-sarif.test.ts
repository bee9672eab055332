// `--format sarif`: a SARIF 2.1.0 log that validates against the standard's JSON schema
// (test/helpers/sarif-schema-2.1.0.json, source in test/helpers/README.md) and carries what
// GitHub code scanning shows: rule, level, security severity, file and line, suppressions.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCheck } from '../../../src/cli/check/command.js';
import { REPO_ROOT } from '../../helpers/node-process.js';

const schema = JSON.parse(
  readFileSync(join(REPO_ROOT, 'test', 'helpers', 'sarif-schema-2.1.0.json'), 'utf8'),
);
// The standard's schema is written in JSON Schema draft-04.
const ajv = new Ajv.default({ allErrors: true, strict: false });
addFormats.default(ajv);
const validate = ajv.compile(schema);

interface SarifResult {
  ruleId: string;
  ruleIndex: number;
  level: string;
  message: { text: string };
  locations: { physicalLocation: { artifactLocation: { uri: string }; region?: { startLine: number } } }[];
  suppressions?: Record<string, unknown>[];
}
interface SarifLog {
  version: string;
  runs: {
    tool: { driver: { name: string; rules: { id: string; properties: Record<string, unknown> }[] } };
    results: SarifResult[];
  }[];
}

async function sarif(...targets: string[]): Promise<{ code: number; log: SarifLog }> {
  let out = '';
  const code = await runCheck([...targets, '--format', 'sarif', '--as-of', '2026-06-01'], {
    stdout: (text) => {
      out += text;
    },
    stderr: () => undefined,
    cwd: REPO_ROOT,
  });
  return { code, log: JSON.parse(out) as SarifLog };
}

let failing: { code: number; log: SarifLog };
let suppressed: { code: number; log: SarifLog };
beforeAll(async () => {
  failing = await sarif(
    'test/fixtures/check/sam/Lookout.5.fail.yaml',
    'test/fixtures/check/sam/Lambda.1.fail.yaml',
  );
  suppressed = await sarif('test/fixtures/check/sam/Lookout.0.pass.yaml');
});

describe('lookout check --format sarif', () => {
  it('is valid SARIF 2.1.0, with findings and with suppressions', () => {
    for (const { log } of [failing, suppressed]) {
      const valid = validate(log);

      expect(validate.errors ?? []).toEqual([]);
      expect(valid).toBe(true);
      expect(log.version).toBe('2.1.0');
    }
  });

  it('shows a broken log is caught by the same schema', () => {
    const broken = structuredClone(failing.log) as unknown as { runs: { results: { level: string }[] }[] };
    const result = broken.runs[0]?.results[0];
    if (result !== undefined) result.level = 'critical';

    expect(validate(broken)).toBe(false);
  });

  it('places each result on the template line of its resource, with the rule index and level', () => {
    const [run] = failing.log.runs;
    const results = run?.results ?? [];

    expect(
      results.map((result) => [
        result.ruleId,
        result.level,
        result.locations[0]?.physicalLocation.artifactLocation.uri,
        result.locations[0]?.physicalLocation.region?.startLine,
      ]),
    ).toEqual([
      ['Lambda.1', 'error', 'test/fixtures/check/sam/Lambda.1.fail.yaml', 5],
      ['Lookout.5', 'error', 'test/fixtures/check/sam/Lookout.5.fail.yaml', 10],
    ]);
    for (const result of results) expect(run?.tool.driver.rules[result.ruleIndex]?.id).toBe(result.ruleId);
  });

  it('gives each rule the security severity GitHub sorts alerts by', () => {
    const rules = Object.fromEntries(
      (failing.log.runs[0]?.tool.driver.rules ?? []).map((rule) => [
        rule.id,
        rule.properties['security-severity'],
      ]),
    );

    expect(rules).toMatchObject({
      'Lambda.1': '9.5',
      'Lookout.5': '8.0',
      'APIGateway.1': '5.5',
      'Lambda.7': '3.0',
    });
  });

  it('writes a suppressed finding as a result with an in-source suppression and its justification, and only the properties every SARIF 2.1.0 schema edition defines alike', () => {
    const results = suppressed.log.runs[0]?.results ?? [];

    expect(suppressed.code).toBe(0);
    expect(results.map((result) => [result.ruleId, result.suppressions])).toEqual([
      [
        'Lambda.7',
        [
          {
            kind: 'inSource',
            justification: 'A batch job whose traces nobody reads; its logs carry the request ids.',
          },
        ],
      ],
    ]);
    const run = suppressed.log.runs[0] as unknown as Record<string, unknown>;
    expect(run.language).toBeUndefined();
    expect((run.tool as { driver: Record<string, unknown> }).driver.language).toBeUndefined();
  });
});
