import { describe, expect, it } from 'vitest';
import { parseTraceParent } from '../../../src/tracing/w3c/parse-traceparent.js';

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const SPAN_ID = '00f067aa0ba902b7';
const continued = (traceFlags: number) => ({ traceId: TRACE_ID, spanId: SPAN_ID, traceFlags });

// One row per rule of "traceparent Header Field Values" and "Versioning of traceparent".
const ROWS: ReadonlyArray<{ rule: string; header: string; expected: ReturnType<typeof parseTraceParent> }> = [
  { rule: 'version 00, sampled', header: `00-${TRACE_ID}-${SPAN_ID}-01`, expected: continued(1) },
  { rule: 'version 00, not sampled', header: `00-${TRACE_ID}-${SPAN_ID}-00`, expected: continued(0) },
  { rule: 'the random flag (level 2)', header: `00-${TRACE_ID}-${SPAN_ID}-02`, expected: continued(2) },
  { rule: 'reserved flags are dropped', header: `00-${TRACE_ID}-${SPAN_ID}-ff`, expected: continued(3) },
  {
    rule: 'spaces and tabs around the value',
    header: ` \t00-${TRACE_ID}-${SPAN_ID}-01\t `,
    expected: continued(1),
  },
  {
    rule: 'a higher version, exactly 55 characters',
    header: `01-${TRACE_ID}-${SPAN_ID}-01`,
    expected: continued(1),
  },
  {
    rule: 'a higher version with fields after a dash',
    header: `fe-${TRACE_ID}-${SPAN_ID}-03-future-fields`,
    expected: continued(3),
  },
  {
    rule: 'a higher version whose flags run on',
    header: `cc-${TRACE_ID}-${SPAN_ID}-01x`,
    expected: undefined,
  },
  { rule: 'version 00 with an extra field', header: `00-${TRACE_ID}-${SPAN_ID}-01-00`, expected: undefined },
  {
    rule: 'version 00 with a trailing character',
    header: `00-${TRACE_ID}-${SPAN_ID}-01.`,
    expected: undefined,
  },
  { rule: 'version ff', header: `ff-${TRACE_ID}-${SPAN_ID}-01`, expected: undefined },
  { rule: 'uppercase version', header: `0A-${TRACE_ID}-${SPAN_ID}-01`, expected: undefined },
  { rule: 'a version not followed by a dash', header: `00_${TRACE_ID}-${SPAN_ID}-01`, expected: undefined },
  { rule: 'a 3-digit version', header: `000-${TRACE_ID}-${SPAN_ID}-01`, expected: undefined },
  { rule: 'a 1-digit version', header: `0-${TRACE_ID}-${SPAN_ID}-01`, expected: undefined },
  { rule: 'shorter than 55 characters', header: `cc-${TRACE_ID}-${SPAN_ID}-1`, expected: undefined },
  { rule: 'uppercase trace-id', header: `00-${TRACE_ID.toUpperCase()}-${SPAN_ID}-01`, expected: undefined },
  { rule: 'all-zero trace-id', header: `00-${'0'.repeat(32)}-${SPAN_ID}-01`, expected: undefined },
  { rule: 'trace-id not followed by a dash', header: `00-${TRACE_ID}_${SPAN_ID}-01`, expected: undefined },
  { rule: 'all-zero parent-id', header: `00-${TRACE_ID}-${'0'.repeat(16)}-01`, expected: undefined },
  { rule: 'non-hex parent-id', header: `00-${TRACE_ID}-${SPAN_ID.slice(0, 15)}g-01`, expected: undefined },
  { rule: 'parent-id not followed by a dash', header: `00-${TRACE_ID}-${SPAN_ID}_01`, expected: undefined },
  { rule: 'uppercase flags', header: `00-${TRACE_ID}-${SPAN_ID}-0A`, expected: undefined },
  { rule: 'non-hex flags', header: `00-${TRACE_ID}-${SPAN_ID}-0x`, expected: undefined },
  { rule: 'a line break inside', header: `00-${TRACE_ID}-${SPAN_ID}-01\n`, expected: undefined },
  { rule: 'empty', header: '', expected: undefined },
];

describe('traceparent parsing', () => {
  it.each(ROWS)('$rule', ({ header, expected }) => {
    expect(parseTraceParent(header)).toEqual(expected);
  });
});
