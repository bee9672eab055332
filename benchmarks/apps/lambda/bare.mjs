// The Lambda benchmarks' function: an HTTP API handler with no telemetry code. The `bare` variant
// runs it as is; `lookout-layer` runs it behind the layer's exec wrapper.
export const handler = async (event) => ({
  statusCode: 200,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ ok: true, path: event.rawPath }),
});
