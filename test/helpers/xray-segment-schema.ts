// AWS's published JSON schema for X-Ray segment documents, version 1.0.0: the file
// xray-segmentdocument-schema-v1.0.0.json in the zip linked from the X-Ray Developer Guide's
// "AWS X-Ray segment documents" page
// (https://docs.aws.amazon.com/xray/latest/devguide/xray-api-segmentdocuments.html,
// samples/xray-segmentdocument-schema-v1.0.0.zip), kept unchanged beside this file.
import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';

const schema = JSON.parse(
  readFileSync(new URL('./xray-segmentdocument-schema-v1.0.0.json', import.meta.url), 'utf8'),
) as Record<string, unknown>;

// The file declares draft-04, which Ajv 8 does not ship. Every keyword it uses (type,
// properties, required, pattern, minLength, maxLength, oneOf, $ref into definitions, items,
// patternProperties, additionalProperties) means the same in Ajv's default draft, so the copy
// is compiled without its `$schema`; `version` and `java_pattern` are annotations (strict off).
const { $schema: _draft, ...compilable } = schema;
const ajv = new Ajv({ allErrors: true, strict: false });
const validate = ajv.compile(compilable);

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
  return (validate.errors ?? []).map(
    (error) => `schema: ${error.instancePath || '/'} ${error.message ?? ''} ${JSON.stringify(error.params)}`,
  );
}
