import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { loadOrCreateSigningKey, type SigningKey } from '../bundles/signing-keys.ts';
import { writeBundle, type BundleSource, type BundleSourcePart } from '../bundles/write-bundle.ts';

/** Tests and benchmarks: bundles of made-up parts (no training), signed by a key in `dir`'s own state folder. */

/** A part whose bytes are in memory, handed out in small chunks as a store would stream them. */
export function memoryPart(path: string, content: string | Uint8Array): BundleSourcePart {
  const bytes = typeof content === 'string' ? new TextEncoder().encode(content) : content;
  return {
    path,
    bytes: bytes.byteLength,
    sha256: createHash('sha256').update(bytes).digest('hex'),
    async *read() {
      for (let at = 0; at < bytes.byteLength; at += 1000) yield bytes.subarray(at, at + 1000);
    },
  };
}

export function sampleSource(weights: Uint8Array = Uint8Array.from({ length: 5000 }, (_, i) => (i * 7) % 256)): BundleSource {
  return {
    model: { name: 'penguins-species', version: 3 },
    runId: '0123456789abcdef0123456789abcdef',
    dataset: { name: 'penguins', version: 1, contentHash: `sha256:${'a'.repeat(64)}` },
    workspaceCommit: 'b'.repeat(40),
    parts: [
      memoryPart('model/model.json', '{"format":"layers-model"}\n'),
      memoryPart('model/weights.bin', weights),
      memoryPart('preprocessing.json', '{"schemaVersion":1}\n'),
      memoryPart('signature.json', '{"schemaVersion":1}\n'),
      memoryPart('model-card.md', '# penguins-species v3\n'),
    ],
  };
}

export async function writeSampleBundle(dir: string, name = 'model.lathe', source = sampleSource(), stateDir = join(dir, 'state')): Promise<{ file: string; key: SigningKey }> {
  const key = await loadOrCreateSigningKey(stateDir);
  const file = join(dir, name);
  await writeBundle(source, file, key, { latheVersion: 'test', now: new Date('2026-01-02T03:04:05Z') });
  return { file, key };
}
