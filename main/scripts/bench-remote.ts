// npm run bench:remote — `data push` and `data pull` to a folder remote, beside references measured
// in the same run on the same bytes: `cp -r` of the store (what a copy costs, unverified) and
// `sha256sum` of every blob (what one hashing pass costs). The point DVC users make: a push or pull
// of what is already there must cost a listing, not a re-hash — so the no-op runs are printed as a
// fraction of hashing everything once.
//   LATHE_BENCH_BLOBS=20000 LATHE_BENCH_MB=512 npm run bench:remote   (defaults 5000 small blobs of 4 KiB + one of 128 MiB)
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { BlobStore } from '../core/storage/blob-store.ts';
import { FolderRemote } from '../core/remote/folder-remote.ts';
import type { ChosenRemote } from '../core/remote/choose-remote.ts';
import type { NeededBlob } from '../core/remote/needed-blobs.ts';
import { pullBlobs } from '../core/remote/pull-blobs.ts';
import { pushBlobs } from '../core/remote/push-blobs.ts';
import { transferProgress } from '../core/remote/transfer-progress.ts';

const smallBlobs = Number(process.env.LATHE_BENCH_BLOBS ?? 5000);
const bigMb = Number(process.env.LATHE_BENCH_MB ?? 128);
const dir = join(tmpdir(), 'lathe-bench-remote');
rmSync(dir, { recursive: true, force: true });
for (const sub of ['here', 'there', 'remote', 'copy']) mkdirSync(join(dir, sub), { recursive: true });

const seconds = (started: number) => (performance.now() - started) / 1000;
const timed = async <T>(work: () => Promise<T> | T): Promise<[T, number]> => {
  const started = performance.now();
  const value = await work();
  return [value, seconds(started)];
};

async function storeBlob(store: BlobStore, bytes: Uint8Array, usedBy: string): Promise<NeededBlob> {
  const writer = await store.begin();
  for (let offset = 0; offset < bytes.byteLength; offset += 1 << 20) await writer.write(bytes.subarray(offset, offset + (1 << 20)));
  const { hash } = await writer.commit();
  return { hash, bytes: bytes.byteLength, usedBy: [usedBy] };
}

const here = new BlobStore(join(dir, 'here'), join(dir, 'here', '.lathe'));
const there = new BlobStore(join(dir, 'there'), join(dir, 'there', '.lathe'));
process.stdout.write(`storing ${smallBlobs} blobs of 4 KiB and one of ${bigMb} MiB … `);
const needed: NeededBlob[] = [];
for (let i = 0; i < smallBlobs; i += 1) needed.push(await storeBlob(here, randomBytes(4096), `small@${i + 1}`));
needed.push(await storeBlob(here, randomBytes(bigMb * 2 ** 20), 'weights@1'));
process.stdout.write('done\n');
const totalBytes = needed.reduce((sum, blob) => sum + blob.bytes, 0);
const remote: ChosenRemote = { name: 'bench', url: join(dir, 'remote'), label: 'the bench remote', store: new FolderRemote(join(dir, 'remote')) };
const progress = () => transferProgress(null, dir, 'push');

// References, on the same bytes: a plain recursive copy, and one hashing pass over every blob.
const [, copySeconds] = await timed(() => execFileSync('cp', ['-r', here.objectsDir, join(dir, 'copy')]));
const [, hashSeconds] = await timed(() => execFileSync('sh', ['-c', `find '${here.objectsDir}' -type f -print0 | xargs -0 sha256sum > /dev/null`]));

const [first, pushSeconds] = await timed(() => pushBlobs(here, needed, remote, progress()));
const [noop, noopPushSeconds] = await timed(() => pushBlobs(here, needed, remote, progress()));
const [pulled, pullSeconds] = await timed(() => pullBlobs(there, needed, remote, progress()));
const [noopPull, noopPullSeconds] = await timed(() => pullBlobs(there, needed, remote, progress()));
if (first.copied !== needed.length || noop.copied !== 0 || pulled.copied !== needed.length || noopPull.copied !== 0 || [first, noop, pulled, noopPull].some((r) => r.problems.length)) {
  throw new Error('the bench transfers did not do what they should');
}

const mb = totalBytes / 2 ** 20;
const line = (what: string, s: number, reference: string) => process.stdout.write(`${what.padEnd(34)} ${s.toFixed(3).padStart(8)} s  ${(mb / s).toFixed(0).padStart(6)} MiB/s   ${reference}\n`);
process.stdout.write(`\n${needed.length} blobs, ${mb.toFixed(1)} MiB; load before: ${loadavg().map((l) => l.toFixed(2)).join(' ')}\n`);
line('reference: cp -r of the store', copySeconds, '');
line('reference: sha256sum of every blob', hashSeconds, '');
line('data push (remote empty)', pushSeconds, `${(pushSeconds / copySeconds).toFixed(2)}× cp -r (push also hashes and fsyncs each blob)`);
line('data push (all there already)', noopPushSeconds, `${(noopPushSeconds / hashSeconds).toFixed(3)}× one hashing pass`);
line('data pull (store empty)', pullSeconds, `${(pullSeconds / (copySeconds + hashSeconds)).toFixed(2)}× cp -r + sha256sum (pull verifies each blob)`);
line('data pull (all here already)', noopPullSeconds, `${(noopPullSeconds / hashSeconds).toFixed(3)}× one hashing pass`);
rmSync(dir, { recursive: true, force: true });
