import { isAbsolute } from 'node:path';
import type { Handlers } from '../dispatch.ts';
import { failure } from '../errors.ts';
import type { OpenWorkspaces } from '../workspace/open-workspaces.ts';
import { loadOrCreateSigningKey, readOwnPublicKey, resolveTrustedKey } from './signing-keys.ts';

export interface BundleCallsContext {
  workspaces: OpenWorkspaces;
  /** The user's state folder: the signing key lives in its `keys/`. */
  stateDir: string;
  /** Lathe's version, written into each manifest. */
  latheVersion: string;
}

/** Signed bundles: package a model version, verify a bundle file, show the signing key. */
export function bundleCalls({ workspaces, stateDir, latheVersion }: BundleCallsContext): Handlers {
  return {
    'bundles:package': async ({ workspace, ref, out }) => {
      const [{ packageModelVersion }] = await Promise.all([import('./package-model-version.ts')]);
      const open = await workspaces.at(workspace);
      return packageModelVersion(open, ref, absolute(out, 'out'), { key: await loadOrCreateSigningKey(stateDir), latheVersion });
    },
    'bundles:verify': async ({ file, trust }) => {
      const { verifyBundle } = await import('./verify-bundle.ts');
      const path = absolute(file, 'file');
      const trusted = trust.length > 0 ? await Promise.all(trust.map(resolveTrustedKey)) : [await readOwnPublicKey(stateDir)].filter((key) => key !== null);
      const { kept: _kept, ...verification } = await verifyBundle(path, { trusted }).catch((error: NodeJS.ErrnoException) => {
        if (error.code === 'ENOENT') throw failure('NOT_FOUND', `There is no file ${path}.`, { location: { file: path, field: 'file' } });
        throw error;
      });
      return { ...verification, trusted: trusted.map((key) => key.fingerprint) };
    },
    'keys:show': async () => {
      const key = await loadOrCreateSigningKey(stateDir);
      return { publicKey: key.publicKey.text, fingerprint: key.publicKey.fingerprint, pem: key.publicKey.pem, file: key.file, created: key.created };
    },
  };
}

function absolute(path: string, field: string): string {
  if (!isAbsolute(path)) throw failure('INVALID_INPUT', `${field}: a file path must be absolute here; got ${JSON.stringify(path)}.`, { location: { field } });
  return path;
}
