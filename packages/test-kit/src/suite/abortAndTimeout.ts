import { AuthError } from '@authmachine/core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { CallOutcome } from '../adapterDriver.js';
import { deferred } from '../deferred.js';
import { ABORTED, dataFor, errorOf, seenFor, track } from '../outcomes.js';
import { untilStatus } from '../untilStatus.js';
import { countTokenRejections, until, untilIo } from '../waiting.js';
import type { SuiteContext } from './suiteContext.js';

const QUEUE_TIMEOUT = 1_000;
/** Intervals too: RxJS' scheduler (the axios adapter's queue) keeps its timers with setInterval. */
const FAKED_TIMERS: Array<'setTimeout' | 'clearTimeout' | 'setInterval' | 'clearInterval'> = [
  'setTimeout',
  'clearTimeout',
  'setInterval',
  'clearInterval',
];

function expectQueueTimeout(outcome: CallOutcome): void {
  const error = errorOf(outcome);
  expect(error).toBeInstanceOf(AuthError);
  expect(error).toMatchObject({ code: 'QUEUE_TIMEOUT' });
}

/**
 * A waiting request (queued before sending, or waiting after its own 401) whose signal aborts
 * leaves at once, and `queueTimeout` bounds every wait; the refresh and the other requests go on.
 */
export function abortAndTimeout({ driver, start }: SuiteContext): void {
  describe(`${driver.name}: aborting a waiting request`, () => {
    it('queued during a refresh: only that one ends, at once, as aborted and unsent; the others go out with the new token', async () => {
      const { client, session, fake } = await start();
      const gate = deferred();
      fake.holdRefreshUntil(gate.promise);
      const refreshed = session.refresh();
      await until(() => fake.refreshCalls.length === 1, 'the refresh call reached the server');
      const controller = new AbortController();

      const first = client.get('/api/first');
      const aborted = client.get('/api/aborted', { signal: controller.signal });
      const last = client.get('/api/last');
      controller.abort();

      // Ended while the refresh is still held: it did not wait for the queue to move.
      expect(await aborted).toEqual(ABORTED);
      expect(session.getSnapshot().status).toBe('refreshing');
      expect(await client.get('/api/early', { signal: AbortSignal.abort() })).toEqual(ABORTED);

      gate.resolve();
      await expect(refreshed).resolves.toBe('access-2');
      expect(await Promise.all([first, last])).toEqual([dataFor('/api/first'), dataFor('/api/last')]);
      expect(seenFor(fake, '/api/first')).toEqual(['Bearer access-2']);
      expect(seenFor(fake, '/api/last')).toEqual(['Bearer access-2']);
      expect(seenFor(fake, '/api/aborted')).toEqual([]);
      expect(seenFor(fake, '/api/early')).toEqual([]);
      expect(fake.refreshCalls).toHaveLength(1);
    });

    it('waiting after its own 401: only that one ends, at once, as aborted; its retry is never sent, the others are retried', async () => {
      const { client, session, fake } = await start();
      const rejections = countTokenRejections(session);
      const gate = deferred();
      fake.holdRefreshUntil(gate.promise);
      fake.expireAccessToken();
      fake.holdApiResponsesUntil(3);
      const controller = new AbortController();

      const first = client.get('/api/first');
      const aborted = client.get('/api/aborted', { signal: controller.signal });
      const last = client.get('/api/last');
      await until(() => rejections.count === 3, 'the 3 requests reported their 401');
      controller.abort();

      expect(await aborted).toEqual(ABORTED);
      expect(session.getSnapshot().status).toBe('refreshing');

      gate.resolve();
      expect(await Promise.all([first, last])).toEqual([dataFor('/api/first'), dataFor('/api/last')]);
      expect(seenFor(fake, '/api/first')).toEqual(['Bearer access-1', 'Bearer access-2']);
      expect(seenFor(fake, '/api/last')).toEqual(['Bearer access-1', 'Bearer access-2']);
      expect(seenFor(fake, '/api/aborted')).toEqual(['Bearer access-1']);
      expect(fake.refreshCalls).toHaveLength(1);
    });
  });

  describe(`${driver.name}: queueTimeout (fake clock for the waits; msw answers over real I/O)`, () => {
    afterEach(() => {
      vi.useRealTimers();
    });

    it('a request queued longer than queueTimeout fails with AuthError QUEUE_TIMEOUT, not a ms early, unsent; one made later is served', async () => {
      const { client, session, fake } = await start({ connect: { queueTimeout: QUEUE_TIMEOUT } });
      const gate = deferred();
      fake.holdRefreshUntil(gate.promise);
      const refreshed = session.refresh();
      await until(() => fake.refreshCalls.length === 1, 'the refresh call reached the server');
      vi.useFakeTimers({ toFake: FAKED_TIMERS });

      const early = client.get('/api/early');
      const earlyState = track(early);
      await vi.advanceTimersByTimeAsync(QUEUE_TIMEOUT / 2);
      const late = client.get('/api/late');
      const lateState = track(late);
      await vi.advanceTimersByTimeAsync(QUEUE_TIMEOUT / 2 - 1);
      expect(earlyState.settled).toBe(false);
      await vi.advanceTimersByTimeAsync(1);
      expectQueueTimeout(await early);
      // Each by its own clock: the later one still has half its time.
      expect(lateState.settled).toBe(false);
      await vi.advanceTimersByTimeAsync(QUEUE_TIMEOUT / 2);
      expectQueueTimeout(await late);
      expect(session.getSnapshot().status).toBe('refreshing');
      vi.useRealTimers();

      const patient = client.get('/api/patient');
      gate.resolve();
      await expect(refreshed).resolves.toBe('access-2');
      expect(await patient).toEqual(dataFor('/api/patient'));
      expect(seenFor(fake, '/api/patient')).toEqual(['Bearer access-2']);
      expect(seenFor(fake, '/api/early')).toEqual([]);
      expect(seenFor(fake, '/api/late')).toEqual([]);
    });

    it('also bounds the wait after a 401: that request fails with QUEUE_TIMEOUT and is not retried', async () => {
      const { client, session, fake } = await start({ connect: { queueTimeout: QUEUE_TIMEOUT } });
      const rejections = countTokenRejections(session);
      const gate = deferred();
      fake.holdRefreshUntil(gate.promise);
      fake.expireAccessToken();
      vi.useFakeTimers({ toFake: FAKED_TIMERS });

      const request = client.get('/api/slow-refresh');
      const state = track(request);
      await untilIo(() => rejections.count === 1, 'the request reported its 401');
      await vi.advanceTimersByTimeAsync(QUEUE_TIMEOUT - 1);
      expect(state.settled).toBe(false);
      await vi.advanceTimersByTimeAsync(1);

      expectQueueTimeout(await request);
      expect(session.getSnapshot().status).toBe('refreshing');
      // Sent once, answered 401: the timeout struck while it waited for the refresh.
      expect(seenFor(fake, '/api/slow-refresh')).toEqual(['Bearer access-1']);

      vi.useRealTimers();
      gate.resolve();
      await untilStatus(session, 'authenticated');
      expect(session.getAccessToken()).toBe('access-2');
      expect(seenFor(fake, '/api/slow-refresh')).toEqual(['Bearer access-1']);
    });
  });
}
