import { authFetch } from './authFetch.js';

/**
 * A stream is read by the first send, so authFetch cannot send it again after a refresh: that call
 * resolves with its 401. The session refreshes all the same, so a second call with a new stream
 * waits for the refresh and goes out with the new token.
 */
export async function uploadLog(openLog: () => ReadableStream<Uint8Array>): Promise<Response> {
  const upload = (): Promise<Response> => {
    // `duplex: 'half'` is what fetch asks for a stream body; TypeScript's RequestInit lacks it.
    const init: RequestInit & { duplex: 'half' } = { method: 'PUT', body: openLog(), duplex: 'half' };
    return authFetch('https://api.example.com/logs/today', init);
  };
  const first = await upload();
  return first.status === 401 ? upload() : first;
}
