import type { IncomingMessage } from 'node:http';

/**
 * Waits `ms`, then answers whether the client is still connected. A client that closed its
 * connection meanwhile (a tab closed, a request aborted) will never read the answer: a server
 * that commits a refresh-token rotation for it anyway leaves every other holder of the old token
 * looking like a thief.
 */
export function stillConnectedAfter(request: IncomingMessage, ms: number): Promise<boolean> {
  const { socket } = request;
  if (socket.destroyed) return Promise.resolve(false);
  return new Promise((resolve) => {
    const onClose = (): void => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      socket.off('close', onClose);
      resolve(!socket.destroyed);
    }, ms);
    socket.once('close', onClose);
  });
}
