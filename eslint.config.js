// House lint (docs/../STYLE.md §5): typescript-eslint without type information, so it stays fast;
// the compiler (npm run typecheck) does the type checks. Formatting is Prettier's, not ESLint's.
import js from '@eslint/js'
import reactHooks from 'eslint-plugin-react-hooks'
import tseslint from 'typescript-eslint'

const FOCUSED_OR_SKIPPED = ['describe', 'it', 'test'].flatMap((object) =>
  ['only', 'skip'].map((property) => ({
    object,
    property,
    message: `no .${property} in main: every test runs`,
  })),
)

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'node_modules/**',
      'tests/bench/peer-*/dist/**',
      'tests/bench/results/**',
      'data/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2022, sourceType: 'module' },
    rules: {
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/consistent-type-definitions': ['error', 'interface'],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' },
      ],
      'no-console': ['error', { allow: ['warn', 'error'] }],
      'no-restricted-properties': ['error', ...FOCUSED_OR_SKIPPED],
      // stripping and refusing control characters is what those patterns are for
      'no-control-regex': 'off',
    },
  },
  {
    files: ['client/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'error',
    },
  },
  {
    // shared/ runs in the browser, the server and replays: time and timers come in from outside
    files: ['shared/**/*.ts'],
    rules: {
      'no-restricted-globals': ['error', 'setTimeout', 'setInterval', 'performance'],
      'no-restricted-properties': [
        'error',
        ...FOCUSED_OR_SKIPPED,
        { object: 'Date', property: 'now', message: 'inject a clock' },
        { object: 'Math', property: 'random', message: 'inject randomness' },
      ],
    },
  },
  {
    // tests, benchmarks and scripts print their figures
    files: ['tests/**/*.ts', 'scripts/**/*.mjs', 'vite.config.ts'],
    rules: { 'no-console': 'off' },
  },
  {
    files: ['scripts/**/*.mjs', 'eslint.config.js'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly' } },
  },
)
