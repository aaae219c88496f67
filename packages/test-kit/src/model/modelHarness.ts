import { HttpResponse, http, type RequestHandler } from 'msw';
import { vi } from 'vitest';
import type { TransportProbe } from '../adapterDriver.js';
import { API_ORIGIN } from '../fakeAuthApi.js';

/*
 * Support for the adapters' model test: endpoints the test holds open, and a way to tell when the
 * system has come to rest (every request answered or deliberately held), so that each model step
 * can be checked at a well-defined moment with fake timers on.
 */

/** Tags every call a client sends, so that the server side can say which call it is. */
const CALL_HEADER = 'x-model-call';

/** What the test does with a held call: let the fake server answer it, or answer it here. */
export type Release = 'answer' | Response;

export interface HeldCall {
  callId: string;
  /** The JSON body it carried. */
  body: unknown;
  /** Its Authorization header: none, as the login and refresh calls go out without the token. */
  authorization: string | null;
  released: boolean;
  release(how: Release): void;
}

/**
 * The login and refresh endpoints, held open in front of the fake server's own handlers: a call
 * reaches the server (and is recorded here at once) but is answered only when the test releases
 * it, either by the fake server as its `refreshBehaviour` says at that moment, or with a given
 * response. Calls nobody released are answered with a network error at `releaseAll()`.
 */
export class HeldAuthEndpoints {
  readonly refreshCalls: HeldCall[] = [];
  readonly loginCalls: HeldCall[] = [];

  readonly handlers: RequestHandler[] = [
    http.post(`${API_ORIGIN}/auth/refresh`, ({ request }) => this.hold(this.refreshCalls, request)),
    http.post(`${API_ORIGIN}/auth/login`, ({ request }) => this.hold(this.loginCalls, request)),
  ];

  /** Ids of calls that sit on the server waiting for the test. */
  heldIds(): Set<string> {
    return new Set([...this.refreshCalls, ...this.loginCalls].filter((call) => !call.released).map((c) => c.callId));
  }

  releaseAll(): void {
    for (const call of [...this.refreshCalls, ...this.loginCalls]) {
      if (!call.released) call.release(HttpResponse.error());
    }
  }

  private async hold(calls: HeldCall[], request: Request): Promise<Response | undefined> {
    let release: (how: Release) => void = () => undefined;
    const released = new Promise<Release>((resolve) => {
      release = resolve;
    });
    const call: HeldCall = {
      callId: request.headers.get(CALL_HEADER) ?? '',
      body: await request.clone().json(),
      authorization: request.headers.get('authorization'),
      released: false,
      release(how) {
        call.released = true;
        release(how);
      },
    };
    calls.push(call);
    const how = await released;
    // Returning nothing hands the request on to the next matching handler: the fake server's.
    return how === 'answer' ? undefined : how;
  }
}

/**
 * Follows every call a client hands to its transport (msw still answers it), tagged with an id the
 * held endpoints can see: the driver's `TransportProbe`.
 */
export class CallTracker implements TransportProbe {
  private next = 0;
  private readonly inFlight = new Set<string>();
  settledCount = 0;

  sent(): { headers: Record<string, string>; settled(): void } {
    this.next += 1;
    const callId = String(this.next);
    this.inFlight.add(callId);
    return {
      headers: { [CALL_HEADER]: callId },
      settled: () => {
        this.inFlight.delete(callId);
        this.settledCount += 1;
      },
    };
  }

  inFlightIds(): Set<string> {
    return new Set(this.inFlight);
  }

  /** Calls on the wire that nobody is deliberately holding. */
  unheld(held: Set<string>): string[] {
    return [...this.inFlight].filter((callId) => !held.has(callId));
  }

  get sentCount(): number {
    return this.next;
  }
}

/**
 * Lets the system run until it is at rest, without moving the fake clock: zero-delay timers run,
 * the real event loop turns (msw answers over it), and this goes on until no call is on the wire
 * except held ones and nothing observable (`signature`) has changed for two turns. With no call on
 * the wire, what is left is promise callbacks (interceptors, the queue, storage writes), and those
 * all run within one turn; a retry they start puts a call back on the wire.
 */
export async function untilAtRest(isQuiet: () => boolean, signature: () => string): Promise<void> {
  const QUIET_TURNS = 2;
  const MAX_TURNS = 2_000;
  let quietTurns = 0;
  let last = '';
  for (let turn = 0; turn < MAX_TURNS; turn += 1) {
    // Timers due now run (the fake clock stands still); then one real turn of the event loop.
    vi.advanceTimersByTime(0);
    await new Promise<void>((resolve) => setImmediate(resolve));
    const now = signature();
    if (now === last && isQuiet()) {
      quietTurns += 1;
      if (quietTurns >= QUIET_TURNS) return;
    } else {
      quietTurns = 0;
      last = now;
    }
  }
  throw new Error(`The system did not come to rest in ${MAX_TURNS} turns: ${last}`);
}
