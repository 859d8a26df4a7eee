import { execFileSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { coreOnNewWorkspace } from '../testing/core-fixture.ts';
import { useTempDirs } from '../testing/temp-dir.ts';
import { describePublicKey } from './signing-keys.ts';

/** Packaging a registered version and verifying it, through the contract as the CLI calls it. */
const tempDir = useTempDirs();

async function registeredPenguins() {
  const root = await tempDir();
  const fixture = await coreOnNewWorkspace(root);
  const { workspace, call } = fixture;
  await call('datasets:import-sample', { workspace });
  const started = await call('training:start', { workspace, dataset: 'penguins', target: 'Species', model: 'linear', epochs: 3 });
  await call('training:wait', { workspace, runId: started.runId });
  await call('models:register', { workspace, runId: started.runId, name: 'penguins' });
  return { ...fixture, root, runId: started.runId };
}

describe('bundles:package and bundles:verify', () => {
  it("package NAME@V into one signed file that verifies with the user's own key, made on first use outside the workspace", async () => {
    const { core, call, workspace, root, runId } = await registeredPenguins();
    try {
      const out = join(root, 'penguins-1.lathe');
      const packaged = await call('bundles:package', { workspace, ref: 'penguins@1', out });
      expect(packaged.manifest).toMatchObject({ model: { name: 'penguins', version: 1 }, runId, dataset: { name: 'penguins', version: 1 }, latheVersion: 'test' });
      expect(packaged.manifest.parts.map((part) => part.path)).toEqual(['model/model.json', 'model/weights.bin', 'preprocessing.json', 'signature.json', 'model-card.md']);
      expect(packaged.bytes).toBe((await stat(out)).size);
      expect(execFileSync('tar', ['-xOf', out, 'model-card.md'], { encoding: 'utf8' })).toMatch(/^# Model card: penguins@1/);

      const key = await call('keys:show', {});
      expect(key).toMatchObject({ publicKey: packaged.signer.publicKey, fingerprint: packaged.signer.fingerprint, created: false, file: join(root, 'state', 'keys', 'bundle-signing.pem') });
      expect(key.pem).toMatch(/^-----BEGIN PUBLIC KEY-----/);
      expect((await stat(key.file)).mode & 0o777).toBe(0o600);
      expect((await stat(join(root, 'state', 'keys'))).mode & 0o777).toBe(0o700);
      expect(execFileSync('git', ['-C', workspace, 'ls-files'], { encoding: 'utf8' })).not.toMatch(/pem|key/);
      expect(await readdir(workspace)).not.toContain('keys');

      const verified = await call('bundles:verify', { file: out });
      expect(verified).toMatchObject({ verified: true, problems: [], signer: { fingerprint: key.fingerprint, trusted: true }, trusted: [key.fingerprint] });
      expect(verified.parts.every((part) => part.status === 'intact')).toBe(true);
    } finally {
      await core.close();
    }
  });

  it('verifies against the keys given with trust instead, as text, PEM or a file; refuses private keys and non-keys', async () => {
    const { core, call, workspace, root } = await registeredPenguins();
    try {
      const out = join(root, 'penguins-1.lathe');
      await call('bundles:package', { workspace, ref: 'penguins@latest', out });
      const own = await call('keys:show', {});
      const other = generateKeyPairSync('ed25519');
      const otherText = describePublicKey(other.publicKey).text;

      const untrusted = await call('bundles:verify', { file: out, trust: [otherText] });
      expect(untrusted.verified).toBe(false);
      expect(untrusted.problems).toEqual([{ kind: 'untrusted', part: 'manifest.sig', message: `signed by key ${own.fingerprint}… (${own.publicKey}), which is not trusted` }]);

      expect((await call('bundles:verify', { file: out, trust: [otherText, own.pem] })).verified).toBe(true);
      const keyFile = join(root, 'colleague.pub');
      await writeFile(keyFile, `${own.publicKey}\n`);
      expect((await call('bundles:verify', { file: out, trust: [keyFile] })).verified).toBe(true);

      const privatePem = other.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
      await expect(call('bundles:verify', { file: out, trust: [privatePem] })).rejects.toMatchObject({ error: { code: 'INVALID_INPUT', message: '--trust was given a PRIVATE key; trust takes the public key only.' } });
      const privateFile = join(root, 'oops.pem');
      await writeFile(privateFile, privatePem);
      await expect(call('bundles:verify', { file: out, trust: [privateFile] })).rejects.toMatchObject({ error: { code: 'INVALID_INPUT', location: { file: privateFile } } });
      await expect(call('bundles:verify', { file: out, trust: ['ed25519:nope'] })).rejects.toMatchObject({ error: { code: 'INVALID_INPUT', message: expect.stringContaining('is not an Ed25519 public key') } });
      await expect(call('bundles:verify', { file: out, trust: [join(root, 'nowhere.pub')] })).rejects.toMatchObject({ error: { code: 'INVALID_INPUT', message: expect.stringContaining('neither a public key nor a file that exists') } });
    } finally {
      await core.close();
    }
  });

  it('says what is wrong with the files and references it is given, and leaves no bundle when packaging fails', async () => {
    const { core, call, workspace, root } = await registeredPenguins();
    try {
      await expect(call('bundles:verify', { file: join(root, 'missing.lathe') })).rejects.toMatchObject({ error: { code: 'NOT_FOUND' } });
      await expect(call('bundles:verify', { file: root })).rejects.toMatchObject({ error: { code: 'INVALID_INPUT', message: `${root} is a folder, not a bundle file.` } });
      await expect(call('bundles:verify', { file: 'relative.lathe' })).rejects.toMatchObject({ error: { code: 'INVALID_INPUT' } });
      await expect(call('bundles:package', { workspace, ref: 'penguins@7', out: join(root, 'x.lathe') })).rejects.toMatchObject({ error: { code: 'NOT_FOUND', message: 'penguins has no version 7.' } });
      await expect(call('bundles:package', { workspace, ref: 'penguins@1', out: root })).rejects.toMatchObject({ error: { code: 'INVALID_INPUT', location: { field: 'out' } } });
      await expect(call('bundles:package', { workspace, ref: 'penguins@1', out: join(root, 'no-such-folder', 'x.lathe') })).rejects.toMatchObject({
        error: { code: 'NOT_FOUND', message: `There is no folder ${join(root, 'no-such-folder')} to write the bundle into.`, location: { file: join(root, 'no-such-folder'), field: 'out' } },
      });

      // A damaged blob in the store stops the packaging; nothing is left behind.
      const weights = (await call('models:get-version', { workspace, ref: 'penguins@1' })).artifacts.find((a) => a.path === 'model/weights.bin')!;
      const blob = join(workspace, '.lathe', 'objects', 'sha256', weights.contentHash.slice(7, 9), weights.contentHash.slice(9));
      const bytes = await readFile(blob);
      bytes[0]! ^= 1;
      execFileSync('chmod', ['u+w', blob]);
      await writeFile(blob, bytes);
      await expect(call('bundles:package', { workspace, ref: 'penguins@1', out: join(root, 'damaged.lathe') })).rejects.toMatchObject({ error: { code: 'DATA_DAMAGED' } });
      expect((await readdir(root)).filter((name) => name.includes('damaged'))).toEqual([]);
    } finally {
      await core.close();
    }
  });
});
