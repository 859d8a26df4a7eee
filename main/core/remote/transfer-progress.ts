import type { EventHub } from '../events.ts';
import type { NeededBlob } from './needed-blobs.ts';

export interface TransferProgress {
  start(blobs: readonly NeededBlob[]): void;
  /** One blob is finished with (copied, or refused and reported). */
  done(blob: NeededBlob): void;
}

/**
 * `data:transfer-progress` events for a push or pull: one when it starts, then at most one per
 * 100 ms (and always the last), so a push of thousands of small blobs does not flood a window.
 */
export function transferProgress(events: EventHub | null, workspace: string, direction: 'push' | 'pull', now: () => number = Date.now): TransferProgress {
  let total = 0;
  let bytesTotal = 0;
  let done = 0;
  let bytesDone = 0;
  let last = -Infinity;
  const emit = () => {
    last = now();
    events?.emit('data:transfer-progress', { workspace, direction, total, done, bytesTotal, bytesDone });
  };
  return {
    start(blobs) {
      total = blobs.length;
      bytesTotal = blobs.reduce((sum, blob) => sum + blob.bytes, 0);
      emit();
    },
    done(blob) {
      done += 1;
      bytesDone += blob.bytes;
      if (done === total || now() - last >= 100) emit();
    },
  };
}
