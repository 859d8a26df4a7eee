import { z } from 'zod';
import { defineCall, defineEvent } from './define.ts';
import { multiLineText, oneLineText } from './text-fields.ts';
import { WorkspacePath } from './workspace.ts';

/** Windows refuses these as file or folder names, with any extension (`aux.csv` too). */
const WINDOWS_DEVICE_NAMES = /^(con|prn|aux|nul|com[0-9]|lpt[0-9])$/i;

/**
 * Dataset names become folder names in git, and a workspace made on Linux must open on Windows
 * and macOS: no slashes, no `..`, no leading dot or dash, no trailing dot, no device names.
 * (Two names that differ only in case are refused by the import, which knows the others.)
 */
export const DatasetName = z
  .string()
  .min(1, 'a dataset name cannot be empty')
  .max(100, 'a dataset name is at most 100 characters')
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'use letters, digits, ".", "_" and "-", starting with a letter or digit')
  .refine((name) => !name.includes('..'), 'a dataset name cannot contain ".."')
  .refine((name) => !name.endsWith('.'), 'a dataset name cannot end with "." (Windows drops it, so the folder would change name)')
  .refine(
    (name) => !WINDOWS_DEVICE_NAMES.test(name.split('.')[0] ?? ''),
    'CON, PRN, AUX, NUL, COM0–9 and LPT0–9 are device names on Windows (with any extension after a "."), so no folder there can have this name',
  );
export type DatasetName = z.infer<typeof DatasetName>;

export const tableFormats = ['csv', 'tsv', 'json', 'jsonl'] as const;
export const TableFormat = z.enum(tableFormats);
export type TableFormat = z.infer<typeof TableFormat>;

export const columnTypes = ['integer', 'number', 'boolean', 'datetime', 'string', 'empty'] as const;
export const ColumnType = z.enum(columnTypes);
export type ColumnType = z.infer<typeof ColumnType>;

export const TopValue = z.object({
  value: z.string(),
  /** Rows holding the value: exact, unless `error` says how far off it may be. */
  count: z.number().int().nonnegative(),
  /**
   * Present when the count is an estimate (a column with too many distinct values to count each
   * exactly): the true count lies within count ± error, either way. Absent: the count is exact
   * (manifests written before this field existed gave approximate columns a lower bound here).
   */
  error: z.number().int().positive().optional(),
});
export type TopValue = z.infer<typeof TopValue>;

export const ColumnProfile = z.object({
  name: z.string(),
  type: ColumnType,
  /** Values present (not missing). */
  count: z.number().int().nonnegative(),
  missing: z.number().int().nonnegative(),
  /** missing / rows, 0 when there are no rows. */
  missingShare: z.number().min(0).max(1),
  distinct: z.number().int().nonnegative(),
  /** True when `distinct` and `top` are estimates (too many distinct values to count exactly). */
  approximate: z.boolean(),
  /** For integer and number columns. */
  min: z.number().nullable(),
  max: z.number().nullable(),
  mean: z.number().nullable(),
  std: z.number().nullable(),
  /**
   * For integer and number columns: edges.length === counts.length + 1, bins
   * [edges[i], edges[i+1]) with the last bin closed; null for other columns. Optional: manifests
   * written before histograms existed have none.
   */
  histogram: z
    .object({ edges: z.array(z.number()), counts: z.array(z.number().int().nonnegative()) })
    .nullable()
    .optional(),
  /**
   * Most frequent values, most frequent first (up to 10), for every column type. When
   * `approximate`, counts may be estimates, each with its `error`.
   */
  top: z.array(TopValue),
});
export type ColumnProfile = z.infer<typeof ColumnProfile>;

export const ContentHash = z.string().regex(/^sha256:[0-9a-f]{64}$/, 'a content hash looks like sha256:<64 hex digits>');

export const DatasetVersion = z.object({
  name: DatasetName,
  /** 1 for the first import, counting up. */
  version: z.number().int().positive(),
  /** The git commit that made this version. */
  commit: z.string().regex(/^[0-9a-f]{40}$/),
  date: z.string(),
  message: z.string(),
  format: TableFormat,
  rows: z.number().int().nonnegative(),
  columns: z.number().int().nonnegative(),
  bytes: z.number().int().nonnegative(),
  contentHash: ContentHash,
  sourceFile: z.string(),
});
export type DatasetVersion = z.infer<typeof DatasetVersion>;

export const DatasetSummary = z.object({
  name: DatasetName,
  versions: z.number().int().positive(),
  latest: DatasetVersion,
});
export type DatasetSummary = z.infer<typeof DatasetSummary>;

export const PreviewCell = z.union([z.string(), z.number(), z.boolean(), z.null()]);
export type PreviewCell = z.infer<typeof PreviewCell>;

export const DatasetPreview = z.object({
  columns: z.array(z.string()),
  rows: z.array(z.array(PreviewCell)),
  /** True when cells longer than the preview's limit were cut short. */
  truncatedCells: z.boolean(),
});
export type DatasetPreview = z.infer<typeof DatasetPreview>;

export const DatasetDetail = z.object({
  version: DatasetVersion,
  profile: z.array(ColumnProfile),
  preview: DatasetPreview,
});
export type DatasetDetail = z.infer<typeof DatasetDetail>;

export const ImportOutcome = z.object({
  /** `unchanged`: the bytes are identical to the latest version, so no version was made. */
  status: z.enum(['created', 'unchanged']),
  version: DatasetVersion,
  /** The stored copy of these bytes was damaged (altered, cut short or missing) and these replaced it. */
  repaired: z.boolean().optional(),
});
export type ImportOutcome = z.infer<typeof ImportOutcome>;

export const ImportId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/);

/** A reference like `iris` (latest) or `iris@2`. */
export const DatasetRef = z.object({ name: DatasetName, version: z.number().int().positive().optional() });
export type DatasetRef = z.infer<typeof DatasetRef>;

export const datasetsList = defineCall(
  'datasets:list',
  'Every dataset in the workspace with its latest version',
  z.object({ workspace: WorkspacePath }),
  z.array(DatasetSummary),
);

export const datasetsLog = defineCall(
  'datasets:log',
  'The version history of one dataset, newest first',
  z.object({ workspace: WorkspacePath, name: DatasetName }),
  z.array(DatasetVersion),
);

export const datasetsShow = defineCall(
  'datasets:show',
  'One version of a dataset (the latest by default): its profile and first rows',
  z.object({ workspace: WorkspacePath, name: DatasetName, version: z.number().int().positive().optional() }),
  DatasetDetail,
);

/** Import a file the user chose, by path. Electron and the CLI; the browser uploads instead. */
export const datasetsImportFile = defineCall(
  'datasets:import-file',
  'Import a CSV, TSV, JSON or JSON Lines file as a new version of a dataset',
  z.object({
    workspace: WorkspacePath,
    path: z.string().min(1),
    name: DatasetName,
    message: multiLineText(2000, 'the message').optional(),
    importId: ImportId.optional(),
  }),
  ImportOutcome,
  { transport: 'path' },
);

/**
 * Import from an upload (`lathe serve`): the bytes are the body of
 * `POST /api/upload/datasets:import-upload?<these fields>`, streamed to disk with a size limit.
 */
export const datasetsImportUpload = defineCall(
  'datasets:import-upload',
  'Import an uploaded file as a new version of a dataset',
  z.object({
    workspace: WorkspacePath,
    fileName: oneLineText(255, 'the file name').min(1),
    name: DatasetName,
    message: multiLineText(2000, 'the message').optional(),
    importId: ImportId.optional(),
  }),
  ImportOutcome,
  { transport: 'upload' },
);

export const datasetsImportSample = defineCall(
  'datasets:import-sample',
  'Import the sample table that ships with Lathe, so a new workspace has something to look at',
  z.object({ workspace: WorkspacePath, importId: ImportId.optional() }),
  ImportOutcome,
);

export const importProgress = defineEvent(
  'datasets:import-progress',
  z.object({
    importId: ImportId,
    bytesRead: z.number().int().nonnegative(),
    totalBytes: z.number().int().nonnegative().nullable(),
    rows: z.number().int().nonnegative(),
  }),
);

export const datasetsChanged = defineEvent(
  'datasets:changed',
  z.object({
    workspace: WorkspacePath,
    name: DatasetName,
    /** The import that made the change, when it had an id: the window that asked for it already knows. */
    importId: ImportId.optional(),
  }),
);
