import type { ImportOutcome } from '../../../shared/contract/datasets.ts';
import { formatByteLimit } from '../byte-limit.ts';
import { reachPhase } from '../base/phases.ts';
import { failedTo, failure } from '../errors.ts';
import type { EventHub } from '../events.ts';
import type { JobContext } from '../jobs/job-registry.ts';
import type { BlobWriter } from '../storage/blob-writer.ts';
import type { Workspace } from '../workspace/workspace.ts';
import { latestManifest, versionOf } from './dataset-history.ts';
import { datasetManifest, datasetProfile, manifestPath, profilePath, type DatasetManifest } from './dataset-manifest.ts';
import { formatFromFileName, type TableScanResult } from './table/table-scanner.ts';
import { startTableScan } from './table-scan.ts';

export interface ImportSource {
  /** The file's bytes, in order. */
  chunks: AsyncIterable<Uint8Array>;
  /** The name the user knows the file by (never used as a local path). */
  fileName: string;
  totalBytes: number | null;
  /** Refuse past this many bytes (uploads). */
  maxBytes?: number;
}

export interface ImportRequest {
  name: string;
  message?: string | undefined;
  importId?: string | undefined;
}

export interface ImportContext {
  events?: EventHub;
  /** The scan worker's entry (the desktop app's bundle has its own); default: the source file. */
  scanWorker?: URL | undefined;
  /** The job this import runs as: cancelling it stops the import before its commit. */
  job?: JobContext;
}

const PROGRESS_INTERVAL_MS = 100;

/**
 * Stream a table into the workspace as a new version of a dataset, in one pass: every chunk is
 * hashed and written to a temp file here while a worker thread parses and profiles it. Only when
 * the whole file parsed does anything become visible: under the workspace lock the bytes move
 * into the blob store and the manifest and profile are committed. On any error — a malformed
 * file, a full disk, a workspace deleted meanwhile — the temp file is removed and the workspace
 * is as it was, and the error says what happened and where.
 */
export async function importDataset(workspace: Workspace, source: ImportSource, request: ImportRequest, context: ImportContext = {}): Promise<ImportOutcome> {
  try {
    await refuseCaseTwin(workspace, request.name);
    const format = formatFromFileName(source.fileName);
    const writer = await workspace.blobs.begin();
    let placed = false;
    const scanner = startTableScan({ format, fileName: source.fileName }, source.totalBytes, context.scanWorker);
    try {
      const table = await streamInto(writer, scanner, source, request, context);
      context.job?.signal.throwIfAborted();
      return await workspace.lock.run(
        async () => {
          await reachPhase('import:locked');
          // The last moment a cancel is heard: from here the version is made.
          context.job?.signal.throwIfAborted();
          const outcome = await commitVersion(workspace, writer, table, source, request, () => (placed = true));
          if (outcome.status === 'created') {
            context.events?.emit('datasets:changed', { workspace: workspace.dir, name: request.name, ...(request.importId ? { importId: request.importId } : {}) });
          }
          return outcome;
        },
        { purpose: `importing ${request.name}` },
      );
    } finally {
      // Placed bytes are content-addressed and whole; everything else is thrown away.
      await scanner.close();
      if (!placed) await writer.discard();
    }
  } catch (error) {
    throw failedTo(`import ${source.fileName}`, error, 'Nothing was kept; the workspace is as it was.');
  }
}

/** Read every chunk once: hash and write it here while the scanner parses it. */
async function streamInto(writer: BlobWriter, scanner: ReturnType<typeof startTableScan>, source: ImportSource, request: ImportRequest, context: ImportContext): Promise<TableScanResult> {
  let lastProgress = 0;
  const progress = () => {
    if (request.importId) context.events?.emit('datasets:import-progress', { importId: request.importId, bytesRead: writer.bytes, totalBytes: source.totalBytes, rows: scanner.rows });
  };
  for await (const chunk of source.chunks) {
    context.job?.signal.throwIfAborted();
    if (source.maxBytes !== undefined && writer.bytes + chunk.byteLength > source.maxBytes) {
      throw failure('TOO_LARGE', `${source.fileName} is larger than the upload limit of ${formatByteLimit(source.maxBytes)}.`, {
        hint: 'Import it from the desktop app or with `lathe data import`, which read the file in place, or raise the limit with `lathe serve --max-upload-mb`.',
        location: { file: source.fileName },
      });
    }
    const flushed = writer.write(chunk);
    await scanner.write(chunk);
    await flushed;
    await reachPhase('import:chunk');
    const now = Date.now();
    if (now - lastProgress >= PROGRESS_INTERVAL_MS) {
      lastProgress = now;
      progress();
    }
  }
  const table = await scanner.end();
  await writer.finish();
  progress();
  await reachPhase('import:scanned');
  return table;
}

/**
 * Under the workspace lock: place the bytes and commit the version, or say nothing changed.
 * Identical bytes still go through the store, which checks the stored copy and repairs it.
 */
async function commitVersion(workspace: Workspace, writer: BlobWriter, table: TableScanResult, source: ImportSource, request: ImportRequest, onPlaced: () => void): Promise<ImportOutcome> {
  if ((await workspace.stillHere()) === 'replaced') {
    throw failure('CONFLICT', `The workspace folder ${workspace.dir} was replaced by another folder while this import ran.`, { hint: 'Open the workspace again and repeat the import.' });
  }
  await refuseCaseTwin(workspace, request.name);
  const contentHash = writer.digest();
  const previous = await latestManifest(workspace, request.name);
  const { placement } = await writer.commit();
  onPlaced();
  await reachPhase('import:placed');
  if (previous && previous.contentHash === contentHash) {
    const [commit] = await workspace.git.history(manifestPath(request.name), 1);
    return { status: 'unchanged', version: versionOf(previous, commit?.oid ?? ''), ...(placement === 'repaired' ? { repaired: true } : {}) };
  }
  const version = (previous?.version ?? 0) + 1;
  const manifest: DatasetManifest = {
    schemaVersion: 2,
    name: request.name,
    version,
    message: request.message?.trim() || `Import ${source.fileName}`,
    importedAt: new Date().toISOString(),
    format: formatFromFileName(source.fileName),
    contentHash,
    bytes: writer.bytes,
    rows: table.rows,
    columns: table.profile.length,
    source: { fileName: source.fileName },
    parse: { encoding: 'utf-8', bom: table.parse.bom, lineEnding: table.parse.lineEnding },
  };
  const commitMessage = `${manifest.message}\n\nLathe-Dataset: ${request.name}\nLathe-Version: ${version}\nLathe-Content: ${contentHash}\n`;
  try {
    const commit = await workspace.git.commit(
      [
        { path: manifestPath(request.name), content: datasetManifest.serialize(manifest) },
        { path: profilePath(request.name), content: datasetProfile.serialize({ schemaVersion: 1, contentHash, columns: table.profile }) },
      ],
      commitMessage,
    );
    await reachPhase('import:committed');
    return { status: 'created', version: versionOf(manifest, commit), ...(placement === 'repaired' ? { repaired: true } : {}) };
  } catch (error) {
    // No commit names these bytes: take back what this import added to the store.
    if (placement === 'stored') await workspace.blobs.remove(contentHash).catch(() => undefined);
    throw error;
  }
}

/** macOS and Windows keep "Penguins" and "penguins" in one folder: a second such name is refused. */
async function refuseCaseTwin(workspace: Workspace, name: string): Promise<void> {
  const twin = (await workspace.git.list('datasets')).find((entry) => entry.path !== name && entry.path.toLowerCase() === name.toLowerCase());
  if (twin) {
    throw failure('CONFLICT', `A dataset named "${twin.path}" already exists, and "${name}" differs from it only in case: on macOS and Windows both would be one folder.`, {
      hint: `Import into "${twin.path}", or choose a name that differs by more than case.`,
    });
  }
}
