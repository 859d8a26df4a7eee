// The Electron main process: bundled by main/scripts/build.ts into main/dist/app.cjs (CommonJS),
// which is the only form it runs in — hence `__dirname` below.
import { app, BrowserWindow, dialog, Notification, safeStorage } from 'electron';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { WorkspaceInfo } from '../../shared/contract/workspace.ts';
import { dispatch, type Handlers } from '../core/dispatch.ts';
import { createLatheCore, type LatheCore } from '../core/lathe-core.ts';
import { defaultStateDir, defaultWorkspacePath } from '../core/paths.ts';
import type { MlflowHandler } from '../core/script-runs/tracking-endpoint.ts';
import { mlflowTrackingFor } from '../core/tracking/mlflow-tracking.ts';
import { answerMlflow } from '../server/mlflow/handle-mlflow-request.ts';
import { notifyOnAlerts } from './alert-notifications.ts';
import { createDesktopHandlers } from './app-handlers.ts';
import { startDesktopTrackingEndpoint } from './desktop-tracking-endpoint.ts';
import { registerAppScheme, serveUi } from './app-protocol.ts';
import { createAppStateStore } from './app-state.ts';
import { safeStorageSecrets } from './safe-storage-secrets.ts';
import { createWindows, type Windows } from './app-windows.ts';
import { forwardCoreEvents, installIpcBridge } from './ipc-bridge.ts';
import { installSecurityGuards } from './security-guards.ts';

const distDir = __dirname; // main/dist, in the source tree and inside the packaged app alike
const uiDir = path.join(distDir, '..', '..', 'renderer', 'dist');
const resourcesDir = path.join(distDir, '..', '..', 'resources');
const preloadPath = path.join(distDir, 'preload.cjs');
// A worker thread's entry file must be a real file: in the packaged app it is unpacked beside app.asar.
const scanWorker = pathToFileURL(path.join(distDir, 'table-scan-worker.cjs').replace(`app.asar${path.sep}`, `app.asar.unpacked${path.sep}`));
const trainingWorker = pathToFileURL(path.join(distDir, 'training-worker.cjs').replace(`app.asar${path.sep}`, `app.asar.unpacked${path.sep}`));
const servingWorker = pathToFileURL(path.join(distDir, 'serving-worker.cjs').replace(`app.asar${path.sep}`, `app.asar.unpacked${path.sep}`));

// The same per-user folder `lathe serve` and the CLI use (LATHE_CONFIG_DIR, else the platform's
// config folder), so all three agree on the last workspace. Set before anything reads userData:
// it also scopes the single-instance lock, so tests with their own folder run side by side.
// Chromium's own files (caches, IndexedDB) go in a subfolder, beside Lathe's state, not among it.
app.setPath('userData', path.resolve(defaultStateDir()));
app.setPath('sessionData', path.join(app.getPath('userData'), 'desktop-session'));
registerAppScheme();

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.whenReady().then(start).catch(fatal);
}

async function start(): Promise<void> {
  if (!existsSync(path.join(uiDir, 'index.html'))) {
    throw new Error(`The UI is not built: ${path.join(uiDir, 'index.html')} is missing. Run \`npm run build\`, then start Lathe again.`);
  }
  const mlflowHandler: MlflowHandler = (req, res, target) => answerMlflow(req, res, mlflowTrackingFor(target.workspace, target.events));
  const latheCore = createLatheCore({
    frontDoor: 'electron',
    version: app.getVersion(),
    stateDir: app.getPath('userData'),
    defaultWorkspace: defaultWorkspacePath(),
    resourcesDir,
    scanWorker,
    trainingWorker,
    servingWorker,
    // Deploy targets' tokens: encrypted with the OS keychain's key (refused as plain text unless confirmed).
    secrets: safeStorageSecrets(safeStorage, path.join(app.getPath('userData'), 'deploy-tokens')),
    // Run a script: the loopback MLflow endpoint each script run logs to, as `lathe run` has.
    mlflowHandler,
  });
  // Log from your code: the loopback MLflow endpoint the Experiments page shows (tracking:endpoint), kept until the app quits.
  const tracking = await startDesktopTrackingEndpoint({ core: latheCore, mlflowHandler });
  const core: LatheCore = { ...latheCore, handlers: { ...latheCore.handlers, ...tracking.handlers }, close: () => tracking.close().then(() => latheCore.close()) };
  const windows = createWindows({ preloadPath, state: createAppStateStore(app.getPath('userData')) });
  const handlersFor = createDesktopHandlers({ core, openWindow: (workspace) => windows.open(workspace) });
  const openFirstWindow = () => openDefaultWorkspace(windows, handlersFor(null));

  installSecurityGuards();
  serveUi(uiDir);
  installIpcBridge(handlersFor);
  forwardCoreEvents(core.events);
  // Alerts raised on deployed models: an OS notification each (a click brings Lathe forward).
  notifyOnAlerts(core.events, { isSupported: () => Notification.isSupported(), show: (shown, onClick) => new Notification(shown).once('click', onClick).show() }, () => windows.focusExisting());
  keepAppLifecycle(core, windows, openFirstWindow);
  await openFirstWindow();
}

/** The core's `workspace:default`: the last workspace opened, else the default one (made if needed). */
async function openDefaultWorkspace(windows: Windows, handlers: Handlers): Promise<void> {
  const result = await dispatch(handlers, 'workspace:default', {});
  // With no workspace in the URL the UI says what went wrong and offers to pick a folder.
  if (!result.ok) console.error(`Lathe could not open the default workspace: ${result.error.message}`);
  await windows.open(result.ok ? (result.value as WorkspaceInfo).path : null);
}

function keepAppLifecycle(core: LatheCore, windows: Windows, reopen: () => Promise<void>): void {
  const reopenOrSay = () => reopen().catch((error: unknown) => console.error('Lathe could not open a window:', error));
  // Starting Lathe again brings this instance forward instead.
  app.on('second-instance', () => {
    if (!windows.focusExisting()) void reopenOrSay();
  });
  // macOS keeps the app running with no window and reopens one from the Dock.
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) void reopenOrSay();
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  let closed = false;
  app.on('will-quit', (event) => {
    if (closed) return;
    event.preventDefault();
    core
      .close()
      .catch((error: unknown) => console.error('Lathe did not close cleanly:', error))
      .finally(() => {
        closed = true;
        app.quit();
      });
  });
}

function fatal(error: unknown): void {
  const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
  console.error(message);
  dialog.showErrorBox('Lathe could not start', message);
  app.exit(1);
}
