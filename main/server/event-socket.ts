import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer } from 'ws';
import type { LatheEvent } from '../../shared/contract/calls.ts';
import type { EventHub } from '../core/events.ts';

/** How often each client is pinged; one that has not answered the previous ping is dropped. */
const PING_INTERVAL_MS = 30_000;
/** A client that has this much unsent is too slow to follow: drop it rather than buffer more. */
const MAX_BUFFERED_BYTES = 16 * 1024 * 1024;
/** Clients have nothing to say; anything bigger than this closes the socket. */
const MAX_INCOMING_BYTES = 1024;
/** close() waits this long for clients to acknowledge before cutting them off. */
const CLOSE_GRACE_MS = 500;

export interface EventSocket {
  /** Finish an upgrade the caller has already checked (Host, Origin, token, path). */
  accept(req: IncomingMessage, socket: Duplex, head: Buffer): void;
  readonly clientCount: number;
  close(): Promise<void>;
}

/** `GET /api/events`: every core event goes to every connected client as a JSON text frame. */
export function createEventSocket(events: EventHub): EventSocket {
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_INCOMING_BYTES, perMessageDeflate: false });
  const alive = new WeakMap<WebSocket, boolean>();

  wss.on('connection', (client) => {
    alive.set(client, true);
    client.on('pong', () => alive.set(client, true));
    // Clients only listen: whatever they send is ignored.
    client.on('message', () => {});
    client.on('error', () => client.terminate());
  });

  const unsubscribe = events.on((event: LatheEvent) => {
    if (wss.clients.size === 0) return; // no one listening: not even the JSON is made (metric events come by the thousand)
    const frame = JSON.stringify(event);
    for (const client of wss.clients) {
      if (client.readyState !== WebSocket.OPEN) continue;
      if (client.bufferedAmount > MAX_BUFFERED_BYTES) client.terminate();
      else client.send(frame);
    }
  });

  const pinger = setInterval(() => {
    for (const client of wss.clients) {
      if (!alive.get(client)) {
        client.terminate();
        continue;
      }
      alive.set(client, false);
      client.ping();
    }
  }, PING_INTERVAL_MS);
  pinger.unref();

  return {
    accept(req, socket, head) {
      wss.handleUpgrade(req, socket, head, (client) => wss.emit('connection', client, req));
    },
    get clientCount() {
      return wss.clients.size;
    },
    async close() {
      unsubscribe();
      clearInterval(pinger);
      const closed = [...wss.clients].map(
        (client) =>
          new Promise<void>((resolve) => {
            if (client.readyState === WebSocket.CLOSED) return resolve();
            client.once('close', () => resolve());
            client.close(1001, 'Lathe is stopping');
          }),
      );
      const grace = new Promise<void>((resolve) => setTimeout(resolve, CLOSE_GRACE_MS).unref());
      await Promise.race([Promise.all(closed), grace]);
      for (const client of wss.clients) client.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}
