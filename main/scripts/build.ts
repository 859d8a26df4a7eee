// `npm run build`: the renderer (Vite), the two Electron bundles and the CLI (esbuild).
//   main/app/main.ts             → main/dist/app.cjs      Node, CommonJS; electron and the
//                                                          package's dependencies stay external
//   main/app/preload/preload.ts  → main/dist/preload.cjs  one self-contained CommonJS file: a
//                                                          sandboxed preload can require only electron
//   main/core/datasets/table-scan-worker.ts → main/dist/table-scan-worker.cjs
//   main/core/training/training-worker.ts → main/dist/training-worker.cjs, TensorFlow.js bundled
//                                  in, and the WASM backend's .wasm files beside it
//   main/core/serving/serving-worker.ts → main/dist/serving-worker.cjs, the same way
//   main/cli/lathe-agent.ts      → main/dist/lathe-agent.mjs  the serving agent alone, one ESM
//                                  file with its dependencies, which `lathe agent pack` copies
//   main/cli/lathe.ts            → main/dist/lathe.mjs    the `lathe` command, ESM with its
//                                  and main/dist/cli-chunks/ dependencies, split so that each
//                                                          command loads only what it uses
import { build as esbuild, type BuildOptions, type Metafile, type OutputFile, type Plugin } from 'esbuild';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const distDir = path.join(root, 'main', 'dist');
const at = (...parts: string[]) => path.join(root, ...parts);
const shown = (file: string) => path.relative(root, file);

export async function buildAll(): Promise<void> {
  const started = performance.now();
  await buildRenderer();
  await Promise.all([buildMain(), buildScanWorker(), buildTrainingWorker(), buildServingWorker(), buildPreload(), buildCliBundle(), buildAgentBundle()]);
  console.log(`build: done in ${Math.round(performance.now() - started)} ms`);
}

async function buildRenderer(): Promise<void> {
  const config = at('renderer', 'vite.config.ts');
  if (!existsSync(config)) {
    console.log(`build: skipped the renderer — ${shown(config)} does not exist yet`);
    return;
  }
  const started = performance.now();
  const { build: viteBuild } = await import('vite');
  await viteBuild({ configFile: config, logLevel: 'warn' });
  console.log(`build: renderer → renderer/dist in ${Math.round(performance.now() - started)} ms`);
}

/** How main/app/main.ts is bundled; main/app/main-process.test.ts bundles it the same way. */
export async function mainBundleOptions(): Promise<BuildOptions> {
  const pkg = JSON.parse(await readFile(at('package.json'), 'utf8')) as Record<string, Record<string, string> | undefined>;
  const packages = [...Object.keys(pkg.dependencies ?? {}), ...Object.keys(pkg.optionalDependencies ?? {})];
  return {
    entryPoints: [at('main', 'app', 'main.ts')],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node24',
    external: ['electron', ...packages, ...packages.map((name) => `${name}/*`)],
    plugins: [sourceLocationOfImportMeta(distDir)],
  };
}

async function buildMain(): Promise<void> {
  await bundle('main', { ...(await mainBundleOptions()), outfile: path.join(distDir, 'app.cjs'), sourcemap: 'linked' });
}

/** The table-scan worker runs as a file of its own (main/core/datasets/table-scan.ts starts it). */
export async function scanWorkerBundleOptions(outfile: string): Promise<BuildOptions & { outfile: string }> {
  return { ...(await mainBundleOptions()), entryPoints: [at('main', 'core', 'datasets', 'table-scan-worker.ts')], outfile };
}

async function buildScanWorker(): Promise<void> {
  await bundle('scan worker', await scanWorkerBundleOptions(path.join(distDir, 'table-scan-worker.cjs')));
}

/**
 * The training worker runs as a file of its own too (main/core/training/run-training.ts starts
 * it), self-contained: in the packaged app its file is unpacked beside app.asar, where it cannot
 * resolve packages inside the archive, so TensorFlow.js's JavaScript packages and zod are bundled
 * in and it needs only the .wasm files copied beside it. The native backends (tfjs-node,
 * tfjs-node-gpu) stay outside: found at run time where installed (and unpacked), else reported.
 */
export async function trainingWorkerBundleOptions(outfile: string): Promise<BuildOptions & { outfile: string }> {
  const native = ['@tensorflow/tfjs-node', '@tensorflow/tfjs-node-gpu'];
  return { ...(await mainBundleOptions()), entryPoints: [at('main', 'core', 'training', 'training-worker.ts')], outfile, minify: true, external: ['electron', ...native, ...native.map((name) => `${name}/*`)] };
}

/** The WASM backend's binaries, which its bundled script looks for beside itself. */
export async function copyWasmBinaries(toDir: string): Promise<void> {
  const from = at('node_modules', '@tensorflow', 'tfjs-backend-wasm', 'dist');
  // Not the multi-threaded build: Node's worker_threads cannot start its threads (see worker/backends.ts).
  for (const name of ['tfjs-backend-wasm.wasm', 'tfjs-backend-wasm-simd.wasm']) await copyFile(path.join(from, name), path.join(toDir, name));
}

async function buildTrainingWorker(): Promise<void> {
  await bundle('training worker', await trainingWorkerBundleOptions(path.join(distDir, 'training-worker.cjs')));
  await copyWasmBinaries(distDir);
}

/** The serving worker (main/core/serving/serving-runtime.ts starts it): bundled as the training worker is, for the same reasons. */
export async function servingWorkerBundleOptions(outfile: string): Promise<BuildOptions & { outfile: string }> {
  return { ...(await trainingWorkerBundleOptions(outfile)), entryPoints: [at('main', 'core', 'serving', 'serving-worker.ts')] };
}

async function buildServingWorker(): Promise<void> {
  await bundle('serving worker', await servingWorkerBundleOptions(path.join(distDir, 'serving-worker.cjs')));
}

/** The CLI needs its workers beside it: `npm run bench:cli` builds those, not the rest. */
export async function buildCli(): Promise<void> {
  await Promise.all([buildCliBundle(), buildScanWorker(), buildTrainingWorker(), buildServingWorker(), buildAgentBundle()]);
}

/**
 * The agent a target machine runs (`lathe agent pack` copies it with the serving worker and the
 * WASM binaries): one self-contained ESM file for any Node from 22, no node_modules beside it.
 */
export function agentBundleOptions(outfile: string): BuildOptions & { outfile: string } {
  return {
    entryPoints: [at('main', 'cli', 'lathe-agent.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node22',
    outfile,
    minify: true,
    legalComments: 'none',
    banner: { js: "import { createRequire as __latheRequire } from 'node:module'; const require = __latheRequire(import.meta.url);" },
    plugins: [withoutZodLocales()],
  };
}

async function buildAgentBundle(): Promise<void> {
  await bundle('agent', agentBundleOptions(path.join(distDir, 'lathe-agent.mjs')));
}

/**
 * How main/cli/lathe.ts is bundled (main/cli/cli-bundle.test.ts bundles it the same way). Scripts
 * call the CLI in loops, so start-up time is what this is about:
 * - one ESM entry, split at every dynamic `import()`: `--help` loads the entry chunk only, the core
 *   (isomorphic-git, zod) loads when a command calls it, the server only for `serve`;
 * - dependencies are bundled and minified: one file to read and compile instead of hundreds
 *   (CommonJS ones get a real `require` for the Node modules they ask for);
 * - zod's translations of its error messages (half of zod's size) are left out: the contract's
 *   messages are English, and Lathe's own words are what users read.
 */
export function cliBundleOptions(outdir: string): BuildOptions {
  return {
    entryPoints: { lathe: at('main', 'cli', 'lathe.ts') },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node24',
    splitting: true,
    outdir,
    entryNames: '[name]',
    chunkNames: 'cli-chunks/[name]-[hash]',
    outExtension: { '.js': '.mjs' },
    minify: true,
    sourcemap: 'linked',
    legalComments: 'none',
    banner: { js: "import { createRequire as __latheRequire } from 'node:module'; const require = __latheRequire(import.meta.url);" },
    plugins: [withoutZodLocales()],
    metafile: true,
  };
}

async function buildCliBundle(): Promise<void> {
  const started = performance.now();
  const result = await esbuild({ logLevel: 'warning', ...cliBundleOptions(distDir), write: false });
  const entry = path.join(distDir, 'lathe.mjs');
  const heavy = heavyModulesLoadedAtStart(result.metafile!, path.relative(root, entry));
  if (heavy.length > 0) throw new Error(`${shown(entry)} loads ${heavy.join(', ')} at start; import them where a command needs them`);
  await replaceCliBundle(result.outputFiles!, entry);
  const total = Object.entries(result.metafile!.outputs).reduce((sum, [file, output]) => sum + (file.endsWith('.mjs') ? output.bytes : 0), 0);
  const { size } = await stat(entry);
  console.log(
    `build: cli → ${shown(entry)} (${(size / 1024).toFixed(0)} KiB; ${(total / 1024).toFixed(0)} KiB with its chunks) in ${Math.round(performance.now() - started)} ms`,
  );
}

/**
 * The installed `lathe` runs main/dist/lathe.mjs whenever it exists, so it must never be left
 * pointing at chunks that are not there: a failed build writes nothing, the new chunks are in place
 * before the new entry replaces the old one, and only then are the old chunks removed. Each file
 * is written aside and renamed into place.
 */
async function replaceCliBundle(files: readonly OutputFile[], entry: string): Promise<void> {
  const put = async (file: OutputFile) => {
    await mkdir(path.dirname(file.path), { recursive: true });
    const aside = `${file.path}.${process.pid}.tmp`;
    await writeFile(aside, file.contents);
    await rename(aside, file.path);
  };
  const isEntry = (file: OutputFile) => file.path === entry || file.path === `${entry}.map`;
  await Promise.all(files.filter((file) => !isEntry(file)).map(put));
  for (const file of files.filter(isEntry)) await put(file);
  const chunksDir = path.join(distDir, 'cli-chunks');
  const current = new Set(files.map((file) => file.path));
  for (const name of await readdir(chunksDir)) {
    if (!current.has(path.join(chunksDir, name))) await rm(path.join(chunksDir, name), { force: true });
  }
}

/**
 * What `lathe --help` would load: the entry's static imports, followed through the chunks. The core,
 * the server and the big dependencies must not be among them.
 */
export function heavyModulesLoadedAtStart(metafile: Metafile, entry: string): string[] {
  const heavy = [/node_modules\/(zod|isomorphic-git|ws|pako)\//, /main\/core\/lathe-core\.ts$/, /main\/server\//];
  const seen = new Set<string>();
  const pending = [entry];
  while (pending.length > 0) {
    const file = pending.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    for (const imported of metafile.outputs[file]?.imports ?? []) {
      if (imported.kind === 'import-statement' && !imported.external) pending.push(imported.path);
    }
  }
  const inputs = [...seen].flatMap((file) => Object.keys(metafile.outputs[file]?.inputs ?? {}));
  return [...new Set(inputs.filter((input) => heavy.some((pattern) => pattern.test(input))))];
}

/** zod's `locales` namespace, replaced by an empty one (see cliBundleOptions). */
function withoutZodLocales(): Plugin {
  return {
    name: 'without-zod-locales',
    setup(build) {
      build.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, (args) =>
        /[\\/]node_modules[\\/]zod[\\/]/.test(args.importer) ? { path: 'zod-locales', namespace: 'without-zod-locales' } : undefined,
      );
      build.onLoad({ filter: /.*/, namespace: 'without-zod-locales' }, () => ({ contents: 'export {};', loader: 'js' }));
    },
  };
}

async function buildPreload(): Promise<void> {
  const outfile = path.join(distDir, 'preload.cjs');
  await bundle('preload', {
    entryPoints: [at('main', 'app', 'preload', 'preload.ts')],
    outfile,
    platform: 'browser',
    format: 'cjs',
    target: 'es2024',
    external: ['electron'],
    // The contract's `import { z } from 'zod'` keeps all of zod (locales too) in the bundle;
    // minifying halves what every window parses at startup.
    minify: true,
    sourcemap: 'linked',
  });
  // A sandboxed preload that requires anything else fails at runtime with a blank window:
  // refuse the build instead.
  const text = await readFile(outfile, 'utf8');
  const required = [...text.matchAll(/\brequire\s*\(\s*([^)]*)\)/g)].map((match) => match[1]?.trim());
  const foreign = required.filter((what) => what !== '"electron"' && what !== "'electron'");
  if (foreign.length > 0) throw new Error(`${shown(outfile)} requires ${foreign.join(', ')}; a sandboxed preload may require only electron`);
}

async function bundle(label: string, options: BuildOptions & { outfile: string }): Promise<void> {
  const started = performance.now();
  await esbuild({ bundle: true, logLevel: 'warning', legalComments: 'none', ...options });
  const { size } = await stat(options.outfile);
  console.log(`build: ${label} → ${shown(options.outfile)} (${(size / 1024).toFixed(0)} KiB) in ${Math.round(performance.now() - started)} ms`);
}

/**
 * In a CommonJS bundle `import.meta` is empty. Our sources use `import.meta.url` to find files
 * beside them (main/core/paths.ts → resources/), so give each file its own source location,
 * computed from the bundle's `__dirname` — right in the source tree and inside the packaged app,
 * which keeps the same layout.
 */
function sourceLocationOfImportMeta(outDir: string): Plugin {
  return {
    name: 'source-location-of-import-meta',
    setup(build) {
      build.onLoad({ filter: /\.ts$/ }, async (args) => {
        if (args.path.includes(`${path.sep}node_modules${path.sep}`)) return undefined;
        const source = await readFile(args.path, 'utf8');
        if (!source.includes('import.meta')) return undefined;
        const fromDist = JSON.stringify(path.relative(outDir, args.path).split(path.sep).join('/'));
        const file = `require("node:path").join(__dirname, ${fromDist})`;
        const contents = source
          .replaceAll('import.meta.url', `require("node:url").pathToFileURL(${file}).href`)
          .replaceAll('import.meta.filename', file)
          .replaceAll('import.meta.dirname', `require("node:path").dirname(${file})`)
          .replaceAll('import.meta.main', 'false');
        return { contents, loader: 'ts' };
      });
    },
  };
}

if (import.meta.main) {
  buildAll().catch((error: unknown) => {
    console.error(`build: failed — ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  });
}
