import { type ChildProcess, fork } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { LoadServerMessage, LoadServerRequest, LoadServerStats } from './loadServerProtocol.js';

export interface LoadServerProcess {
  /** `http://127.0.0.1:PORT` */
  url: string;
  /** The server's counters, global and per session, as they are now. */
  stats(): Promise<LoadServerStats>;
  /** Zeroes the counters, global and per session; resolves once the server has. */
  reset(): Promise<void>;
  close(): Promise<void>;
}

const SERVER_ENTRY = fileURLToPath(new URL('./loadServer.ts', import.meta.url));
/** tsx's loader by absolute URL, so that the child finds it whatever its working directory. */
const TSX_LOADER = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
const START_TIMEOUT_MS = 20_000;

/**
 * The reference server (`createAuthApp` of `@authmachine/example-server`) in a child process of
 * its own, with access tokens living `accessTtl` seconds.
 */
export async function startLoadServer(accessTtl: number): Promise<LoadServerProcess> {
  const child = fork(SERVER_ENTRY, [String(accessTtl)], {
    execArgv: ['--import', TSX_LOADER],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error('load: the server process did not start in 20 s')),
      START_TIMEOUT_MS,
    );
    child.once('error', reject);
    child.once('exit', (code) =>
      reject(new Error(`load: the server process exited (code ${code}) before it listened`)),
    );
    child.on('message', (message: LoadServerMessage) => {
      if (message.kind !== 'ready') return;
      clearTimeout(timer);
      resolve(message.url);
    });
  }).catch((error: unknown) => {
    child.kill();
    throw error;
  });
  child.removeAllListeners('exit');
  return {
    url,
    stats: async () => {
      const answer = await ask(child, 'stats');
      if (answer.kind !== 'stats') throw new Error('load: the server process answered out of turn');
      return answer.stats;
    },
    reset: async () => {
      await ask(child, 'reset');
    },
    close: () => stop(child),
  };
}

/** Sends a request to the child and resolves with its answer of the same kind. */
function ask(child: ChildProcess, request: LoadServerRequest): Promise<LoadServerMessage> {
  return new Promise((resolve, reject) => {
    const onMessage = (message: LoadServerMessage): void => {
      if (message.kind !== request) return;
      child.off('message', onMessage);
      resolve(message);
    };
    child.on('message', onMessage);
    if (!child.send(request)) reject(new Error('load: the server process is gone'));
  });
}

/** Disconnecting ends the child (it closes its server); a kill if it has not after 5 s. */
function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill(), 5_000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.disconnect();
  });
}
