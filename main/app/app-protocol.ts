import { protocol } from 'electron';
import { APP_SCHEME } from './app-origin.ts';
import { serveUiFile } from './ui-files.ts';

/**
 * `lathe://app/` serves the built UI. The scheme must be registered as privileged before the app
 * is ready: `standard` gives it real origins and relative URLs, `secure` makes it a secure
 * context, `supportFetchAPI` lets the page fetch its own assets. It does not bypass the CSP.
 */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true } },
  ]);
}

/** After ready: answer `lathe://` requests from `uiDir` only, with the same CSP `lathe serve` sends. */
export function serveUi(uiDir: string): void {
  protocol.handle(APP_SCHEME, (request) => serveUiFile(uiDir, request.url, request.method));
}
