import { describe, expect, it } from 'vitest';
import { createUiMemory } from './ui-memory.ts';

describe('ui memory without IndexedDB', () => {
  it('gives defaults and accepts writes, so the UI works without it', async () => {
    const memory = createUiMemory();
    await expect(memory.workspaceOpened({ path: '/tmp/w', name: 'w' })).resolves.toBeUndefined();
    await expect(memory.recentWorkspaces()).resolves.toEqual([]);
    await expect(memory.selectedDataset('/tmp/w')).resolves.toBeNull();
    await expect(memory.columnWidthsChanged('/tmp/w', 'd', { a: 120 })).resolves.toBeUndefined();
    await expect(memory.columnWidths('/tmp/w', 'd')).resolves.toEqual({});
  });
});
