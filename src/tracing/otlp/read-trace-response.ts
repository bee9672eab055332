/** What a collector answers to a trace export: a partial success names the spans it rejected. */
export interface TraceExportResponse {
  partialSuccess?: { rejectedSpans?: number; errorMessage?: string };
}

/** Reads a varint at `offset`; returns it and the offset after it, or undefined if cut short. */
function varintAt(bytes: Uint8Array, offset: number): [number, number] | undefined {
  let value = 0;
  let scale = 1;
  for (let index = offset; index < bytes.length && index < offset + 10; index++) {
    const byte = bytes[index] as number;
    value += (byte & 0x7f) * scale;
    if (byte < 0x80) return [value, index + 1];
    scale *= 128;
  }
  return undefined;
}

/** Calls `onField(field, wireType, value or [start, end] of a length-delimited field)` per field; false if malformed. */
function eachField(
  bytes: Uint8Array,
  onField: (field: number, value: number | [number, number]) => void,
): boolean {
  let offset = 0;
  while (offset < bytes.length) {
    const key = varintAt(bytes, offset);
    if (key === undefined) return false;
    const field = Math.floor(key[0] / 8);
    const wireType = key[0] % 8;
    if (wireType === 0) {
      const value = varintAt(bytes, key[1]);
      if (value === undefined) return false;
      onField(field, value[0]);
      offset = value[1];
    } else if (wireType === 2) {
      const length = varintAt(bytes, key[1]);
      if (length === undefined || length[1] + length[0] > bytes.length) return false;
      onField(field, [length[1], length[1] + length[0]]);
      offset = length[1] + length[0];
    } else if (wireType === 1 || wireType === 5) {
      offset = key[1] + (wireType === 1 ? 8 : 4);
    } else return false;
  }
  return offset === bytes.length;
}

/**
 * An ExportTraceServiceResponse in protobuf (`partial_success` = 1: `rejected_spans` = 1,
 * `error_message` = 2), for the export delegate's partial-success warning. An empty or
 * unreadable answer reads as full success: the HTTP status already said the request was taken.
 */
export function readTraceExportResponse(bytes: Uint8Array): TraceExportResponse {
  const response: TraceExportResponse = {};
  eachField(bytes, (field, value) => {
    if (field !== 1 || typeof value === 'number') return;
    const inner = bytes.subarray(value[0], value[1]);
    const partialSuccess: NonNullable<TraceExportResponse['partialSuccess']> = {};
    const complete = eachField(inner, (innerField, innerValue) => {
      if (innerField === 1 && typeof innerValue === 'number') partialSuccess.rejectedSpans = innerValue;
      if (innerField === 2 && typeof innerValue !== 'number')
        partialSuccess.errorMessage = Buffer.from(inner.subarray(innerValue[0], innerValue[1])).toString(
          'utf8',
        );
    });
    if (complete) response.partialSuccess = partialSuccess;
  });
  return response;
}
