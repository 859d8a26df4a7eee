import { generateKeyPairSync } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { coreOnNewWorkspace } from '../core/testing/core-fixture.ts';
import { useTempDirs } from '../core/testing/temp-dir.ts';
import { runCli } from './cli-app.ts';
import { latheFiles } from './lathe-files.ts';

const tempDir = useTempDirs();
const files = latheFiles(new URL('./lathe.ts', import.meta.url));

async function lathe(cwd: string, state: string, ...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  process.env.LATHE_CONFIG_DIR = state;
  const code = await runCli(argv, { out: (t) => out.push(t), err: (t) => err.push(t), cwd, version: '9.9.9', files });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('lathe models package, lathe models verify, lathe keys show', () => {
  it('package a registered version, verify it (exit 0), and fail a tampered copy (exit 1), as text and JSON', async () => {
    const root = await tempDir();
    const state = join(root, 'state');
    const run = (...argv: string[]) => lathe(root, state, ...argv);
    // A registered version, made through the core (the registry's own commands are tested beside them).
    const fixture = await coreOnNewWorkspace(root);
    await fixture.call('datasets:import-sample', { workspace: fixture.workspace });
    const trained = await fixture.call('training:start', { workspace: fixture.workspace, dataset: 'penguins', target: 'Species', model: 'linear', epochs: 2 });
    await fixture.call('training:wait', { workspace: fixture.workspace, runId: trained.runId });
    await fixture.call('models:register', { workspace: fixture.workspace, runId: trained.runId, name: 'penguins' });
    await fixture.core.close();

    const packaged = await run('models', 'package', 'penguins@1', '--out', 'p.lathe', '-w', 'ws');
    expect(packaged).toMatchObject({ code: 0, err: '' });
    expect(packaged.out).toMatch(new RegExp(`^Packaged penguins@1 into ${join(root, 'p.lathe').replaceAll('/', '\\/')} \\(`));
    expect(packaged.out).toMatch(/model\/weights\.bin/);

    const key = JSON.parse((await run('keys', 'show', '--json')).out) as { publicKey: string; fingerprint: string };
    expect((await run('keys', 'show')).out).toContain(`Public key:  ${key.publicKey}\nFingerprint: ${key.fingerprint}`);

    const good = await run('models', 'verify', 'p.lathe');
    expect(good.code).toBe(0);
    expect(good.out).toMatch(new RegExp(`^Verified .*p\\.lathe: penguins@1 \\(run ${trained.runId}\\), signed by key ${key.fingerprint} .*trusted; every part matches its SHA-256\\.`));

    const bytes = await readFile(join(root, 'p.lathe'));
    bytes[bytes.indexOf('# Model card') + 2]! ^= 0x01;
    await writeFile(join(root, 'bad.lathe'), bytes);
    const bad = await run('models', 'verify', 'bad.lathe');
    expect(bad.code).toBe(1);
    expect(bad.out).toMatch(/did NOT verify \(1 problem\):\n {2}- part model-card\.md: SHA-256 is [0-9a-f]{64}, the manifest says [0-9a-f]{64}/);
    const badJson = await run('models', 'verify', 'bad.lathe', '--json');
    expect(badJson.code).toBe(1);
    expect(JSON.parse(badJson.out)).toMatchObject({ verified: false, problems: [{ kind: 'altered', part: 'model-card.md' }] });

    await writeFile(join(root, 'friend.pub'), generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'pem' }));
    const strangers = await run('models', 'verify', 'p.lathe', '--trust', 'friend.pub');
    expect(strangers.code).toBe(1);
    expect(strangers.out).toContain(`signed by key ${key.fingerprint}… (${key.publicKey}), which is not trusted`);
    expect((await run('models', 'verify', 'p.lathe', '--trust', key.publicKey)).code).toBe(0);

    expect(await run('models', 'package', 'penguins@1')).toMatchObject({ code: 2, err: expect.stringContaining('--out FILE') });
    expect(await run('models', 'verify', 'nothing.lathe')).toMatchObject({ code: 1, err: expect.stringContaining('There is no file') });
  });
});
