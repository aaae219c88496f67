import { AxiosHeaders, type InternalAxiosRequestConfig } from 'axios';
import { describe, expect, it } from 'vitest';
import { createAuthHeader } from '../authHeader.js';

/*
 * The adapter writes its header without `AxiosHeaders.set()` when name and value are plain (set()
 * re-sanitizes the whole token on every request). Whatever the request's headers held before, the
 * result must be exactly what set() gives: same keys, same casing, same values, same skipped cases.
 */

const JWT = `eyJhbGciOiJIUzI1NiJ9.${'eyJzdWIiOiJhZGEifQ'.repeat(8)}.c2lnbmF0dXJl-_`;
const TOKENS = [
  JWT,
  'opaque-token',
  'with inner space',
  ' leading-space',
  'trailing-space ',
  'with\ttab',
  'crlf\r\nX-Injected: yes',
  'nul\u0000byte',
  'del\u007f',
  'ünïcode',
  '',
];
const BEFORE: Array<Record<string, unknown>> = [
  {},
  { Accept: 'application/json' },
  { Authorization: 'Basic dXNlcjpwYXNz' },
  { authorization: 'Basic dXNlcjpwYXNz' },
  { AUTHORIZATION: 'old', Accept: '*/*' },
  { Authorization: false },
  { authorization: false },
  { Authorization: undefined },
  { Authorization: null },
  { 'X-Token': 'old', 'x-token': 'older' },
];
const HEADERS: Array<[string | undefined, string | undefined]> = [
  [undefined, undefined],
  ['Authorization', ''],
  ['X-Token', 'Token'],
  ['  X-Token  ', 'Bearer'],
];

function requestWith(headers: Record<string, unknown>): InternalAxiosRequestConfig {
  return { headers: new AxiosHeaders(headers as never) } as InternalAxiosRequestConfig;
}

function ownEntries(headers: AxiosHeaders): Array<[string, unknown]> {
  return Object.entries(headers as unknown as Record<string, unknown>);
}

describe('the auth header is written exactly as AxiosHeaders.set() writes it', () => {
  it.each(HEADERS)('header %j, scheme %j: every token, every header already there', (name, scheme) => {
    const header = createAuthHeader(name, scheme);
    const headerName = name ?? 'Authorization';
    const prefix = scheme === undefined ? 'Bearer ' : scheme === '' ? '' : `${scheme} `;
    for (const before of BEFORE) {
      for (const token of TOKENS) {
        // Twice: the second write of the same token takes the path remembered from the first.
        for (let round = 0; round < 2; round += 1) {
          const ours = requestWith(before);
          header.set(ours, token);
          const expected = new AxiosHeaders(before as never);
          expected.set(headerName, prefix + token);
          expect(ownEntries(ours.headers), `${JSON.stringify(before)} + ${JSON.stringify(token)}`).toEqual(
            ownEntries(expected),
          );
          expect(ours.headers.toJSON()).toEqual(expected.toJSON());
        }
      }
    }
  });

  it('a token with a line break never reaches the header as a line break', () => {
    const ours = requestWith({});
    createAuthHeader().set(ours, 'abc\r\nX-Injected: yes');
    expect(String(ours.headers.get('Authorization'))).not.toMatch(/[\r\n]/);
  });
});
