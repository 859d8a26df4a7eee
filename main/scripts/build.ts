// `npm run build`: the renderer (Vite) and the two Electron bundles (esbuild).
//   main/app/main.ts             → main/dist/app.cjs      Node, CommonJS; electron and the
//                                                          package's dependencies stay external
//   main/app/preload/preload.ts  → main/dist/preload.cjs  one self-contained CommonJS file: a
//                                                          sandboxed preload can require only electron
import { build as esbuild, type BuildOptions, type Plugin } from 'esbuild';
import { existsSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const distDir = path.join(root, 'main', 'dist');
const at = (...parts: string[]) => path.join(root, ...parts);
const shown = (file: string) => path.relative(root, file);

export async function buildAll(): Promise<void> {
  const started = performance.now();
  await buildRenderer();
  await Promise.all([buildMain(), buildScanWorker(), buildPreload()]);
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
async function buildScanWorker(): Promise<void> {
  const options = await mainBundleOptions();
  await bundle('scan worker', {
    ...options,
    entryPoints: [at('main', 'core', 'datasets', 'table-scan-worker.ts')],
    outfile: path.join(distDir, 'table-scan-worker.cjs'),
  });
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
