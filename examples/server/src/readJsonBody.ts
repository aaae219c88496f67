import type { IncomingMessage } from 'node:http';
import { badRequest } from './httpError.js';

/** Past this many bytes an oversized body is no longer drained: the connection is cut. */
const DRAIN_LIMIT = 1024 * 1024;

/**
 * Reads a request body as JSON, whatever its Content-Type (clients often send JSON as text/plain;
 * no cookies are involved, so that is no CSRF concern here). Rejects with a 400 `HttpError` when the
 * body is empty, larger than `maxBytes`, not UTF-8 or not JSON.
 */
export function readJsonBody(request: IncomingMessage, maxBytes: number): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= maxBytes) chunks.push(chunk);
      // Reading on (and dropping) a body that is a little too large lets the client read our 400.
      else if (size > DRAIN_LIMIT) request.destroy();
    });
    request.on('error', reject);
    // After 'end' this is a no-op; before it, the client went away mid-body.
    request.on('close', () => reject(badRequest('The request body ended before it was complete.')));
    request.on('end', () => {
      if (size > maxBytes) {
        reject(badRequest(`The request body is larger than ${maxBytes} bytes.`));
        return;
      }
      // Throwing in an event handler would crash the process: the verdict goes through the promise.
      try {
        resolve(parseJson(Buffer.concat(chunks)));
      } catch (error) {
        reject(error);
      }
    });
  });
}

function parseJson(bytes: Buffer): unknown {
  if (bytes.length === 0) throw badRequest('The request body is empty: send a JSON object.');
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw badRequest('The request body is not valid UTF-8.');
  }
  try {
    return JSON.parse(text);
  } catch {
    throw badRequest('The request body is not valid JSON.');
  }
}

/** The body as a plain object, or a 400 naming what came instead. */
export function requireObject(body: unknown): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    const got = body === null ? 'null' : Array.isArray(body) ? 'an array' : typeof body;
    throw badRequest(`The request body must be a JSON object, got ${got}.`);
  }
  return body as Record<string, unknown>;
}

/** A required non-empty string field of at most `maxLength` characters, or a 400 naming the field. */
export function requireString(body: Record<string, unknown>, field: string, maxLength: number): string {
  const value = body[field];
  if (value === undefined) throw badRequest(`"${field}" is missing.`);
  if (typeof value !== 'string') throw badRequest(`"${field}" must be a string, got ${typeOf(value)}.`);
  if (value.length === 0) throw badRequest(`"${field}" must not be empty.`);
  if (value.length > maxLength) throw badRequest(`"${field}" is longer than ${maxLength} characters.`);
  return value;
}

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  return Array.isArray(value) ? 'an array' : typeof value;
}
