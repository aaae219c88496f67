import { decodeJwtExpiry } from '@authmachine/core';
import { describe, expect, it } from 'vitest';
import { makeJwt } from './support/testKit.js';

const base64url = (text: string): string => Buffer.from(text).toString('base64url');
const HEADER = base64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));

describe('decodeJwtExpiry', () => {
  it('returns the exp claim of a JWT in epoch milliseconds', () => {
    expect(decodeJwtExpiry(makeJwt({ sub: 'user-1', exp: 1_900_000_000 }))).toBe(1_900_000_000_000);
  });

  it('reads a payload whose base64url needs no padding, one or two padding characters', () => {
    // Claims of different lengths give payload segments of every length modulo 4.
    for (const sub of ['', 'a', 'ab', 'abc']) {
      expect(decodeJwtExpiry(makeJwt({ sub, exp: 1_700_000_000 }))).toBe(1_700_000_000_000);
    }
  });

  it('reads base64url characters (- and _) that plain base64 spells + and /', () => {
    // Runs of '>' and '?' encode to the characters where base64url differs from base64.
    const token = makeJwt({ exp: 1_800_000_000, note: '>>>???' });
    expect(token.split('.')[1]).toMatch(/[-_]/);
    expect(decodeJwtExpiry(token)).toBe(1_800_000_000_000);
  });

  it('reads claims holding unicode text', () => {
    expect(decodeJwtExpiry(makeJwt({ name: 'Zoë 日本 🚀', exp: 2_000_000_000 }))).toBe(2_000_000_000_000);
  });

  it('accepts a fractional exp', () => {
    expect(decodeJwtExpiry(makeJwt({ exp: 1_700_000_000.5 }))).toBe(1_700_000_000_500);
  });

  it.each([
    ['an empty string', ''],
    ['an opaque token', 'opaque-token-9f8e7d'],
    ['random text', 'the quick brown fox'],
    ['three tiny segments', 'a.b.c'],
    ['two segments', `${HEADER}.${base64url(JSON.stringify({ exp: 1 }))}`],
    ['four segments', `${HEADER}.${base64url(JSON.stringify({ exp: 1 }))}.sig.extra`],
    ['an empty payload segment', `${HEADER}..sig`],
    ['only dots', '..'],
    ['a payload that is not base64', `${HEADER}.!!!not*base64$$$.sig`],
    ['a payload of one base64 character', `${HEADER}.A.sig`],
    ['a payload that is not JSON', `${HEADER}.${base64url('not json')}.sig`],
    ['a payload that is not UTF-8', `${HEADER}.${Buffer.from([0xff, 0xfe, 0xfd]).toString('base64url')}.sig`],
    ['JSON null', `${HEADER}.${base64url('null')}.sig`],
    ['a JSON number', `${HEADER}.${base64url('1700000000')}.sig`],
    ['a JSON string', `${HEADER}.${base64url('"exp"')}.sig`],
    ['claims without exp', makeJwt({ sub: 'user-1', iat: 1_700_000_000 })],
    ['exp as a string', makeJwt({ exp: '1700000000' })],
    ['exp null', makeJwt({ exp: null })],
    ['exp as an object', makeJwt({ exp: { seconds: 1_700_000_000 } })],
    ['exp as a boolean', makeJwt({ exp: true })],
    ['exp an array', makeJwt({ exp: [1_700_000_000] })],
    ['exp overflowing to Infinity', `${HEADER}.${base64url('{"exp":1e400}')}.sig`],
    ['unicode text with dots', 'ünï.cødé.🚀'],
    ['a very long string', 'x'.repeat(100_000)],
  ])('returns null and does not throw for %s', (_, token) => {
    expect(() => decodeJwtExpiry(token)).not.toThrow();
    expect(decodeJwtExpiry(token)).toBeNull();
  });

  it.each([
    ['undefined', undefined],
    ['null', null],
    ['a number', 1_700_000_000],
    ['an object', { exp: 1_700_000_000 }],
    ['an array', ['a', 'b', 'c']],
    ['a symbol', Symbol('token')],
    ['a function', () => 'a.b.c'],
  ])('returns null and does not throw for a non-string input: %s', (_, input) => {
    // A JavaScript caller, or a typed one holding `unknown`, can pass anything.
    const decode = decodeJwtExpiry as (token: unknown) => number | null;
    expect(() => decode(input)).not.toThrow();
    expect(decode(input)).toBeNull();
  });
});
