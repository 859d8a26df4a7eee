// Lint, and the import boundaries that keep Lathe's layers honest (see ARCHITECTURE.md), as an
// allowlist per folder (`layers` below) that fails closed:
//   - only main/app may import `electron`;
//   - shared/ imports nothing of ours and nothing of Node's or the DOM's;
//   - renderer/ reaches main only through the contract, and only renderer/src/lib/api.ts
//     touches the transport (fetch, WebSocket, the Electron bridge);
//   - main/core knows nothing of its front doors.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import * as espree from 'espree';
import globals from 'globals';
import { fileURLToPath } from 'node:url';
import { importBoundaries } from './eslint-rules/import-boundaries.js';

const root = fileURLToPath(new URL('..', import.meta.url));

/**
 * What each folder may import: folders of ours (repo-relative globs), Node's built-ins (`node`),
 * and packages. The first layer whose `files` match a file rules it; a file no layer matches is
 * an error (fail closed). Tests (`*.test.ts`) may also import vitest and fast-check, and the
 * `testFolders` and `testPackages` of their layer.
 */
const layers = [
  {
    name: 'The sandboxed preload (main/app/preload)',
    files: ['main/app/preload/**'],
    folders: ['main/app/preload/**', 'shared/**'],
    packages: ['electron'],
    why: 'It runs in a sandbox with only Electron\'s renderer API.',
  },
  {
    name: 'The Electron front door (main/app)',
    files: ['main/app/**'],
    // main/server/mlflow: the MLflow endpoint each script run gets (`lathe run`, Run a script) is served by the app too.
    folders: ['main/app/**', 'main/core/**', 'main/ui-policy/**', 'main/server/mlflow/**', 'shared/**'],
    testFolders: ['main/scripts/build.ts'],
    testPackages: ['esbuild'],
    node: true,
    packages: ['electron', 'zod'],
  },
  {
    name: '`lathe serve` (main/server)',
    files: ['main/server/**'],
    folders: ['main/server/**', 'main/core/**', 'main/ui-policy/**', 'shared/**'],
    node: true,
    packages: ['ws', 'zod'], // zod: MLflow's request messages (main/server/mlflow), a wire format of its own
    why: 'A front door: it translates HTTP to calls and owns no business rule; electron is main/app\'s alone.',
  },
  {
    name: '`lathe agent` (main/agent)',
    files: ['main/agent/**'],
    folders: ['main/agent/**', 'main/core/**', 'main/server/**', 'shared/**'],
    node: true,
    packages: ['zod'],
    why: 'A front door for deploy targets: it serves the core\'s runtime over HTTP and owns no business rule.',
  },
  {
    name: 'The CLI (main/cli)',
    files: ['main/cli/**'],
    folders: ['main/cli/**', 'main/core/**', 'main/server/**', 'main/agent/**', 'shared/**'],
    testFolders: ['main/scripts/build.ts'],
    testPackages: ['esbuild'],
    node: true,
    packages: [],
  },
  {
    name: "The core's test support (main/core/testing)",
    files: ['main/core/testing/**'],
    folders: ['main/core/**', 'shared/**'],
    node: true,
    packages: ['vitest', 'fast-check'],
  },
  {
    name: 'The core (main/core)',
    files: ['main/core/**'],
    folders: ['main/core/**', 'shared/**'],
    testFolders: ['main/agent/start-agent.ts', 'main/agent/agent-metrics.ts', 'main/agent/rollouts/rollout-clock.ts', 'main/agent/test-support/**'], // deploy tests run real agents in-process
    node: true,
    packages: ['isomorphic-git', 'zod', '@tensorflow/tfjs-core', '@tensorflow/tfjs-layers', '@tensorflow/tfjs-backend-cpu', '@tensorflow/tfjs-backend-wasm'],
    why: 'The core knows nothing of its front doors (app, server, CLI) or the UI.',
  },
  {
    name: 'The UI policy shared by the app and the server (main/ui-policy)',
    files: ['main/ui-policy/**'],
    folders: ['main/ui-policy/**'],
    node: true,
    packages: [],
  },
  { name: 'Build and benchmark scripts', files: ['main/scripts/**'], folders: ['**'], node: true, packages: ['*'] },
  {
    name: 'The contract and helpers every layer shares (shared)',
    files: ['shared/**'],
    folders: ['shared/**'],
    packages: ['zod'],
    why: 'shared/ runs everywhere: no Node, no DOM, nothing of main/ or renderer/.',
  },
  {
    name: 'The UI (renderer/src)',
    files: ['renderer/src/**'],
    folders: ['renderer/src/**', 'shared/**'],
    packages: ['react', 'react-dom', 'zustand', 'dexie', 'recharts'],
    why: 'The renderer has no Node and reaches main only through shared/contract and renderer/src/lib/api.ts.',
  },
  { name: 'The UI build (renderer)', files: ['renderer/*.ts'], folders: ['renderer/**'], node: true, packages: ['vite', '@vitejs/plugin-react'] },
  { name: 'End-to-end specs (e2e)', files: ['e2e/**'], folders: ['e2e/**', 'shared/**', 'main/scripts/electron-binary.ts'], node: true, packages: ['@playwright/test'] },
  { name: 'Tool settings (.config)', files: ['.config/**'], folders: ['.config/**'], node: true, packages: ['*'] },
];

export default tseslint.config(
  {
    ignores: ['**/node_modules/**', '**/dist/**', 'release/**', 'e2e/.output/**', 'resources/**'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    plugins: { lathe: { rules: { 'import-boundaries': importBoundaries } } },
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'lathe/import-boundaries': ['error', { root, layers }],
    },
  },
  {
    files: ['main/**/*.ts', '.config/**', 'e2e/**/*.ts'],
    languageOptions: { globals: globals.node },
  },
  {
    // The `lathe` launcher must parse and run on any Node from 14 on (it is what finds Node 24):
    // plain CommonJS, parsed as ES2020 by ESLint's own parser so newer syntax is refused here.
    files: ['main/cli/*.cjs'],
    languageOptions: { parser: espree, ecmaVersion: 2020, sourceType: 'commonjs', globals: globals.node },
    rules: { '@typescript-eslint/no-require-imports': 'off', '@typescript-eslint/consistent-type-imports': 'off' },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: globals.browser },
    plugins: { 'react-hooks': reactHooks },
    rules: reactHooks.configs.recommended.rules,
  },
  {
    files: ['renderer/src/**/*.{ts,tsx}'],
    ignores: ['renderer/src/lib/api.ts', 'renderer/src/lib/api-*.ts', 'renderer/src/**/*.test.ts'],
    rules: {
      'no-restricted-globals': [
        'error',
        { name: 'fetch', message: 'Call main through renderer/src/lib/api.ts.' },
        { name: 'WebSocket', message: 'Call main through renderer/src/lib/api.ts.' },
        { name: 'XMLHttpRequest', message: 'Call main through renderer/src/lib/api.ts.' },
      ],
      'no-restricted-properties': [
        'error',
        { object: 'window', property: 'lathe', message: 'The Electron bridge is used only by renderer/src/lib/api.ts.' },
      ],
    },
  },
);
