/**
 * A tiny OpenAPI schema in the shape `openapi-typescript` generates, for the openapi-fetch tests:
 * the test server's `/api/*` answers `{ ok, path, method }` with the current token, else a 401.
 */
type Unused = { query?: never; header?: never; path?: never; cookie?: never };
type NoOtherMethods = {
  put?: never;
  delete?: never;
  options?: never;
  head?: never;
  patch?: never;
  trace?: never;
};

export interface ApiAnswer {
  ok: boolean;
  path: string;
  method: string;
}

interface AnswerResponses {
  200: { headers: { [name: string]: unknown }; content: { 'application/json': ApiAnswer } };
  401: { headers: { [name: string]: unknown }; content: { 'application/json': { error: string } } };
}

export interface paths {
  '/api/items/{id}': NoOtherMethods & {
    parameters: Unused;
    get: {
      parameters: { query?: never; header?: never; path: { id: string }; cookie?: never };
      requestBody?: never;
      responses: AnswerResponses;
    };
    post?: never;
  };
  '/api/items': NoOtherMethods & {
    parameters: Unused;
    get?: never;
    post: {
      parameters: Unused;
      requestBody: { content: { 'application/json': { name: string; tags: string[] } } };
      responses: AnswerResponses;
    };
  };
}
