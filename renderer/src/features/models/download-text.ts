/** Hand `text` to the browser as a file download named `fileName` (a Markdown card, a report). */
export function downloadText(fileName: string, text: string, type = 'text/markdown'): void {
  const url = URL.createObjectURL(new Blob([text], { type: `${type};charset=utf-8` }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.rel = 'noopener';
  document.body.append(link);
  link.click();
  link.remove();
  // The download has its own copy once click() returns; the URL can go.
  setTimeout(() => URL.revokeObjectURL(url), 0);
}
