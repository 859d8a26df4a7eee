import type { CallName, EventName, InputOf, OutputOf, PayloadOf } from '../../../shared/contract/calls.ts';
import type { Result } from '../../../shared/contract/result.ts';

/** Which front door this window was opened through. */
export type FrontDoorKind = 'electron' | 'browser';

export interface FrontDoor {
  readonly kind: FrontDoorKind;
  /** Native folder and file dialogs exist (Electron only); the browser asks for a typed path. */
  readonly nativeDialogs: boolean;
}

/** The live link to main: always up in Electron; a WebSocket that can drop in the browser. */
export type ConnectionState = 'connecting' | 'connected' | 'reconnecting';

export type ImportFileInput = {
  workspace: string;
  name: string;
  message?: string;
  importId: string;
};

export type UploadProgress = (sentBytes: number, totalBytes: number) => void;

/** What a transport (Electron bridge or HTTP) gives the rest of the renderer. */
export interface Transport {
  readonly frontDoor: FrontDoor;
  call<N extends CallName>(name: N, input: InputOf<N>): Promise<unknown>;
  on(listener: (event: { name: string; payload: unknown }) => void): () => void;
  onConnection(listener: (state: ConnectionState) => void): () => void;
  importFile(file: File, input: ImportFileInput, onUploadProgress?: UploadProgress): Promise<unknown>;
  openWorkspaceWindow(path: string): Promise<unknown>;
}

/** The typed client every component and command uses (renderer/src/lib/api.ts builds it). */
export interface LatheApi {
  readonly frontDoor: FrontDoor;
  /** Never throws: transport failures come back as `{ ok: false }` with code UNAVAILABLE. */
  call<N extends CallName>(name: N, input: InputOf<N>): Promise<Result<OutputOf<N>>>;
  /** Subscribe to one event; returns the unsubscribe function. */
  on<E extends EventName>(name: E, listener: (payload: PayloadOf<E>) => void): () => void;
  onConnection(listener: (state: ConnectionState) => void): () => void;
  /** Import a dropped or chosen file: a path for Electron, an upload with progress in the browser. */
  importFile(file: File, input: ImportFileInput, onUploadProgress?: UploadProgress): Promise<Result<OutputOf<'datasets:import-upload'>>>;
  openWorkspaceWindow(path: string): Promise<Result<null>>;
}
