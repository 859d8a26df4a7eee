import { spawn } from 'node:child_process';
import { isIP } from 'node:net';
import path from 'node:path';
import { failure } from '../core/errors.ts';
import type { LatheCore } from '../core/lathe-core.ts';
import { FolderRemote } from '../core/remote/folder-remote.ts';
import { DEFAULT_HOST, startServer, type RunningServer } from './start-server.ts';

export interface ServeOptions {
  /** The workspace to open in the UI; its absolute path goes into the printed address. */
  workspace?: string;
  host?: string;
  port?: number;
  /** Print one JSON line `{"url","port","token","workspace"}` instead of a sentence. */
  json: boolean;
  /** Open the address in the default browser. */
  open?: boolean;
  maxUploadMb?: number;
  /** Host names besides loopback and the bind host that the server answers to. */
  allowedHosts?: string[];
  /** Keep a byte remote in this folder (it must exist), for `lathe data push|pull` from other machines. */
  remoteDir?: string;
}

export interface ServeDeps {
  createCore: () => LatheCore | Promise<LatheCore>;
  uiDir: string;
  /** One line to stdout. The first line printed is the address (or its JSON). */
  print: (line: string) => void;
  /** Warnings, kept off stdout so the first line stays machine-readable. Default: stderr. */
  warn?: (line: string) => void;
  /** Default: the platform's opener (xdg-open, open, rundll32). */
  openBrowser?: (url: string) => void | Promise<void>;
}

/**
 * `lathe serve`: start the server on the core and say where it is. The returned server's
 * `close()` also closes the core, which the server owns from here on.
 */
export async function runServe(opts: ServeOptions, deps: ServeDeps): Promise<RunningServer> {
  const warn = deps.warn ?? ((line: string) => void process.stderr.write(`${line}\n`));
  const maxUploadBytes = opts.maxUploadMb === undefined ? undefined : uploadLimitBytes(opts.maxUploadMb);
  const workspace = opts.workspace === undefined ? null : path.resolve(opts.workspace);
  const host = opts.host ?? DEFAULT_HOST;
  const remoteDir = opts.remoteDir === undefined ? undefined : path.resolve(opts.remoteDir);
  if (remoteDir !== undefined) {
    const remote = new FolderRemote(remoteDir);
    await remote.assertReachable('--remote-dir');
    await remote.sweepAbandoned(); // uploads a killed server was receiving
  }

  const core = await deps.createCore();
  let server: RunningServer;
  try {
    server = await startServer({
      core,
      host,
      uiDir: deps.uiDir,
      ...(workspace === null ? {} : { workspace }),
      ...(opts.port === undefined ? {} : { port: opts.port }),
      ...(maxUploadBytes === undefined ? {} : { maxUploadBytes }),
      ...(opts.allowedHosts === undefined ? {} : { allowedHosts: opts.allowedHosts }),
      ...(remoteDir === undefined ? {} : { remoteDir }),
    });
  } catch (thrown) {
    await core.close();
    throw thrown;
  }

  const address = new URL(server.url);
  if (workspace) address.searchParams.set('workspace', workspace);
  const url = address.href;

  if (opts.json) deps.print(JSON.stringify({ url, port: server.port, token: server.token, workspace }));
  else {
    deps.print(`Lathe is serving ${workspace ?? 'the last workspace opened'} at ${url}  (Ctrl+C to stop)`);
    deps.print(`MLflow clients log to it with MLFLOW_TRACKING_URI=${address.origin} MLFLOW_TRACKING_TOKEN=${server.token}`);
  }
  if (!isLoopback(host)) {
    warn(
      `WARNING: Lathe is listening on ${host}, so other machines on the network can reach it. ` +
        'Anyone who learns the address with its token can read and change this workspace and run commands on this machine as you (Run a script). ' +
        'Use the default host (127.0.0.1) unless you mean to share it.',
    );
  }
  if (opts.open) {
    try {
      await (deps.openBrowser ?? openInBrowser)(url);
    } catch {
      warn(`Could not open a browser; open ${url} yourself.`);
    }
  }

  return {
    url,
    port: server.port,
    token: server.token,
    async close() {
      await server.close();
      await core.close();
    },
  };
}

export function isLoopback(host: string): boolean {
  const bare = host.toLowerCase().replace(/^\[(.*)\]$/, '$1');
  if (bare === 'localhost' || bare === '::1') return true;
  return isIP(bare) === 4 && bare.startsWith('127.');
}

function uploadLimitBytes(megabytes: number): number {
  const bytes = megabytes * 1024 * 1024;
  if (!Number.isFinite(megabytes) || megabytes <= 0 || !Number.isSafeInteger(Math.floor(bytes))) {
    throw failure('INVALID_INPUT', `--max-upload-mb takes a positive number of megabytes; got ${megabytes}.`);
  }
  return Math.floor(bytes);
}

/** The platform's own opener, detached; the address is one argument, never parsed by a shell. */
function openInBrowser(url: string): Promise<void> {
  const [command, args] =
    process.platform === 'darwin'
      ? ['open', [url]]
      : process.platform === 'win32'
        ? ['rundll32', ['url.dll,FileProtocolHandler', url]]
        : ['xdg-open', [url]];
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { detached: true, stdio: 'ignore' });
    child.once('error', reject);
    child.once('spawn', () => {
      child.unref();
      resolve();
    });
  });
}
