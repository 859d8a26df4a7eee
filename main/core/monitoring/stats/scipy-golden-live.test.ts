import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { disagreement, golden, TOLERANCE } from './testing/golden-file.ts';

function expectAgrees(actual: number, expected: number, what: string, relative = false): void {
  expect(disagreement(actual, expected, relative), `${what}: ${actual} vs scipy's ${expected}`).toBeLessThanOrEqual(TOLERANCE);
}

/**
 * Where Python with scipy is installed (Debian's python3-scipy in CI), run scipy-golden.py again
 * and check that testing/scipy-golden.json is still what scipy says: same cases, same inputs,
 * same numbers (to the 1e-9 the TypeScript is held to; Debian's scipy 1.10 prints them
 * identically). LATHE_SCIPY_PYTHON picks another interpreter.
 */
const candidates = [process.env.LATHE_SCIPY_PYTHON, '/usr/bin/python3', 'python3'].filter((python): python is string => Boolean(python));
const python = candidates.find((candidate) => spawnSync(candidate, ['-c', 'import scipy, numpy'], { encoding: 'utf8' }).status === 0);
const title = python ? `scipy-golden.json against scipy now (${python})` : `scipy-golden.json against scipy now — SKIPPED: no Python with scipy and numpy (tried ${candidates.join(', ')}; apt-get install python3-scipy)`;

function compare(live: unknown, kept: unknown, path: string): void {
  if (typeof kept === 'number' && typeof live === 'number') {
    expectAgrees(live, kept, path);
    return;
  }
  if (Array.isArray(kept)) {
    expect(Array.isArray(live), `${path} is a list`).toBe(true);
    expect((live as unknown[]).length, `${path}'s length`).toBe(kept.length);
    kept.forEach((item, i) => compare((live as unknown[])[i], item, `${path}[${i}]`));
    return;
  }
  if (kept !== null && typeof kept === 'object') {
    expect(Object.keys(live as object).sort(), `${path}'s fields`).toEqual(Object.keys(kept).sort());
    for (const [key, value] of Object.entries(kept)) compare((live as Record<string, unknown>)[key], value, `${path}.${key}`);
    return;
  }
  expect(live, path).toEqual(kept);
}

describe.skipIf(!python)(title, () => {
  it('prints the cases and numbers the committed file holds', () => {
    const script = fileURLToPath(new URL('./testing/scipy-golden.py', import.meta.url));
    const run = spawnSync(python!, [script], { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
    expect(run.status, run.stderr).toBe(0);
    const live = JSON.parse(run.stdout) as Record<string, unknown>;
    const { scipy: liveScipy, numpy: liveNumpy, ...liveCases } = live;
    const { scipy: keptScipy, numpy: keptNumpy, ...keptCases } = golden as unknown as Record<string, unknown>;
    expect(typeof liveScipy).toBe('string');
    expect([keptScipy, keptNumpy, liveNumpy].every((version) => typeof version === 'string')).toBe(true);
    compare(liveCases, keptCases, `scipy ${String(liveScipy)} vs the file's ${String(keptScipy)}`);
  });
});
