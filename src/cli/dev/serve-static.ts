import { readFileSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { join } from 'node:path';

/** The page and its assets: plain files, no build step at run time. */
export const UI_FILES: Readonly<Record<string, string>> = {
  '/': 'index.html',
  '/index.html': 'index.html',
  '/style.css': 'style.css',
  '/app.js': 'app.js',
  '/api.js': 'api.js',
  '/dom.js': 'dom.js',
  '/chart.js': 'chart.js',
  '/traces.js': 'traces.js',
  '/trace.js': 'trace.js',
  '/logs.js': 'logs.js',
  '/log-rows.js': 'log-rows.js',
  '/fields.js': 'fields.js',
  '/histogram.js': 'histogram.js',
  '/metrics.js': 'metrics.js',
  '/audit.js': 'audit.js',
  '/favicon.svg': 'favicon.svg',
};

const TYPES: Readonly<Record<string, string>> = {
  html: 'text/html; charset=utf-8',
  css: 'text/css; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
  svg: 'image/svg+xml',
};

// The page may load only its own files and talk only to this server (no network, no inline
// script): telemetry text is shown with textContent, and this is the second line of defence.
const CONTENT_SECURITY_POLICY =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'";

/**
 * Serves the viewer's files from `uiDir`, read once and kept in memory.
 *
 * @example
 * const serve = createStaticFiles(uiDir);
 * if (!serve(path, response)) notFound(response);
 */
export function createStaticFiles(uiDir: string): (path: string, response: ServerResponse) => boolean {
  const cache = new Map<string, Buffer>();
  return (path, response) => {
    const file = Object.hasOwn(UI_FILES, path) ? UI_FILES[path] : undefined;
    if (file === undefined) return false;
    let body = cache.get(file);
    if (body === undefined) {
      try {
        body = readFileSync(join(uiDir, file));
      } catch {
        return false;
      }
      cache.set(file, body);
    }
    response.writeHead(200, {
      'content-type': TYPES[file.split('.').pop() ?? ''] ?? 'application/octet-stream',
      'content-length': body.length,
      'cache-control': 'no-cache',
      'content-security-policy': CONTENT_SECURITY_POLICY,
      'x-content-type-options': 'nosniff',
    });
    response.end(body);
    return true;
  };
}
