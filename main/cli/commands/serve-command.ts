import { resolve } from 'node:path';
import { callCore } from '../call-core.ts';
import { integerOption } from '../option-values.ts';
import type { CliCommand } from '../cli-command.ts';

export const serveCommand: CliCommand = {
  path: ['serve'],
  summary: 'Serve the Lathe UI to a browser on this machine',
  usage: 'lathe serve [--workspace DIR] [--port N] [--host ADDR] [--allow-host NAME]… [--max-upload-mb N] [--remote-dir DIR] [--open]',
  details: [
    'Prints a URL carrying a fresh token; open it in any browser. Only 127.0.0.1 is bound unless',
    '--host says otherwise. --port 0 picks a free port (default 7272). With --workspace, that folder',
    'is opened (and made a workspace if it is not one); without, the last workspace opened.',
    '--open also opens the address in your default browser. --allow-host NAME (repeatable) lets the',
    'server answer to another host name (a reverse proxy, a hosts-file alias); all others get 403.',
    '--remote-dir DIR keeps a byte remote in DIR: other machines push and pull with',
    '`lathe remote add NAME http://HOST:PORT` and this server\'s token in LATHE_REMOTE_TOKEN.',
  ].join('\n'),
  options: {
    port: { type: 'string', short: 'p' },
    host: { type: 'string' },
    'max-upload-mb': { type: 'string' },
    open: { type: 'boolean' },
    'allow-host': { type: 'string', multiple: true },
    'remote-dir': { type: 'string' },
  },
  async run(context) {
    const port = integerOption(context.values.port, '--port', 0, 65535);
    const maxUploadMb = integerOption(context.values['max-upload-mb'], '--max-upload-mb', 1, 1024 * 1024);
    const host = typeof context.values.host === 'string' ? context.values.host : undefined;
    const remoteDir = typeof context.values['remote-dir'] === 'string' ? resolve(context.cwd, context.values['remote-dir']) : undefined;
    const allowedHosts = Array.isArray(context.values['allow-host']) ? context.values['allow-host'].map(String) : undefined;
    const core = await context.core('browser');
    let workspace: string | undefined;
    if (typeof context.values.workspace === 'string') {
      workspace = (await callCore(context, 'workspace:create', { path: resolve(context.cwd, context.values.workspace) })).path;
    }
    // The server is loaded only for `serve`.
    const { runServe } = await import('../../server/serve-command.ts');
    const server = await runServe(
      { workspace, host, port, json: context.json, maxUploadMb, allowedHosts, remoteDir, open: context.values.open === true },
      { createCore: () => core, uiDir: context.files.uiDir, print: context.out, warn: context.err },
    );
    const stop = () => {
      void server.close().finally(() => process.exit(0));
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    return 'keep-running';
  },
};

