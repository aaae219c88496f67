import axios, { type InternalAxiosRequestConfig } from 'axios';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createOriginCheck } from '../allowedOrigins.js';

/*
 * The origin check decides from `baseURL` and `url` where axios will send a request, and keeps the
 * origin of well-formed bases instead of parsing every request's URL. Its verdict must be the one
 * that axios' own URL building (`getUri`) and the WHATWG URL parser give, for URLs an attacker may
 * shape: backslashes, tabs, `@`, `//`, dot segments, bare schemes. Thousands of generated pairs,
 * each compared with that reference.
 */

const API = 'https://api.test';
const PAGE = 'https://app.test';
const ALLOWED = [API, PAGE];

const BASES = [
  API,
  `${API}/`,
  `${API}//`,
  `${API}/v1/`,
  'HTTPS://API.TEST',
  `${API}:443`,
  'https://user@api.test',
  'https://api.test@evil.test',
  `${API}?q`,
  `${API}#f`,
  `${API}\t`,
  `${API} `,
  'http://api.test',
  'https://',
  'https:',
  'https:/',
  'https:/api.test',
  'https:///evil.test',
  'https://\t/evil.test',
  'https://\\evil.test',
  'https:\\\\evil.test',
  '//api.test',
  '//evil.test',
  '/',
  '/api',
  'api',
  '\\',
  '',
];
const PIECES = [
  '/',
  '\\',
  '@',
  ':',
  '\t',
  '\n',
  '?',
  '#',
  '.',
  '..',
  'evil.test',
  'api.test',
  '%2F',
  ' ',
  'https:',
  '//',
  'x',
];

/** A fixed sequence of pseudo-random numbers: the same cases on every run. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

function generatedUrls(count: number, next: () => number): string[] {
  return Array.from({ length: count }, () => {
    const length = 1 + Math.floor(next() * 5);
    return Array.from({ length }, () => PIECES[Math.floor(next() * PIECES.length)]).join('');
  });
}

const NOT_SENT = Symbol('axios refuses to send it');

/**
 * Where axios sends it: its own full URL, resolved against the page as a browser does. axios 1.21
 * refuses (ERR_INVALID_URL) an `http:`/`https:` URL without `//`: such a request is never sent.
 */
function referenceOrigin(
  config: { baseURL?: string; url?: string },
  page: string | undefined,
): string | null | typeof NOT_SENT {
  let fullUrl: string;
  try {
    fullUrl = axios.getUri(config);
  } catch {
    return NOT_SENT;
  }
  try {
    return new URL(fullUrl, page).origin;
  } catch {
    return null;
  }
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe.each([
  ['in a browser page', PAGE],
  ['in Node (no page)', undefined],
])('the origin check agrees with axios and the URL parser, %s', (_, page) => {
  it('for every base and 3,000 generated relative and absolute URLs', () => {
    if (page !== undefined) vi.stubGlobal('location', { origin: page });
    const check = createOriginCheck(axios.create(), ALLOWED);
    const next = random(7);
    const urls = [
      ...generatedUrls(3_000, next),
      '',
      'items/1',
      '/items/1',
      `${API}/x`,
      '//evil.test/x',
      '\\\\evil.test',
    ];
    const disagreements: string[] = [];
    let allowed = 0;
    let notSent = 0;
    for (const baseURL of BASES) {
      for (const url of urls) {
        const config = { baseURL, url, headers: {} } as InternalAxiosRequestConfig;
        const expected = referenceOrigin({ baseURL, url }, page);
        const verdict = check(config);
        if (expected === NOT_SENT) {
          notSent += 1;
          continue;
        }
        if (verdict) allowed += 1;
        if (verdict !== (expected !== null && ALLOWED.includes(expected))) {
          disagreements.push(
            `${JSON.stringify(baseURL)} + ${JSON.stringify(url)}: ${verdict} but axios goes to ${expected}`,
          );
        }
      }
    }
    expect(disagreements).toEqual([]);
    // The comparison means something only if both verdicts occur often.
    expect(allowed).toBeGreaterThan(10_000);
    expect(allowed).toBeLessThan(BASES.length * urls.length - notSent - 10_000);
  });
});

it('keeps a bounded number of bases: a baseURL built per request does not grow memory', () => {
  const check = createOriginCheck(axios.create(), [API]);
  for (let i = 0; i < 1_000; i += 1) {
    expect(check({ baseURL: `${API}/tenant/${i}`, url: 'items', headers: {} } as InternalAxiosRequestConfig)).toBe(
      true,
    );
    expect(check({ baseURL: `https://t${i}.evil.test`, url: 'items', headers: {} } as InternalAxiosRequestConfig)).toBe(
      false,
    );
  }
});
