/**
 * Where the desktop UI lives: `lathe://app/`, a custom privileged scheme (never file://). Every
 * IPC call and every navigation is checked against this origin. No electron import, so it is
 * tested in plain Node.
 */
export const APP_SCHEME = 'lathe';
export const APP_HOST = 'app';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY = 'index.html';

/**
 * True when an IPC call comes from our own UI: the sending frame's URL is on `lathe://app`.
 * A missing frame (navigated away or destroyed), another scheme, another host, a port or
 * credentials all fail.
 */
export function isTrustedSender(frameUrl: string | null | undefined): boolean {
  if (typeof frameUrl !== 'string' || frameUrl === '') return false;
  try {
    const parsed = new URL(frameUrl);
    return (
      parsed.protocol === `${APP_SCHEME}:` &&
      parsed.hostname === APP_HOST &&
      parsed.port === '' &&
      parsed.username === '' &&
      parsed.password === ''
    );
  } catch {
    return false;
  }
}

/** A window may only ever show our own UI; anything else is a foreign navigation. */
export function isAppNavigation(url: string): boolean {
  return isTrustedSender(url);
}

/** The URL a window opens to show one workspace; the workspace travels in the query string. */
export function workspaceWindowUrl(workspacePath: string | null): string {
  const url = new URL(`${APP_ORIGIN}/${APP_ENTRY}`);
  if (workspacePath !== null) url.searchParams.set('workspace', workspacePath);
  return url.toString();
}

