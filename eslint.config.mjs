// Lint rules that keep the architecture honest: the core never imports `vscode`.
import tseslint from 'typescript-eslint';

const CORE = ['src/playbook/**', 'src/run/**', 'src/incident/**', 'src/import/**', 'src/panel/**', 'src/cli/**'];

export default tseslint.config(
  {
    ignores: [
      'src/playbook/generated/**',
      'out/**',
      'dist/**',
      'node_modules/**',
      '.vscode-test/**',
      'media/**/*.js',
      'scripts/**',
      'esbuild.js',
    ],
  },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-syntax': [
        'error',
        {
          selector: 'AssignmentExpression[left.property.name=/^(innerHTML|outerHTML)$/]',
          message: 'Set text with textContent; build elements with createElement.',
        },
        {
          selector: 'CallExpression[callee.property.name=/^(insertAdjacentHTML|createContextualFragment)$/]',
          message: 'Set text with textContent; build elements with createElement.',
        },
      ],
    },
  },
  {
    // Prettier formats to 140 columns (npm run format); what it cannot wrap is text: strings, templates, regexes, URLs.
    files: ['**/*.ts', '**/*.mjs'],
    rules: {
      'max-len': ['error', { code: 140, ignoreStrings: true, ignoreTemplateLiterals: true, ignoreRegExpLiterals: true, ignoreUrls: true }],
    },
  },
  {
    files: CORE,
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'vscode', message: 'The core never imports vscode; put the adapter in src/vscode/.' }],
          patterns: [{ group: ['**/vscode/*', '**/vscode'], message: 'The core never imports the VS Code adapters in src/vscode/.' }],
        },
      ],
    },
  },
);
