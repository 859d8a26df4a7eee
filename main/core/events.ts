import type { EventName, LatheEvent, PayloadOf } from '../../shared/contract/calls.ts';

export type EventListener = (event: LatheEvent) => void;

/** Fan-out of core events to every front door that listens (IPC windows, WebSocket clients, CLI). */
export class EventHub {
  readonly #listeners = new Set<EventListener>();

  on(listener: EventListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  emit<E extends EventName>(name: E, payload: PayloadOf<E>): void {
    const event = { name, payload } as LatheEvent;
    for (const listener of this.#listeners) {
      try {
        listener(event);
      } catch {
        // A listener that throws (a closed window, a dead socket) must not stop the others.
      }
    }
  }
}
