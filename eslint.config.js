// Lint rules the test suite runs (see test/lint.test.ts). The import rule keeps pipeline stages
// independent: a stage imports only agent/core; only cli/ and runtime/ see every stage.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const stages = ['source', 'fleet', 'render', 'plan', 'apply', 'health', 'report', 'providers'];
const orchestrators = ['cli', 'runtime'];

const stageRules = stages.map((stage) => ({
  files: [`agent/${stage}/**/*.ts`],
  rules: {
    'no-restricted-imports': ['error', {
      patterns: [...stages.filter((s) => s !== stage), ...orchestrators].map((other) => ({
        group: [`**/${other}/*`, `../${other}`, `../../${other}/*`],
        message: `agent/${stage} may import only agent/core; wire stages together in cli/ or runtime/`,
      })),
    }],
  },
}));

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.cache/**', 'test/golden/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly', Buffer: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', setInterval: 'readonly', clearInterval: 'readonly', fetch: 'readonly', AbortController: 'readonly', AbortSignal: 'readonly', TextEncoder: 'readonly', TextDecoder: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['agent/core/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['../*/*', '!../core/*'], message: 'agent/core imports no stage' }] }],
    },
  },
  ...stageRules,
  {
    // Only the composition root reads the environment.
    files: ['agent/**/*.ts'],
    ignores: ['agent/runtime/config.ts', 'agent/cli/main.ts', 'agent/**/*.test.ts'],
    rules: {
      'no-restricted-properties': ['error', { object: 'process', property: 'env', message: 'read configuration in runtime/config.ts or cli/main.ts only' }],
    },
  },
);
