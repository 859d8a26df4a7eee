/**
 * A stand-in for the `electron` module, just wide enough for main/app: it records what the main
 * process asks of Electron so main-process.test.ts can run the real bundle, with the real core,
 * in plain Node — the binary cannot be downloaded everywhere tests run.
 */
type Listener = (...args: unknown[]) => unknown;

class Emitter {
  readonly listeners = new Map<string, Listener[]>();
  on(name: string, listener: Listener) {
    this.listeners.set(name, [...(this.listeners.get(name) ?? []), listener]);
    return this;
  }
  once(name: string, listener: Listener) {
    return this.on(name, listener);
  }
  emit(name: string, ...args: unknown[]): unknown[] {
    return (this.listeners.get(name) ?? []).map((listener) => listener(...args));
  }
}

export class FakeWebContents extends Emitter {
  url = '';
  destroyed = false;
  readonly sent: { channel: string; payload: unknown }[] = [];
  windowOpenHandler: ((details: { url: string }) => { action: string }) | null = null;
  isDestroyed() {
    return this.destroyed;
  }
  getURL() {
    return this.url;
  }
  send(channel: string, payload: unknown) {
    this.sent.push({ channel, payload });
  }
  setWindowOpenHandler(handler: (details: { url: string }) => { action: string }) {
    this.windowOpenHandler = handler;
  }
}

export function createFakeElectron() {
  const calls: string[] = [];
  const paths = new Map<string, string>();
  let resolveReady: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => (resolveReady = resolve));
  const windows: FakeBrowserWindow[] = [];
  const ipcHandlers = new Map<string, Listener>();
  const protocolHandlers = new Map<string, (request: { url: string; method: string }) => Promise<Response>>();
  const privilegedSchemes: unknown[] = [];
  const permission = { request: null as Listener | null, check: null as Listener | null };

  const app = Object.assign(new Emitter(), {
    quitCalls: 0,
    exitCode: null as number | null,
    setPath(name: string, value: string) {
      calls.push(`app.setPath(${name})`);
      paths.set(name, value);
    },
    getPath(name: string) {
      const value = paths.get(name);
      if (!value) throw new Error(`fake electron: no path for ${name}`);
      return value;
    },
    getVersion: () => '0.1.0-test',
    requestSingleInstanceLock() {
      calls.push('app.requestSingleInstanceLock');
      return true;
    },
    whenReady: () => ready,
    quit() {
      app.quitCalls++;
    },
    exit(code: number) {
      app.exitCode = code;
    },
  });

  class FakeBrowserWindow extends Emitter {
    readonly webContents = new FakeWebContents();
    readonly options: Record<string, unknown>;
    destroyed = false;
    constructor(options: Record<string, unknown>) {
      super();
      this.options = options;
      windows.push(this);
      app.emit('web-contents-created', {}, this.webContents);
    }
    static getAllWindows = () => windows.filter((w) => !w.destroyed);
    static getFocusedWindow = () => null;
    static fromWebContents = (contents: FakeWebContents) => windows.find((w) => w.webContents === contents) ?? null;
    async loadURL(url: string) {
      this.webContents.url = url;
    }
    isDestroyed = () => this.destroyed;
    isMinimized = () => false;
    isFullScreen = () => false;
    getNormalBounds = () => ({ x: 0, y: 0, width: 1111, height: 777 });
    restore() {}
    show() {}
    focus() {}
  }

  const folderPicks: (string | null)[] = [];
  const electron = {
    app,
    BrowserWindow: FakeBrowserWindow,
    protocol: {
      registerSchemesAsPrivileged(schemes: unknown[]) {
        calls.push('protocol.registerSchemesAsPrivileged');
        privilegedSchemes.push(...schemes);
      },
      handle(scheme: string, handler: (request: { url: string; method: string }) => Promise<Response>) {
        protocolHandlers.set(scheme, handler);
      },
    },
    session: {
      defaultSession: {
        setPermissionRequestHandler: (handler: Listener) => (permission.request = handler),
        setPermissionCheckHandler: (handler: Listener) => (permission.check = handler),
      },
    },
    ipcMain: {
      handle(channel: string, handler: Listener) {
        ipcHandlers.set(channel, handler);
      },
    },
    dialog: {
      async showOpenDialog(..._args: unknown[]) {
        const picked = folderPicks.shift() ?? null;
        return picked === null ? { canceled: true, filePaths: [] } : { canceled: false, filePaths: [picked] };
      },
      showErrorBox(title: string, message: string) {
        calls.push(`dialog.showErrorBox(${title}: ${message})`);
      },
    },
  };

  return { electron, calls, windows, ipcHandlers, protocolHandlers, privilegedSchemes, permission, folderPicks, app, ready: () => resolveReady() };
}
export type FakeElectron = ReturnType<typeof createFakeElectron>;
