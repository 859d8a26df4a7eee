import type { CallName, InputOf } from '../../../shared/contract/calls.ts';
import { httpPaths, TOKEN_QUERY } from '../../../shared/contract/http.ts';
import type { ConnectionState, ImportFileInput, Transport, UploadProgress } from './api-types.ts';

/** Where the page keeps its `lathe serve` session token (per tab, gone when the tab closes). */
export const TOKEN_STORAGE_KEY = 'lathe.token';

/**
 * The token arrives once as `?token=` on the first load; keep it for this tab and take it out
 * of the address bar so it is not bookmarked, shared or left in history.
 * Returns the token to use and, when the URL carried one, the address without it.
 */
export function takeToken(href: string, stored: string | null): { token: string | null; cleanedHref: string | null } {
  const url = new URL(href);
  const fromUrl = url.searchParams.get(TOKEN_QUERY);
  if (!fromUrl) return { token: stored, cleanedHref: null };
  url.searchParams.delete(TOKEN_QUERY);
  return { token: fromUrl, cleanedHref: url.pathname + url.search + url.hash };
}

/** `POST /api/upload/datasets:import-upload?<input as query>`: the body is the file's bytes. */
export function uploadPath(input: ImportFileInput & { fileName: string }): string {
  const query = new URLSearchParams();
  query.set('workspace', input.workspace);
  query.set('fileName', input.fileName);
  query.set('name', input.name);
  if (input.message !== undefined) query.set('message', input.message);
  query.set('importId', input.importId);
  return `${httpPaths.upload}datasets:import-upload?${query.toString()}`;
}

export function eventsUrl(location: { protocol: string; host: string }, token: string): string {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${location.host}${httpPaths.events}?${TOKEN_QUERY}=${encodeURIComponent(token)}`;
}

/** A Result for answers that are not one (a proxy page, a crash): say what the status means. */
export function failureForStatus(status: number, host: string): { ok: false; error: { code: 'UNAUTHORIZED' | 'UNAVAILABLE' | 'INTERNAL'; message: string; hint?: string } } {
  if (status === 401 || status === 403) {
    return {
      ok: false,
      error: {
        code: 'UNAUTHORIZED',
        message: 'This page is not signed in to Lathe: its session token is missing or out of date.',
        hint: 'Open Lathe again from the link that `lathe serve` printed.',
      },
    };
  }
  if (status === 0) {
    return {
      ok: false,
      error: {
        code: 'UNAVAILABLE',
        message: `Lathe is not reachable at ${host}.`,
        hint: 'Is `lathe serve` still running? Start it again, then reload this page.',
      },
    };
  }
  return { ok: false, error: { code: 'INTERNAL', message: `Lathe answered with HTTP ${status} and no result.` } };
}

function readStoredToken(storage: Storage | null): string | null {
  try {
    return storage?.getItem(TOKEN_STORAGE_KEY) ?? null;
  } catch {
    return null;
  }
}

export interface BrowserEnvironment {
  location: Location;
  history: History;
  storage: Storage | null;
  open: (url: string) => void;
}

/** HTTP calls and uploads plus one WebSocket for events, to `lathe serve` on this page's origin. */
export function createHttpTransport(env: BrowserEnvironment): Transport {
  const { token, cleanedHref } = takeToken(env.location.href, readStoredToken(env.storage));
  if (token) {
    try {
      env.storage?.setItem(TOKEN_STORAGE_KEY, token);
    } catch {
      // Storage can be off (private modes); the token still lives in memory for this page.
    }
  }
  if (cleanedHref !== null) env.history.replaceState(env.history.state, '', cleanedHref);

  const host = env.location.host;
  const headers = (contentType: string): HeadersInit => ({
    'Content-Type': contentType,
    ...(token ? { Authorization: `Bearer ${token}` } : {}),
  });

  async function call<N extends CallName>(name: N, input: InputOf<N>): Promise<unknown> {
    let response: Response;
    try {
      response = await fetch(httpPaths.call + name, { method: 'POST', headers: headers('application/json'), body: JSON.stringify(input) });
    } catch {
      return failureForStatus(0, host);
    }
    try {
      return await response.json();
    } catch {
      return failureForStatus(response.status, host);
    }
  }

  function importFile(file: File, input: ImportFileInput, onUploadProgress?: UploadProgress): Promise<unknown> {
    return new Promise((resolve) => {
      const xhr = new XMLHttpRequest();
      xhr.open('POST', uploadPath({ ...input, fileName: file.name }));
      if (token) xhr.setRequestHeader('Authorization', `Bearer ${token}`);
      xhr.setRequestHeader('Content-Type', 'application/octet-stream');
      xhr.responseType = 'text';
      if (onUploadProgress) {
        xhr.upload.onprogress = (event) => onUploadProgress(event.loaded, event.lengthComputable ? event.total : file.size);
      }
      xhr.onload = () => {
        try {
          resolve(JSON.parse(xhr.responseText) as unknown);
        } catch {
          resolve(failureForStatus(xhr.status, host));
        }
      };
      xhr.onerror = () => resolve(failureForStatus(0, host));
      xhr.onabort = () => resolve(failureForStatus(0, host));
      xhr.send(file);
    });
  }

  const eventListeners = new Set<(event: { name: string; payload: unknown }) => void>();
  const connectionListeners = new Set<(state: ConnectionState) => void>();
  let connection: ConnectionState = 'connecting';
  let socket: WebSocket | null = null;
  let retryDelay = 500;

  function setConnection(state: ConnectionState): void {
    if (state === connection) return;
    connection = state;
    for (const listener of connectionListeners) listener(state);
  }

  function connect(): void {
    if (!token) return;
    socket = new WebSocket(eventsUrl(env.location, token));
    socket.onopen = () => {
      retryDelay = 500;
      setConnection('connected');
    };
    socket.onmessage = (message) => {
      if (typeof message.data !== 'string') return;
      let event: unknown;
      try {
        event = JSON.parse(message.data);
      } catch {
        return;
      }
      for (const listener of eventListeners) listener(event as { name: string; payload: unknown });
    };
    socket.onclose = () => {
      socket = null;
      setConnection('reconnecting');
      setTimeout(connect, retryDelay);
      retryDelay = Math.min(retryDelay * 2, 5_000);
    };
  }
  connect();

  return {
    frontDoor: { kind: 'browser', nativeDialogs: false },
    call,
    importFile,
    on(listener) {
      eventListeners.add(listener);
      return () => eventListeners.delete(listener);
    },
    onConnection(listener) {
      connectionListeners.add(listener);
      listener(connection);
      return () => connectionListeners.delete(listener);
    },
    async openWorkspaceWindow(path) {
      const query = new URLSearchParams();
      if (token) query.set(TOKEN_QUERY, token);
      query.set('workspace', path);
      env.open(`/?${query.toString()}`);
      return { ok: true, value: null };
    },
  };
}
