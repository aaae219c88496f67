import { createAuthFetch } from '@authmachine/fetch';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { API, PAGE, useTokenServer } from './tokenServer.js';

/*
 * Whether a call gets the token must follow where fetch sends it: the WHATWG URL parser resolving
 * the input against the page (`new URL(input, location.href)`; in Node, with no page, only an
 * absolute URL goes anywhere). Thousands of generated URLs an attacker might shape (backslashes,
 * tabs, `@`, `//`, dot segments, bare schemes), each compared with that reference, as a string,
 * and as the URL and Request fetch would build from it.
 */

const server = useTokenServer();
const ALLOWED = [API, PAGE];
const PAGE_HREF = `${PAGE}/app/page?q=1#top`;

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
  'app.test',
  'https:',
  'http:',
  'HTTPS://',
  '//',
  '%2F',
  ' ',
  'x',
];
const FIXED = [
  '',
  'items/1',
  '/items/1',
  `${API}/x`,
  `${PAGE}/x`,
  'https://api.test@evil.test/x',
  'https://evil.test@api.test/x',
  'https:api.test/x',
  'https:/api.test/x',
  'https:\\\\evil.test',
  '//evil.test/x',
  '\\\\evil.test',
  '/\\evil.test',
  '\t//evil.test',
  'https://api.test:443/x',
  'https://api.test:8443/x',
  'HTTPS://API.TEST/x',
  'http://api.test/x',
  'https://api.test./x',
  'https://xn--80ak6aa92e.test/x',
  'blob:https://api.test/uuid',
  'data:text/plain,hi',
  'javascript:alert(1)',
];

/** A fixed sequence of pseudo-random numbers: the same cases on every run. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

/** How generated URLs start: an allowed origin often, so that absolute URLs reach it also in Node. */
const STARTS = ['', '', 'https://api.test', 'https://app.test', 'https://', 'https:', '//', '/'];

function generatedUrls(count: number, next: () => number): string[] {
  const pick = (list: string[]): string => list[Math.floor(next() * list.length)] ?? '';
  return Array.from({ length: count }, () => {
    const length = 1 + Math.floor(next() * 5);
    return pick(STARTS) + Array.from({ length }, () => pick(PIECES)).join('');
  });
}

function referenceOrigin(url: string, page: string | undefined): string | null {
  try {
    return new URL(url, page).origin;
  } catch {
    return null;
  }
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe.each([
  ['in a browser page', PAGE_HREF],
  ['in Node (no page)', undefined],
])('the token goes where fetch goes, %s', (_, page) => {
  it('for 4,000 generated and 23 fixed URLs, each as a string, a URL and a Request', async () => {
    if (page !== undefined) vi.stubGlobal('location', { origin: PAGE, href: page });
    const session = await server.loggedInSession();
    // The network is not the subject: the wrapped fetch records what it was handed.
    let handed: string | null = null;
    const recordingFetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
      const headers = new Headers(init?.headers ?? (input instanceof Request ? input.headers : undefined));
      handed = headers.get('authorization');
      return new Response('ok');
    };
    const authFetch = createAuthFetch(session, { allowedOrigins: ALLOWED, fetch: recordingFetch });
    const disagreements: string[] = [];
    const counts = { allowed: 0, refused: 0 };

    const check = async (label: string, input: RequestInfo | URL, expected: string | null): Promise<void> => {
      handed = null;
      await authFetch(input);
      const gotToken = handed === 'Bearer access-1';
      const shouldGetToken = expected !== null && ALLOWED.includes(expected);
      counts[gotToken ? 'allowed' : 'refused'] += 1;
      if (gotToken !== shouldGetToken) {
        disagreements.push(`${label} ${JSON.stringify(String(input))}: token ${gotToken}, fetch goes to ${expected}`);
      }
    };

    for (const url of [...generatedUrls(4_000, random(11)), ...FIXED]) {
      const expected = referenceOrigin(url, page);
      await check('string', url, expected);
      if (expected === null) continue;
      const parsed = new URL(url, page);
      await check('URL', parsed, expected);
      // fetch builds a Request only for http(s) URLs without credentials; it refuses the others.
      const requestable =
        (parsed.protocol === 'http:' || parsed.protocol === 'https:') && !parsed.username && !parsed.password;
      if (requestable) await check('Request', new Request(parsed), expected);
    }

    expect(disagreements).toEqual([]);
    // The comparison means something only if both verdicts occur often.
    expect(counts.allowed).toBeGreaterThan(1_000);
    expect(counts.refused).toBeGreaterThan(1_000);
  });
});
