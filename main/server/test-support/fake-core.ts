import type { OutputOf, ParsedInputOf } from '../../../shared/contract/calls.ts';
import type { Handlers, UploadBody } from '../../core/dispatch.ts';
import { failure } from '../../core/errors.ts';
import { EventHub } from '../../core/events.ts';
import type { LatheCore } from '../../core/lathe-core.ts';

type UploadInput = ParsedInputOf<'datasets:import-upload'>;
type UploadOutcome = OutputOf<'datasets:import-upload'>;

export interface RecordedUpload {
  input: UploadInput;
  declaredBytes: number | null;
  maxBytes: number;
  bytes: Buffer;
  /** What ended the body: undefined when it was read to the end. */
  failure: unknown;
}

/**
 * A test double of the core for the server's tests: real EventHub, handler functions chosen by
 * each test, and a `datasets:import-upload` that reads the body the way the real one does and
 * records it (or the `importUpload` a test gives).
 */
export interface FakeCore extends LatheCore {
  readonly uploads: RecordedUpload[];
  closed: boolean;
}

export function fakeUploadOutcome(input: UploadInput, bytes: number): UploadOutcome {
  return {
    status: 'created',
    version: {
      name: input.name,
      version: 1,
      commit: 'a'.repeat(40),
      date: '2025-01-01T00:00:00.000Z',
      message: input.message ?? '',
      format: 'csv',
      rows: 0,
      columns: 0,
      bytes,
      contentHash: `sha256:${'b'.repeat(64)}`,
      sourceFile: input.fileName,
    },
  };
}

export function createFakeCore(
  handlers: Handlers = {},
  importUpload?: (input: UploadInput, body: UploadBody) => Promise<UploadOutcome>,
): FakeCore {
  const uploads: RecordedUpload[] = [];
  const recordUpload = async (input: UploadInput, body: UploadBody): Promise<UploadOutcome> => {
    if (importUpload) return importUpload(input, body);
    const record: RecordedUpload = { input, declaredBytes: body.declaredBytes, maxBytes: body.maxBytes, bytes: Buffer.alloc(0), failure: undefined };
    uploads.push(record);
    const parts: Uint8Array[] = [];
    try {
      for await (const chunk of body.chunks) parts.push(chunk);
    } catch (thrown) {
      record.failure = thrown;
      throw thrown;
    }
    record.bytes = Buffer.concat(parts);
    return fakeUploadOutcome(input, record.bytes.length);
  };
  const core: FakeCore = {
    handlers: { 'datasets:import-upload': (input, { upload }) => recordUpload(input, upload!), ...handlers },
    events: new EventHub(),
    uploads,
    closed: false,
    openWorkspace: () => Promise.reject(failure('UNAVAILABLE', 'The fake core opens no workspaces.')),
    async close() {
      core.closed = true;
    },
  };
  return core;
}
