import { describe, expect, it } from 'vitest';
import { startTestServer } from './support/testServer.js';

describe('malformed requests get a 400 that says what is wrong, and the server keeps serving', () => {
  it.each([
    ['invalid JSON', '{"username": "ada",', 'The request body is not valid JSON.'],
    ['an empty body', '', 'The request body is empty: send a JSON object.'],
    ['a JSON array', '["ada", "lovelace"]', 'The request body must be a JSON object, got an array.'],
    ['JSON null', 'null', 'The request body must be a JSON object, got null.'],
    ['a JSON string', '"ada"', 'The request body must be a JSON object, got string.'],
    ['a missing field', '{"username": "ada"}', '"password" is missing.'],
    ['a number for a string', '{"username": 42, "password": "x"}', '"username" must be a string, got number.'],
    [
      'an object for a string',
      '{"username": {"$ne": null}, "password": "x"}',
      '"username" must be a string, got object.',
    ],
    ['an empty string', '{"username": "", "password": "x"}', '"username" must not be empty.'],
    [
      'an overlong field',
      JSON.stringify({ username: 'a'.repeat(101), password: 'x' }),
      '"username" is longer than 100 characters.',
    ],
  ])('login with %s', async (_, body, message) => {
    const server = await startTestServer();
    const response = await server.postRaw('/auth/login', body);

    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ error: 'invalid_request', message });
    expect((await server.post('/auth/login', { username: 'ada', password: 'lovelace' })).status).toBe(200);
  });

  it('a body that is not UTF-8', async () => {
    const server = await startTestServer();
    const response = await server.postRaw('/auth/login', new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]));

    expect(response.status).toBe(400);
    expect((await response.json()).message).toBe('The request body is not valid UTF-8.');
  });

  it('a body larger than maxBodyBytes, on the same connection as a good request after it', async () => {
    const server = await startTestServer({ maxBodyBytes: 1024 });
    const response = await server.post('/auth/refresh', { refreshToken: 'x'.repeat(5000) });

    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      error: 'invalid_request',
      message: 'The request body is larger than 1024 bytes.',
    });
    expect((await server.post('/auth/login', { username: 'ada', password: 'lovelace' })).status).toBe(200);
  });

  it('a refresh with a wrong type, and a body sent as text/plain is still read as JSON', async () => {
    const server = await startTestServer();
    const wrongType = await server.post('/auth/refresh', { refreshToken: ['a'] });
    expect(wrongType.status).toBe(400);
    expect((await wrongType.json()).message).toBe('"refreshToken" must be a string, got an array.');

    const { refreshToken } = await server.login();
    const asText = await server.postRaw('/auth/refresh', JSON.stringify({ refreshToken }), {
      'Content-Type': 'text/plain;charset=UTF-8',
    });
    expect(asText.status).toBe(200);
  });

  it('unknown routes get 404 and known routes with another method 405 with Allow', async () => {
    const server = await startTestServer();
    const unknown = await server.get('/auth/nothing');
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toEqual({ error: 'not_found', message: 'There is no route /auth/nothing.' });

    const wrongMethod = await server.get('/auth/login');
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.get('allow')).toBe('POST, OPTIONS');
    expect(await server.stats()).toMatchObject({ requests: 2 });
  });
});
