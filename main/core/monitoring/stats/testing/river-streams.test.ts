import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const script = fileURLToPath(new URL('./river-streams.py', import.meta.url));
const hasPython = spawnSync('python3', ['--version']).status === 0;

describe.skipIf(!hasPython)(`river's docstring streams (${hasPython ? 'python3' : 'skipped: no python3 on this machine'})`, () => {
  it('are what river-streams.py draws from Python\'s random now, byte for byte', () => {
    const run = spawnSync('python3', [script], { encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(run.stdout).toBe(readFileSync(new URL('./river-streams.json', import.meta.url), 'utf8'));
  });
});
