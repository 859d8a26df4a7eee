import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { BackendName, BackendReport } from '../../../../shared/contract/training.ts';
import { failure } from '../../errors.ts';
import type { TfCore } from './network.ts';

/**
 * TensorFlow.js's backends, fastest first, each loaded only when asked for (in the training
 * worker, never on the main thread or at CLI start):
 * - `node-gpu` (@tensorflow/tfjs-node-gpu): TensorFlow's native library with CUDA, where an
 *   NVIDIA driver is present;
 * - `node` (@tensorflow/tfjs-node): TensorFlow's native library on the CPU;
 * - `wasm` (@tensorflow/tfjs-backend-wasm): XNNPACK compiled to WebAssembly, with SIMD;
 * - `cpu` (@tensorflow/tfjs-backend-cpu): plain JavaScript, always there.
 * The two native ones are optional dependencies: their install script downloads libtensorflow,
 * which fails offline and is not allowed to run by default (package.json's allowScripts), so
 * they are often installed without their native library. Checking for that is done on the files
 * first, so a missing library is reported, not crashed into.
 */
export interface LoadedBackend {
  name: BackendName;
  /** TensorFlow.js's name for it: tensorflow, wasm, cpu. */
  tfjsName: string;
  /** @tensorflow/tfjs-core's version. */
  tfjsVersion: string;
  detail: string;
  /** Threads the backend computes with. */
  threads: number;
  gpu: string | null;
}

export interface LoadOptions {
  /** Where the WASM backend's .wasm files are, when not beside its own script (a bundle). */
  wasmDir?: string | undefined;
}

const PACKAGES: Record<BackendName, string> = {
  'node-gpu': '@tensorflow/tfjs-node-gpu',
  node: '@tensorflow/tfjs-node',
  wasm: '@tensorflow/tfjs-backend-wasm',
  cpu: '@tensorflow/tfjs-backend-cpu',
};
const ORDER: BackendName[] = ['node-gpu', 'node', 'wasm', 'cpu'];
const WASM_THREADS_NOTE = "1 thread (its multi-threaded build starts its threads from blob: URLs, which Node's worker_threads cannot)";

const requireHere = createRequire(import.meta.url);

export async function importTfjs(): Promise<TfCore> {
  const tf = await import('@tensorflow/tfjs-core');
  tf.env().set('PROD', true); // no debug checks (and no NaN scans) on every operation
  return tf;
}

/** Load `preference` (or, for `auto`, the fastest that works) and make it TensorFlow.js's backend. */
export async function loadBackend(preference: 'auto' | BackendName, options: LoadOptions = {}): Promise<{ tf: TfCore; backend: LoadedBackend }> {
  const tf = await importTfjs();
  const candidates = preference === 'auto' ? ORDER : [preference];
  const problems: string[] = [];
  for (const name of candidates) {
    const attempt = await tryBackend(tf, name, options);
    if (attempt.ok) return { tf, backend: attempt.backend };
    problems.push(`${PACKAGES[name]}: ${attempt.detail}`);
    if (preference !== 'auto') {
      throw failure('UNAVAILABLE', `The ${name} backend cannot be used on this machine: ${attempt.detail}.`, {
        hint: 'Train with backend "auto" (the fastest this machine has), or see `lathe doctor` for what each backend needs.',
        location: { field: 'backend' },
      });
    }
  }
  throw failure('UNAVAILABLE', `No TensorFlow.js backend could start: ${problems.join('; ')}.`);
}

/** Every backend, found or not and why; at most one native library is loaded (they cannot share a process). */
export async function probeBackends(options: LoadOptions = {}): Promise<{ reports: Omit<BackendReport, 'selected'>[]; gpu: string | null }> {
  const tf = await importTfjs();
  const reports: Omit<BackendReport, 'selected'>[] = [];
  let nativeLoaded: BackendName | null = null;
  for (const name of ORDER) {
    const version = packageVersion(PACKAGES[name]);
    if ((name === 'node-gpu' || name === 'node') && nativeLoaded !== null) {
      const files = nativeProblem(name);
      reports.push({
        name,
        package: PACKAGES[name],
        version,
        available: false,
        detail: files ?? `installed with its native library; not loaded here because ${PACKAGES[nativeLoaded]} is (one TensorFlow native library per process)`,
      });
      continue;
    }
    const attempt = await tryBackend(tf, name, options);
    if (attempt.ok && (name === 'node-gpu' || name === 'node')) nativeLoaded = name;
    reports.push({ name, package: PACKAGES[name], version, available: attempt.ok, detail: attempt.ok ? attempt.backend.detail : attempt.detail });
  }
  return { reports, gpu: nvidiaGpu() };
}

type Attempt = { ok: true; backend: LoadedBackend } | { ok: false; detail: string };

async function tryBackend(tf: TfCore, name: BackendName, options: LoadOptions): Promise<Attempt> {
  try {
    switch (name) {
      case 'node-gpu':
      case 'node': {
        const problem = nativeProblem(name);
        if (problem) return { ok: false, detail: problem };
        requireHere(PACKAGES[name]); // registers the `tensorflow` backend
        if (!(await tf.setBackend('tensorflow'))) return { ok: false, detail: 'installed, but TensorFlow did not start (see the console for why)' };
        const gpu = name === 'node-gpu' ? nvidiaGpu() : null;
        return { ok: true, backend: loaded(tf, name, 'tensorflow', `available: TensorFlow's native library${gpu ? ` with CUDA on ${gpu}` : ''}`, 0, gpu) };
      }
      case 'wasm': {
        const wasm = await import('@tensorflow/tfjs-backend-wasm');
        if (options.wasmDir) wasm.setWasmPaths(options.wasmDir.endsWith('/') ? options.wasmDir : `${options.wasmDir}/`);
        if (!(await tf.setBackend('wasm'))) return { ok: false, detail: 'installed, but its WebAssembly module did not start' };
        const simd = (await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')) as boolean;
        return { ok: true, backend: loaded(tf, name, 'wasm', `available: WebAssembly${simd ? ' with SIMD' : ' without SIMD'}, ${WASM_THREADS_NOTE}`, 1, null) };
      }
      case 'cpu': {
        await import('@tensorflow/tfjs-backend-cpu');
        if (!(await tf.setBackend('cpu'))) return { ok: false, detail: 'did not start' };
        return { ok: true, backend: loaded(tf, name, 'cpu', 'available: plain JavaScript, 1 thread (the slowest; always there)', 1, null) };
      }
    }
  } catch (error) {
    return { ok: false, detail: `installed, but it failed to load: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}` };
  }
}

function loaded(tf: TfCore, name: BackendName, tfjsName: string, detail: string, threads: number, gpu: string | null): LoadedBackend {
  return { name, tfjsName, tfjsVersion: tf.version_core, detail, threads, gpu };
}

/** Why a native backend cannot load, judged from its files and the machine; null when it may. */
function nativeProblem(name: 'node-gpu' | 'node'): string | null {
  const dir = packageDir(PACKAGES[name]);
  if (dir === null) return `not installed (an optional dependency: \`npm install ${PACKAGES[name]}\` where its install script may download TensorFlow's native library)`;
  const lib = join(dir, 'lib');
  const bindings = existsSync(lib) ? readdirSync(lib).filter((entry) => entry.startsWith('napi-v') && existsSync(join(lib, entry, 'tfjs_binding.node'))) : [];
  if (bindings.length === 0) {
    return `installed, native library missing (its install script did not run: allow it in package.json's allowScripts and run \`npm rebuild ${PACKAGES[name]}\` with internet access)`;
  }
  if (name === 'node-gpu' && nvidiaGpu() === null) return 'installed with its native library, but no NVIDIA GPU with a CUDA driver was found';
  return null;
}

function packageDir(name: string): string | null {
  try {
    return dirname(requireHere.resolve(`${name}/package.json`));
  } catch {
    return null;
  }
}

function packageVersion(name: string): string | null {
  const dir = packageDir(name);
  if (dir === null) return null;
  try {
    return (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version?: string }).version ?? null;
  } catch {
    return null;
  }
}

/** The NVIDIA GPU's model where its driver is loaded (Linux: /proc/driver/nvidia; elsewhere: CUDA_PATH says a toolkit is there). */
export function nvidiaGpu(): string | null {
  if (process.platform === 'linux') {
    const gpus = '/proc/driver/nvidia/gpus';
    if (!existsSync('/proc/driver/nvidia/version')) return null;
    try {
      for (const bus of readdirSync(gpus)) {
        const model = /^Model:\s*(.+)$/m.exec(readFileSync(join(gpus, bus, 'information'), 'utf8'))?.[1];
        if (model) return model.trim();
      }
    } catch {
      // a driver without the per-GPU files
    }
    return 'NVIDIA GPU';
  }
  return process.platform === 'win32' && process.env.CUDA_PATH ? 'NVIDIA GPU (CUDA_PATH is set)' : null;
}
