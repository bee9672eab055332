// AWS's published JSON schema for X-Ray segment documents, version 1.0.0: the file
// xray-segmentdocument-schema-v1.0.0.json in the zip linked from the X-Ray Developer Guide's
// "AWS X-Ray segment documents" page
// (https://docs.aws.amazon.com/xray/latest/devguide/xray-api-segmentdocuments.html,
// samples/xray-segmentdocument-schema-v1.0.0.zip), kept unchanged beside this file.
import { readFileSync } from 'node:fs';
import Ajv from 'ajv-draft-04';

const schema = JSON.parse(
  readFileSync(new URL('./xray-segmentdocument-schema-v1.0.0.json', import.meta.url), 'utf8'),
) as Record<string, unknown>;

// The schema is written in JSON Schema draft-04; `version` and `java_pattern` are annotations
// that no draft defines (strict off lets them through).
const ajv = new Ajv.default({ allErrors: true, strict: false });
const validate = ajv.compile(schema);

/**
 * Checks one document sent on its own (a segment, or a subsegment with `type: "subsegment"`,
 * `trace_id` and `parent_id`) against the published schema; nested subsegments are checked
 * through it. Returns the problems, empty when the document is valid.
 *
 * @example
 * expect(checkSegmentDocumentSchema(document)).toEqual([]);
 */
export function checkSegmentDocumentSchema(document: unknown): string[] {
  if (validate(document)) return [];
  return (validate.errors ?? []).map((error) =>
    // The name pattern is 5,000 characters long: name the rule instead of printing it.
    error.keyword === 'pattern'
      ? `schema: ${error.instancePath} does not match the schema's pattern for it`
      : `schema: ${error.instancePath || '/'} ${error.message ?? ''} ${JSON.stringify(error.params)}`,
  );
}
