// The same handler as bare.mjs, wrapped with `wrap()` from lookout/lambda (the `lookout-wrap` variants).
import { wrap } from 'lookout/lambda';

export const handler = wrap(async (event) => ({
  statusCode: 200,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ ok: true, path: event.rawPath }),
}));
