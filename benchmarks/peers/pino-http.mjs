// The `pino-http` peer: pino-http's access log with its defaults (one JSON line per request
// on stdout). Loaded with `node --import ./benchmarks/peers/pino-http.mjs app.mjs`; the
// `http.server.request.start` diagnostics channel plays the part of `app.use(pinoHttp())`.
import { subscribe } from 'node:diagnostics_channel';
import { pinoHttp } from 'pino-http';

const logRequest = pinoHttp();

subscribe('http.server.request.start', ({ request, response }) => {
  logRequest(request, response);
});
