// Lint rules that keep the architecture honest: the core never imports `vscode`.
import tseslint from 'typescript-eslint';

const CORE = ['src/playbook/**', 'src/run/**', 'src/incident/**', 'src/import/**', 'src/cli/**'];

export default tseslint.config(
  { ignores: ['src/playbook/generated/**', 'out/**', 'dist/**', 'node_modules/**', '.vscode-test/**', 'media/**/*.js', 'scripts/**', 'esbuild.js'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-syntax': ['error', { selector: "CallExpression[callee.property.name='innerHTML']", message: 'Use textContent.' }],
    },
  },
  {
    files: CORE,
    rules: {
      'no-restricted-imports': ['error', { paths: [{ name: 'vscode', message: 'The core never imports vscode; put the adapter in src/vscode/.' }] }],
    },
  },
);
