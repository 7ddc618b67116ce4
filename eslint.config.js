// typescript-eslint's recommended rules, syntax only (no type information: fast enough for every
// `npm test`). Tests read JSON and match terminal text, hence their two relaxations.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'results/**', 'deploy/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_' },
      ],
    },
  },
  {
    // prettier wraps code but not strings or comments: this keeps those within its 120 columns too.
    files: ['src/**/*.ts', 'bench/**/*.ts'],
    // report-page.ts is the report's script, emitted verbatim into report.html: rewrapping it would change the bytes.
    ignores: ['src/results/html/report-page.ts'],
    rules: { 'max-len': ['error', { code: 120, ignoreUrls: true, ignoreRegExpLiterals: true }] },
  },
  {
    // dependency-cruiser reads its configuration as CommonJS.
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { module: 'writable', require: 'readonly' } },
  },
  {
    files: ['test/**/*.ts'],
    rules: {
      // Parsed summary.json and CLI output are read field by field; typing each would add nothing.
      '@typescript-eslint/no-explicit-any': 'off',
      // Expected terminal text is written as it looks, aligned columns and ANSI escapes included.
      'no-regex-spaces': 'off',
      'no-control-regex': 'off',
    },
  },
);
