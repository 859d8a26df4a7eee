import { describe, expect, test } from 'vitest';
import { isAppNavigation, isTrustedSender, workspaceWindowUrl } from './app-origin.ts';

const workspaceOfWindowUrl = (url: string) => new URL(url).searchParams.get('workspace');

describe('isTrustedSender', () => {
  test.each(['lathe://app/', 'lathe://app/index.html', 'lathe://app/index.html?workspace=%2Fhome%2Fme%2Fw#datasets'])('trusts our UI: %s', (url) => {
    expect(isTrustedSender(url)).toBe(true);
  });

  test.each([
    ['file:///home/me/renderer/dist/index.html'],
    ['http://127.0.0.1:5173/'],
    ['https://app/'],
    ['lathe://evil/index.html'],
    ['lathe://app.evil.com/'],
    ['lathe://app:8080/'],
    ['lathe://user:pw@app/'],
    ['lathe-app://app/'],
    ['devtools://devtools/bundled/inspector.html'],
    ['about:blank'],
    ['data:text/html,<script>1</script>'],
    ['not a url'],
    [''],
  ])('refuses %s', (url) => {
    expect(isTrustedSender(url)).toBe(false);
  });

  test('refuses a call whose frame is gone', () => {
    expect(isTrustedSender(null)).toBe(false);
    expect(isTrustedSender(undefined)).toBe(false);
  });
});

describe('window URLs', () => {
  test('carry the workspace path through the query string, spaces and all', () => {
    const workspace = '/home/me/My Projects/churn & co/ünïcode?#';
    const url = workspaceWindowUrl(workspace);
    expect(url.startsWith('lathe://app/index.html?workspace=')).toBe(true);
    expect(isAppNavigation(url)).toBe(true);
    expect(workspaceOfWindowUrl(url)).toBe(workspace);
  });

  test('a window with no workspace has none in its URL', () => {
    expect(workspaceWindowUrl(null)).toBe('lathe://app/index.html');
    expect(workspaceOfWindowUrl(workspaceWindowUrl(null))).toBeNull();
  });

  test('navigating to any other site is foreign', () => {
    expect(isAppNavigation('https://example.com/')).toBe(false);
    expect(isAppNavigation('file:///etc/passwd')).toBe(false);
  });
});
