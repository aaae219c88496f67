import { readFile } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';
import type { FallbackHandler } from './serverOptions.js';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
};

/**
 * Serves a built single-page app from `folder` as the server's `fallback`, so that the app and its
 * API share one origin (no CORS). Unknown paths without an extension get index.html, as SPAs expect.
 */
export function staticFiles(folder: string): FallbackHandler {
  return async (request, response) => {
    // normalize() of a rooted path cannot climb above the root: `/../x` becomes `/x`.
    const path = normalize(decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname));
    const file = path.endsWith('/') || extname(path) === '' ? '/index.html' : path;
    try {
      const body = await readFile(join(folder, file));
      response.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
      response.end(body);
    } catch {
      response.writeHead(404, { 'content-type': 'text/plain' });
      response.end('not found');
    }
  };
}
