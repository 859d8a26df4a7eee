import { copyFile, mkdir, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { failure } from '../core/errors.ts';

/**
 * `lathe agent pack --out DIR`: a folder a target machine runs with `node DIR/lathe-agent.mjs`, no
 * clone and no npm install — the agent bundled in one file, the serving worker (TensorFlow.js
 * inside) and the WASM backend's binaries beside it, a package.json (ESM, Node 22.13 and up: the
 * agent locks its data folder with node:sqlite) and a README. Copied from what `npm run build`
 * made. DIR must be new or empty; when a copy fails, DIR is removed again.
 */
export const PACKED_FILES = ['lathe-agent.mjs', 'serving-worker.cjs', 'tfjs-backend-wasm.wasm', 'tfjs-backend-wasm-simd.wasm'] as const;

export async function packAgent(distDir: string, outDir: string, latheVersion: string): Promise<{ dir: string; files: { name: string; bytes: number }[] }> {
  const missing: string[] = [];
  for (const name of PACKED_FILES) {
    try {
      await stat(join(distDir, name));
    } catch {
      missing.push(name);
    }
  }
  if (missing.length > 0) {
    throw failure('FAILED_PRECONDITION', `The built agent is not there: ${missing.join(', ')} missing from ${distDir}.`, { hint: 'Run `npm run build` in the Lathe project first.', location: { file: distDir } });
  }
  const existing = await readdir(outDir).catch((error: NodeJS.ErrnoException) => (error.code === 'ENOENT' ? null : Promise.reject(error)));
  if (existing && existing.length > 0) {
    throw failure('CONFLICT', `${outDir} is not empty.`, { hint: 'Pack into a new or empty folder; nothing was written.', location: { file: outDir } });
  }
  await mkdir(outDir, { recursive: true });
  try {
    for (const name of PACKED_FILES) await copyFile(join(distDir, name), join(outDir, name));
    await writeFile(join(outDir, 'package.json'), `${JSON.stringify({ name: 'lathe-agent', version: latheVersion, private: true, type: 'module', engines: { node: '>=22.13' }, bin: { 'lathe-agent': 'lathe-agent.mjs' } }, null, 2)}\n`);
    await writeFile(join(outDir, 'README.md'), readme(latheVersion));
  } catch (error) {
    await rm(outDir, { recursive: true, force: true });
    throw error;
  }
  const files = await Promise.all((await readdir(outDir)).sort().map(async (name) => ({ name, bytes: (await stat(join(outDir, name))).size })));
  return { dir: outDir, files };
}

function readme(version: string): string {
  return `# Lathe agent ${version}

A deploy target for models packaged with Lathe (\`lathe models package\`). Needs Node 22.13 or later (for node:sqlite, which holds its data folder's lock), nothing else.

    node lathe-agent.mjs [--port N] [--host ADDR] [--data-dir DIR] [--trust PUBKEY]… [--allow-host NAME]… [--workers N] [--max-queue N] [--max-bundle-mb N] [--predict-timeout S] [--json]

- \`--trust\`: the public key of the machine that signs your bundles (\`lathe keys show\` prints it there). Only bundles it signed load.
- The first start prints an admin token once; only its hash is kept (\`DIR/admin-token.json\`; delete it for a new token).
- Load a model: \`curl -X PUT -H "Authorization: Bearer $TOKEN" -H "Content-Type: application/octet-stream" --data-binary @model.lathe http://HOST:8080/admin/models/NAME\`
- Predict: \`POST /v2/models/NAME/infer\` (KServe Open Inference Protocol v2, one input tensor per column) or \`POST /v1/models/NAME:predict\` (\`{"instances": [{column: value}]}\`).
- Health: \`/v2/health/live\`, \`/v2/health/ready\`; metrics for Prometheus: \`/metrics\`.
- SIGTERM finishes the requests in hand, then exits 0; a restart reloads the models it served.
`;
}
