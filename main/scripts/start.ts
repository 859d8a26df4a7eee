// `npm start`: build, then run the desktop app with the project's Electron binary. The binary is
// found the way the electron package records it (node_modules/electron/path.txt naming a file
// under dist/) — never by require('electron'), which would try to download it.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { buildAll } from './build.ts';
import { installedElectron } from './electron-binary.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));


async function start(): Promise<number> {
  await buildAll();
  const electron = installedElectron(root);
  if (!electron) {
    console.error(
      [
        '',
        'The desktop app needs the Electron binary, and it is not installed here',
        '(node_modules/electron/path.txt or the file it names under node_modules/electron/dist is missing).',
        '  • On a machine with internet access: npx install-electron, then npm start.',
        '  • Without it: npx lathe serve opens the same UI in your browser.',
      ].join('\n'),
    );
    return 1;
  }
  const env = { ...process.env };
  delete env.ELECTRON_RUN_AS_NODE; // set by some shells and IDEs; it would turn Electron into Node
  // `electron <root>` runs package.json's "main" (main/dist/app.cjs) with the project as the app
  // path, so app.getVersion() is Lathe's version rather than Electron's.
  const child = spawn(electron, [root, ...process.argv.slice(2)], {
    cwd: root,
    env,
    stdio: 'inherit',
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => child.kill(signal));
  return new Promise((resolve) => {
    child.on('error', (error) => {
      console.error(`Could not start Electron at ${electron}: ${error.message}`);
      resolve(1);
    });
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

if (import.meta.main) {
  start().then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(`start: failed — ${error instanceof Error ? error.message : String(error)}`);
      process.exit(1);
    },
  );
}
