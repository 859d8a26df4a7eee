import { describe, expect, it } from 'vitest';
import { copyText } from './mlflow-connect-copy.ts';

/** Just enough of a document for the select-and-copy fallback: records what was copied. */
function fakeDocument(copyWorks: boolean) {
  const copied: string[] = [];
  const attached: unknown[] = [];
  const doc = {
    createElement: () => {
      const area = {
        value: '',
        style: {},
        setAttribute: () => {},
        select: () => {},
        remove: () => attached.splice(attached.indexOf(area), 1),
      };
      return area;
    },
    body: { append: (node: unknown) => attached.push(node) },
    execCommand: (command: string) => {
      if (command === 'copy' && copyWorks) copied.push((attached[0] as { value: string }).value);
      return copyWorks;
    },
  };
  return { doc: doc as unknown as Document, copied, attached };
}

const clipboard = (writeText: (text: string) => Promise<void>) => ({ writeText }) as unknown as Clipboard;

describe('copyText', () => {
  it('uses the clipboard API where there is one', async () => {
    const written: string[] = [];
    const { doc, copied } = fakeDocument(true);
    expect(await copyText('export A=1', doc, clipboard(async (text) => void written.push(text)))).toBe(true);
    expect(written).toEqual(['export A=1']);
    expect(copied).toEqual([]);
  });

  it('falls back to select-and-copy when the page has no clipboard API or it refuses', async () => {
    for (const api of [undefined, clipboard(() => Promise.reject(new Error('NotAllowedError')))]) {
      const { doc, copied, attached } = fakeDocument(true);
      expect(await copyText('export A=1', doc, api)).toBe(true);
      expect(copied).toEqual(['export A=1']);
      expect(attached).toEqual([]); // the hidden textarea is gone again
    }
  });

  it('says so when nothing could copy, leaving nothing behind', async () => {
    const { doc, attached } = fakeDocument(false);
    expect(await copyText('export A=1', doc, undefined)).toBe(false);
    expect(attached).toEqual([]);
  });
});
