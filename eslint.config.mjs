// ESLint: typescript-eslint (type-aware only for the promise and assertion rules, where it pays), the React
// hooks rules, and the layer rules that keep the design honest:
//   - src/main/core imports nothing from Electron or an outer layer (shell, transport, serve, cli, demo,
//     the renderer) and nothing from test-support: the CLI, the server, the worker and the tests run it as is;
//   - the renderer imports nothing from src/main, Electron or Node: it talks to the contract's client only;
//   - only src/preload and src/main/shell touch ipcRenderer / ipcMain (the typed bridge and the handlers);
//   - product code never imports test-support/ (test doubles and test-only helpers);
//   - the preload, the renderer and the operation table import no zod (validation happens in main);
//   - the core's folders stack one way (CORE_STACK): a folder imports only the folders before it, and
//     none imports the façade above them (cache.ts and its cache-*.ts modules, demo-switch.ts).
// Formatting is Prettier's job (`npm run format`), so no stylistic rules here.
import js from '@eslint/js'
import reactHooks from 'eslint-plugin-react-hooks'
import globals from 'globals'
import tseslint from 'typescript-eslint'

const TESTS = ['**/*.test.ts', '**/*.test.tsx']

const IPC_ONLY_IN_BRIDGE = {
  name: 'electron',
  importNames: ['ipcMain', 'ipcRenderer'],
  message:
    'Only src/preload and src/main/shell talk IPC: go through the typed bridge (window.cacheApi) or the handlers.'
}
const NO_TEST_SUPPORT = {
  regex: '(^|/)test-support(/|$)',
  message: 'Product code never imports test doubles or test-only helpers.'
}
const CORE_OUTER_LAYERS = {
  regex: '^\\.\\.?/.*\\b(shell|transport|serve|cli|demo|renderer)/|^\\.\\./(shell|transport|serve|cli|demo|renderer)$',
  message:
    'The core is plain Node: it knows no shell, transport, server, CLI, demo builder or renderer (inject what it needs).'
}
const CORE_NO_ELECTRON = { name: 'electron', message: 'The core runs without Electron (CLI, server, worker, tests).' }
/** The core's folders, lowest first (each folder's README.md says what it owns). */
const CORE_STACK = ['database', 'homes', 'locks', 'files', 'erofs', 'layer-files', 'planning', 'writing', 'usage']
function coreStackRule(folder) {
  const above = CORE_STACK.slice(CORE_STACK.indexOf(folder) + 1)
  const upward = above.length ? `^\\.\\./(${above.join('|')})(/|$)|` : ''
  return {
    regex: `${upward}^\\.\\./(cache|cache-[a-z]+|demo-switch)$`,
    message: `The core's folders stack one way (${CORE_STACK.join(' < ')}): ${folder}/ imports only folders before it, never the façade.`
  }
}
const RENDERER_NO_MAIN = {
  regex: '(^|/)main/|^node:',
  message: 'The renderer reaches the main process only through the contract client (src/renderer/src/api/client.ts).'
}
const NO_ZOD = {
  name: 'zod',
  message: 'The preload and the page do not bundle a validator: take names from the operation table (operations.ts).'
}
const IPC_SYNTAX = {
  selector: 'MemberExpression[property.name=/^ipc(Main|Renderer)$/]',
  message: 'Only src/preload and src/main/shell talk IPC.'
}

export default tseslint.config(
  {
    ignores: [
      'out/**',
      'dist/**',
      '.bench-cache/**',
      'node_modules/**',
      'test-results/**',
      'playwright-report/**',
      '.test-reports/**'
    ]
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      ecmaVersion: 2023,
      sourceType: 'module',
      globals: { ...globals.node },
      parserOptions: {
        project: ['./tsconfig.node.json', './tsconfig.web.json', './tsconfig.e2e.json'],
        tsconfigRootDir: import.meta.dirname
      }
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // Type-aware rules that catch real bugs: a promise nobody awaits, an await on a non-promise, a
      // cast that changes nothing, a switch over a union that forgot a member.
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { attributes: false } }],
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/no-unnecessary-type-assertion': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }
      ],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      'no-restricted-imports': ['error', { paths: [IPC_ONLY_IN_BRIDGE] }],
      'no-restricted-syntax': ['error', IPC_SYNTAX]
    }
  },
  {
    files: ['**/*.mjs', '**/*.js'],
    ...tseslint.configs.disableTypeChecked
  },
  {
    // The typed bridge and the handlers are where IPC lives (and the fake electron module they are tested
    // with, the Electron stand-in the desktop e2e runs on, and the desktop specs that probe the bridge).
    files: [
      'src/preload/**',
      'src/main/shell/**',
      'test-support/electron/**',
      'test-support/electron-standin/**',
      'e2e/desktop/**'
    ],
    rules: { 'no-restricted-imports': 'off', 'no-restricted-syntax': 'off' }
  },
  {
    files: ['src/**/*.{ts,tsx}'],
    ignores: [...TESTS, 'src/preload/**', 'src/main/shell/**'],
    rules: { 'no-restricted-imports': ['error', { paths: [IPC_ONLY_IN_BRIDGE], patterns: [NO_TEST_SUPPORT] }] }
  },
  {
    files: ['src/main/shell/**'],
    ignores: TESTS,
    rules: { 'no-restricted-imports': ['error', { patterns: [NO_TEST_SUPPORT] }] }
  },
  {
    files: ['src/preload/**'],
    ignores: TESTS,
    rules: { 'no-restricted-imports': ['error', { paths: [NO_ZOD], patterns: [NO_TEST_SUPPORT] }] }
  },
  {
    files: ['src/shared/operations.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: [IPC_ONLY_IN_BRIDGE, NO_ZOD], patterns: [NO_TEST_SUPPORT] }] }
  },
  {
    files: ['src/main/core/**/*.ts'],
    ignores: TESTS,
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [CORE_NO_ELECTRON],
          patterns: [NO_TEST_SUPPORT, CORE_OUTER_LAYERS]
        }
      ]
    }
  },
  ...CORE_STACK.map((folder) => ({
    files: [`src/main/core/${folder}/**/*.ts`],
    ignores: TESTS,
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: [CORE_NO_ELECTRON], patterns: [NO_TEST_SUPPORT, CORE_OUTER_LAYERS, coreStackRule(folder)] }
      ]
    }
  })),
  {
    files: ['src/renderer/**/*.{ts,tsx}'],
    ...reactHooks.configs.flat.recommended,
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      ...reactHooks.configs.flat.recommended.rules,
      // Advice for the React Compiler (which skips components using TanStack's hooks); this app does not use it.
      'react-hooks/incompatible-library': 'off',
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'electron', message: 'The renderer has no Electron: it uses window.cacheApi via the client.' },
            NO_ZOD
          ],
          patterns: [NO_TEST_SUPPORT, RENDERER_NO_MAIN]
        }
      ]
    }
  }
)
