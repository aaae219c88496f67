import type { Attempt } from './simulatedServer.js';

export type AdapterName = 'axios' | 'fetch';

/** One request of the page as the reader follows it: each call the server saw, then how it ended. */
export interface TrackedRequest {
  id: number;
  adapter: AdapterName;
  /** Part of a storm (50 at once). */
  storm: boolean;
  sentAt: number;
  /** Every call the server received for it: the first one, then the retry after a refresh. */
  attempts: Attempt[];
  outcome: { ok: true; answeredWith: string } | { ok: false; error: string; code: string | null } | null;
}

/** Where a request is now, in the words the page shows. */
export function phaseOf(request: TrackedRequest): string {
  if (request.outcome) return request.outcome.ok ? 'ok' : 'failed';
  const last = request.attempts.at(-1);
  if (!last) return 'waiting';
  if (last.status === null) return request.attempts.length > 1 ? 'retried' : 'sent';
  return last.status === 401 ? 'waiting' : 'answered';
}

/** The requests of the page, updated from the server's reports and the adapters' outcomes. */
export class RequestTracker {
  readonly requests: TrackedRequest[] = [];
  private nextId = 1;

  constructor(private readonly onChange: () => void) {}

  start(adapter: AdapterName, storm: boolean, now: number): TrackedRequest {
    const request: TrackedRequest = { id: this.nextId++, adapter, storm, sentAt: now, attempts: [], outcome: null };
    this.requests.push(request);
    this.onChange();
    return request;
  }

  /** The server reports a call when it arrives (status null) and again when it answers it. */
  attempt(report: Attempt): void {
    const request = this.requests.find((candidate) => candidate.id === report.requestId);
    if (!request) return;
    const open = request.attempts.find((attempt) => attempt.status === null && attempt.token === report.token);
    if (report.status !== null && open) open.status = report.status;
    else request.attempts.push(report);
    this.onChange();
  }

  settle(request: TrackedRequest, outcome: NonNullable<TrackedRequest['outcome']>): void {
    request.outcome = outcome;
    this.onChange();
  }

  clear(): void {
    this.requests.length = 0;
    this.onChange();
  }
}
