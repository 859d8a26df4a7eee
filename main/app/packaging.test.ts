import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

/**
 * What `npm run dist` packages, read from electron-builder.yml: checked here because the
 * Electron binary (and so a real package) is not available in CI. Only the two shapes used
 * below are read: `key: scalar` and a block of `  - item` or `  key: scalar` under a key.
 */
const yaml = readFileSync(new URL('../../electron-builder.yml', import.meta.url), 'utf8').split('\n');
const scalar = (value: string): unknown => (value === 'true' ? true : value === 'false' ? false : value.replace(/^"(.*)"$/, '$1'));
function block(key: string): string[] {
  const start = yaml.findIndex((line) => line === `${key}:`);
  if (start < 0) return [];
  const end = yaml.findIndex((line, i) => i > start && /^\S/.test(line));
  return yaml.slice(start + 1, end < 0 ? undefined : end).filter((line) => /^\s+\S/.test(line) && !/^\s+#/.test(line));
}
const config = {
  electronFuses: Object.fromEntries(block('electronFuses').map((line) => line.trim().split(/:\s*/)).map(([k, v]) => [k, scalar(v ?? '')])),
  asar: scalar(yaml.find((line) => line.startsWith('asar:'))?.slice('asar:'.length).trim() ?? ''),
  asarUnpack: block('asarUnpack').map((line) => line.trim().replace(/^- /, '')),
};

describe('the packaged desktop app', () => {
  it('flips the fuses that would let anyone run it as Node, steer it with NODE_OPTIONS or attach a debugger', () => {
    expect(config.electronFuses).toMatchObject({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      onlyLoadAppFromAsar: true,
      enableEmbeddedAsarIntegrityValidation: true,
    });
  });

  it('loads its code from an asar archive, with only the worker entry and native addons unpacked', () => {
    expect(config.asar).toBe(true);
    expect(config.asarUnpack).toContain('main/dist/table-scan-worker.cjs');
  });
});
