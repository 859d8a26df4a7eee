import type { Server } from 'node:http';
import type { Socket } from 'node:net';
import { failure } from '../core/errors.ts';
import { hostNameForUrl } from './request-guard.ts';

/**
 * Listening on an address, with the failures a person can act on (port taken, no privileges, not
 * an address of this machine) said as such; shared by `lathe serve` and `lathe agent`.
 */
export function listen(server: Server, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException): void => reject(listenFailure(error, host, port));
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve();
    });
  });
}

function listenFailure(error: NodeJS.ErrnoException, host: string, port: number): Error {
  const where = `${hostNameForUrl(host)}:${port}`;
  switch (error.code) {
    case 'EADDRINUSE':
      return failure('CONFLICT', `Another program is already listening on ${where}.`, {
        hint: 'Stop it, or choose another port with --port (0 picks a free one).',
      });
    case 'EACCES':
      return failure('UNAVAILABLE', `Lathe is not allowed to listen on ${where}.`, { hint: 'Ports below 1024 need privileges: choose a higher one.' });
    case 'EADDRNOTAVAIL':
    case 'ENOTFOUND':
      return failure('INVALID_INPUT', `${host} is not an address of this machine.`, { hint: 'Use 127.0.0.1 (the default) or one of its own addresses.' });
    default:
      return failure('UNAVAILABLE', `Could not listen on ${where}: ${error.message}`);
  }
}

/** The host to put in the printed address: a loopback name whenever the server listens on one. */
export function urlHost(bindHost: string): string {
  const host = hostNameForUrl(bindHost);
  if (host === '0.0.0.0') return '127.0.0.1';
  if (host === '[::]' || host === '[::1]') return '[::1]';
  return host;
}

/**
 * Close every connection that has not sent a whole request head within `ms` of opening (Node's
 * headersTimeout starts only at the first byte, so silent connections would pile up: Slowloris).
 * Returns the set the server adds each request's (and upgrade's) socket to.
 */
export function hangUpUnlessRequested(server: Server, ms: number): WeakSet<object> {
  const requested = new WeakSet<object>();
  server.on('connection', (socket: Socket) => {
    const timer = setTimeout(() => {
      if (!requested.has(socket)) socket.destroy();
    }, ms);
    timer.unref();
    socket.once('close', () => clearTimeout(timer));
  });
  return requested;
}
