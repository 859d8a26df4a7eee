import type { ImportOutcome } from '../../../shared/contract/datasets.ts';
import { formatByteLimit } from '../byte-limit.ts';
import { failure } from '../errors.ts';
import type { EventHub } from '../events.ts';
import type { Workspace } from '../workspace/workspace.ts';
import { latestManifest, versionOf } from './dataset-history.ts';
import { MANIFEST_SCHEMA_VERSION, manifestPath, serializeManifest, type DatasetManifest } from './dataset-manifest.ts';
import { formatFromFileName } from './table/table-scanner.ts';
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
  scanWorker?: URL;
}

const PROGRESS_INTERVAL_MS = 100;

/**
 * Stream a table into the workspace as a new version of a dataset, in one pass: every chunk is
 * hashed and written to a temp file here while a worker thread parses and profiles it. Only when the whole file parsed does
 * anything become visible: the bytes move into the blob store and the manifest is committed.
 * On any error the temp file is removed and the workspace is as it was.
 */
export async function importDataset(workspace: Workspace, source: ImportSource, request: ImportRequest, context: ImportContext = {}): Promise<ImportOutcome> {
  const { events } = context;
  const format = formatFromFileName(source.fileName);
  const writer = await workspace.blobs.begin();
  const scanner = startTableScan({ format, fileName: source.fileName }, source.totalBytes, context.scanWorker);
  let committed = false;
  try {
    let lastProgress = 0;
    const progress = () => {
      if (request.importId) events?.emit('datasets:import-progress', { importId: request.importId, bytesRead: writer.bytes, totalBytes: source.totalBytes, rows: scanner.rows });
    };
    for await (const chunk of source.chunks) {
      if (source.maxBytes !== undefined && writer.bytes + chunk.byteLength > source.maxBytes) {
        throw failure('TOO_LARGE', `${source.fileName} is larger than the upload limit of ${formatByteLimit(source.maxBytes)}.`, {
          hint: 'Import it from the desktop app or with `lathe data import`, which read the file in place, or raise the limit with `lathe serve --max-upload-mb`.',
          location: { file: source.fileName },
        });
      }
      const flushed = writer.write(chunk);
      await scanner.write(chunk);
      await flushed;
      const now = Date.now();
      if (now - lastProgress >= PROGRESS_INTERVAL_MS) {
        lastProgress = now;
        progress();
      }
    }
    const table = await scanner.end();
    await writer.finish();
    progress();
    const contentHash = writer.digest();

    const outcome = await workspace.lock.run(async () => {
      const previous = await latestManifest(workspace, request.name);
      if (previous && previous.contentHash === contentHash) {
        const [commit] = await workspace.git.history(manifestPath(request.name), 1);
        return { status: 'unchanged' as const, version: versionOf(previous, commit?.oid ?? '') };
      }
      await writer.commit();
      committed = true;
      const version = (previous?.version ?? 0) + 1;
      const manifest: DatasetManifest = {
        schemaVersion: MANIFEST_SCHEMA_VERSION,
        name: request.name,
        version,
        message: request.message?.trim() || `Import ${source.fileName}`,
        importedAt: new Date().toISOString(),
        format,
        contentHash,
        bytes: writer.bytes,
        rows: table.rows,
        schema: table.profile.map((column) => ({ name: column.name, type: column.type })),
        profile: table.profile,
        source: { fileName: source.fileName },
        parse: { encoding: 'utf-8', bom: table.parse.bom, lineEnding: table.parse.lineEnding },
      };
      const commitMessage = `${manifest.message}\n\nLathe-Dataset: ${request.name}\nLathe-Version: ${version}\nLathe-Content: ${contentHash}\n`;
      const commit = await workspace.git.commit([{ path: manifestPath(request.name), content: serializeManifest(manifest) }], commitMessage);
      return { status: 'created' as const, version: versionOf(manifest, commit) };
    });
    if (outcome.status === 'created') events?.emit('datasets:changed', { workspace: workspace.dir, name: request.name });
    return outcome;
  } finally {
    // A committed blob is content-addressed and harmless even if the git commit then failed:
    // it is unreferenced, not half-written. Everything else is thrown away.
    await scanner.close();
    if (!committed) await writer.discard();
  }
}
