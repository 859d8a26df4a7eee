import { app, session, type WebContents } from 'electron';
import { isAppNavigation } from './app-origin.ts';

/**
 * Rules for every web contents Lathe ever creates (Electron's security checklist): no new
 * windows from the page, no navigation away from `lathe://app`, no <webview>, no permissions
 * except writing to the clipboard from our own UI.
 */
export function installSecurityGuards(): void {
  app.on('web-contents-created', (_event, contents) => guard(contents));

  const allowed = new Set(['clipboard-sanitized-write']);
  session.defaultSession.setPermissionRequestHandler((_contents, permission, callback, details) => {
    callback(allowed.has(permission) && isAppNavigation(details.requestingUrl));
  });
  session.defaultSession.setPermissionCheckHandler((_contents, permission, requestingOrigin) => {
    return allowed.has(permission) && isAppNavigation(`${requestingOrigin}/`);
  });
}

function guard(contents: WebContents): void {
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  const stayHome = (event: { url: string; preventDefault(): void }) => {
    if (!isAppNavigation(event.url)) event.preventDefault();
  };
  contents.on('will-navigate', stayHome);
  contents.on('will-frame-navigate', stayHome);
  contents.on('will-redirect', stayHome);
  contents.on('will-attach-webview', (event) => event.preventDefault());
}
