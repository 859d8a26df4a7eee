// Lint, and the import boundaries that keep Lathe's layers honest (see ARCHITECTURE.md):
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
import { builtinModules } from 'node:module';

const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];
const electronBan = {
  name: 'electron',
  message: 'Only main/app may import electron: keep the core, server and CLI runnable in plain Node.',
};

export default tseslint.config(
  {
    ignores: ['**/node_modules/**', '**/dist/**', 'release/**', 'e2e/.output/**', 'resources/**'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-imports': ['error', { paths: [electronBan] }],
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
    files: ['main/core/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [electronBan],
          patterns: [
            { group: ['**/app/**', '**/server/**', '**/cli/**', '**/renderer/**'], message: 'main/core must not depend on a front door or the UI.' },
          ],
        },
      ],
    },
  },
  {
    files: ['main/app/**/*.ts'],
    rules: { 'no-restricted-imports': 'off' },
  },
  {
    files: ['shared/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [electronBan, ...nodeBuiltins.map((name) => ({ name, message: 'shared/ runs everywhere: no Node modules.' }))],
          patterns: [{ group: ['../../*', '**/main/**', '**/renderer/**'], message: 'shared/ imports nothing from main/ or renderer/.' }],
        },
      ],
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: globals.browser },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': [
        'error',
        {
          paths: [electronBan, ...nodeBuiltins.map((name) => ({ name, message: 'The renderer has no Node: ask main through the contract.' }))],
          patterns: [{ group: ['**/main/**'], message: 'The renderer reaches main only through shared/contract and renderer/src/lib/api.ts.' }],
        },
      ],
    },
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
