/**
 * Run `work` on every item, at most `limit` at a time, in the items' order of starting. The
 * first failure stops new work from starting; the work already running is awaited, then that
 * failure is thrown. Copies of many small blobs are bound by per-file latency (open, fsync,
 * rename), which overlapping hides; `limit` keeps the open files and memory bounded.
 */
export async function inParallel<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  let failed: { error: unknown } | null = null;
  const worker = async () => {
    while (failed === null && next < items.length) {
      const item = items[next++]!;
      try {
        await work(item);
      } catch (error) {
        failed ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  if (failed !== null) throw (failed as { error: unknown }).error;
}
