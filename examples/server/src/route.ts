import type { IncomingMessage } from 'node:http';

export interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface RouteRequest {
  raw: IncomingMessage;
  /** The path's captured parts, e.g. the id of `/api/items/:id`. */
  params: string[];
  /** The JSON body as an object; a 400 `HttpError` when it is anything else. */
  body(): Promise<Record<string, unknown>>;
}

export interface Route {
  method: 'GET' | 'POST';
  path: RegExp;
  handle(request: RouteRequest): Promise<Reply> | Reply;
}

export function json(status: number, body?: unknown, headers?: Record<string, string>): Reply {
  const reply: Reply = { status };
  if (body !== undefined) reply.body = body;
  if (headers !== undefined) reply.headers = headers;
  return reply;
}
