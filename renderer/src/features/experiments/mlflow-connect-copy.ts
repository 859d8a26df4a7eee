/**
 * Put text on the clipboard: navigator.clipboard where the page may use it (the desktop app, a
 * loopback `lathe serve`), else the old select-and-copy through a hidden textarea (a page served
 * over plain http on a network address has no navigator.clipboard). False when both fail: the
 * caller then leaves the text selected for Ctrl+C.
 */
export async function copyText(text: string, doc: Document = document, clipboard: Clipboard | undefined = globalThis.navigator?.clipboard): Promise<boolean> {
  if (clipboard) {
    try {
      await clipboard.writeText(text);
      return true;
    } catch {
      // Refused (no permission, the page not focused): try the fallback.
    }
  }
  const area = doc.createElement('textarea');
  area.value = text;
  area.setAttribute('readonly', '');
  area.style.position = 'fixed';
  area.style.opacity = '0';
  doc.body.append(area);
  try {
    area.select();
    return doc.execCommand('copy');
  } catch {
    return false;
  } finally {
    area.remove();
  }
}
