import { z } from 'zod';
import { ContentHash } from './datasets.ts';
import { defineCall, defineEvent } from './define.ts';
import { WorkspacePath } from './workspace.ts';

/**
 * Byte remotes: where the bytes that git does not carry (dataset versions, registered models'
 * artifacts, all in the content-addressed store) go, so a clone elsewhere can get them back.
 * The list of remotes is committed in the workspace (`lathe.remotes.json`), so a clone knows it.
 */

/** Like a git remote's name: short, a folder-safe word. */
export const RemoteName = z
  .string()
  .regex(/^[a-z0-9][a-z0-9._-]{0,62}$/, 'a remote name is 1–63 lower-case letters, digits, ".", "_" or "-", starting with a letter or digit (like "origin" or "team-share")')
  .refine((name) => !name.endsWith('.') && !name.includes('..'), 'a remote name cannot end with "." or hold ".."');

/** Where the bytes go, as written by the user: a folder path, a file:// URL or a `lathe serve` address. The core says which kinds it takes. */
export const RemoteUrl = z.string().min(1, 'a remote URL cannot be empty').max(4096).refine((url) => !url.includes('\0'), 'a remote URL cannot contain a NUL character');

export const RemoteKind = z.enum(['folder', 'http']);
export type RemoteKind = z.infer<typeof RemoteKind>;

export const Remote = z.object({
  name: RemoteName,
  url: RemoteUrl,
  kind: RemoteKind,
  /** The remote `data push|pull|status` use when none is named. */
  isDefault: z.boolean(),
});
export type Remote = z.infer<typeof Remote>;

export const RemoteList = z.object({ remotes: z.array(Remote), defaultRemote: RemoteName.nullable() });
export type RemoteList = z.infer<typeof RemoteList>;

/** A commit of lathe.remotes.json; null when nothing changed (the same remote added again). */
export const RemoteChange = RemoteList.extend({ commit: z.string().nullable() });
export type RemoteChange = z.infer<typeof RemoteChange>;

/** Which remote: a configured one by name, else (front doors that may name folders) a URL, else the default. */
const RemoteChoice = {
  remote: RemoteName.optional(),
  /** A folder or file:// URL used as it is, without adding it (CI: `LATHE_REMOTE`). Not offered over HTTP. */
  url: RemoteUrl.optional(),
  /** The bearer token of an HTTP remote (`lathe serve`); used for this call only, never stored. */
  token: z.string().min(1).max(4096).optional(),
};

/** Which versions' bytes: those HEAD names (default), or every version any reachable commit names. */
const Scope = { allVersions: z.boolean().optional() };

export const BlobTransferProblem = z.object({
  contentHash: ContentHash,
  bytes: z.number().int().nonnegative(),
  /** missing-everywhere: neither side has it; damaged-here / damaged-on-remote: its bytes there do not match its hash, so they were not copied. */
  problem: z.enum(['missing-everywhere', 'damaged-here', 'damaged-on-remote']),
  /** The dataset and model versions that need these bytes: "penguins@1", "penguins-clf@2: model/weights.bin". */
  usedBy: z.array(z.string()),
  detail: z.string(),
});
export type BlobTransferProblem = z.infer<typeof BlobTransferProblem>;

/** `lathe serve --remote-dir`: GET lists the blobs; GET/PUT `<blobs>/sha256/<hex>` reads or writes one (bearer token, as every /api route). */
export const remoteHttpPaths = { blobs: '/api/remote/blobs' } as const;

export const TransferReport = z.object({
  direction: z.enum(['push', 'pull']),
  remote: z.object({ name: RemoteName.nullable(), url: z.string() }),
  /** Blobs the chosen versions need. */
  needed: z.number().int().nonnegative(),
  /** Already on the receiving side: listed, not read. */
  alreadyThere: z.number().int().nonnegative(),
  copied: z.number().int().nonnegative(),
  copiedBytes: z.number().int().nonnegative(),
  problems: z.array(BlobTransferProblem),
});
export type TransferReport = z.infer<typeof TransferReport>;

export const BlobWhere = z.object({
  contentHash: ContentHash,
  bytes: z.number().int().nonnegative(),
  usedBy: z.array(z.string()),
  local: z.boolean(),
  /** null when there is no remote to ask. */
  remote: z.boolean().nullable(),
});
export type BlobWhere = z.infer<typeof BlobWhere>;

export const DataStatus = z.object({
  remote: z.object({ name: RemoteName.nullable(), url: z.string() }).nullable(),
  blobs: z.array(BlobWhere),
  /** Here and on the remote. */
  synced: z.number().int().nonnegative(),
  /** Here only: `data push` sends them. */
  notPushed: z.number().int().nonnegative(),
  /** On the remote only: `data pull` fetches them. */
  remoteOnly: z.number().int().nonnegative(),
  /** Nowhere Lathe can see: the versions naming them cannot be used here. */
  missing: z.number().int().nonnegative(),
  /** The versions with bytes not pushed, in words: "penguins@2", "penguins-clf@3". */
  versionsNotPushed: z.array(z.string()),
});
export type DataStatus = z.infer<typeof DataStatus>;

export const remoteAdd = defineCall(
  'remote:add',
  'Add a byte remote (a folder, a file:// URL or a `lathe serve` address) to the workspace, committed in lathe.remotes.json',
  z.object({ workspace: WorkspacePath, name: RemoteName, url: RemoteUrl, makeDefault: z.boolean().optional() }),
  RemoteChange,
  // It names a folder on the machine that runs the core: only front doors with trusted paths.
  { transport: 'path' },
);

export const remoteList = defineCall('remote:list', "List the workspace's byte remotes", z.object({ workspace: WorkspacePath }), RemoteList);

export const remoteRemove = defineCall(
  'remote:remove',
  'Remove a byte remote from the workspace (its bytes stay where they are)',
  z.object({ workspace: WorkspacePath, name: RemoteName }),
  RemoteChange,
);

export const dataPush = defineCall(
  'data:push',
  'Copy to a remote every stored blob the versions need that it lacks',
  z.object({ workspace: WorkspacePath, ...RemoteChoice, ...Scope }),
  TransferReport,
);

export const dataPull = defineCall(
  'data:pull',
  'Fetch from a remote every blob the versions need that this machine lacks, each verified before it is stored',
  z.object({ workspace: WorkspacePath, ...RemoteChoice, ...Scope }),
  TransferReport,
);

export const dataStatus = defineCall(
  'data:status',
  'Say for each blob the versions need whether it is here, on the remote, or nowhere',
  z.object({ workspace: WorkspacePath, ...RemoteChoice, ...Scope }),
  DataStatus,
);

export const transferProgress = defineEvent(
  'data:transfer-progress',
  z.object({
    workspace: WorkspacePath,
    direction: z.enum(['push', 'pull']),
    /** Blobs to copy, and how many are done (copied or refused). */
    total: z.number().int().nonnegative(),
    done: z.number().int().nonnegative(),
    bytesTotal: z.number().int().nonnegative(),
    bytesDone: z.number().int().nonnegative(),
  }),
);
