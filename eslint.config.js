// Lint rules the test suite runs (see test/lint.test.ts). The import rules keep pipeline stages
// independent: a stage imports only agent/core and the Kubernetes edge agent/kube; the glue
// library agent/reconcile sees every stage; agent/runtime (the agent process) sees reconcile and
// the stages; agent/cli sees everything. Nothing imports cli/, and reconcile/ imports no process.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const stages = ['source', 'fleet', 'render', 'plan', 'apply', 'health', 'report', 'providers'];
const orchestrators = ['cli', 'runtime', 'reconcile'];
const importGroup = (other) => [`**/${other}/*`, `../${other}`, `../../${other}/*`];

const stageRules = stages.map((stage) => ({
  files: [`agent/${stage}/**/*.ts`],
  rules: {
    'no-restricted-imports': ['error', {
      patterns: [...stages.filter((s) => s !== stage), ...orchestrators].map((other) => ({
        group: importGroup(other),
        message: `agent/${stage} may import only agent/core and agent/kube; wire stages together in reconcile/, runtime/ or cli/`,
      })),
    }],
  },
}));

// The edge and the orchestrators: who may not import whom.
const layerRules = [
  { folder: 'kube', forbidden: [...stages, ...orchestrators], message: 'agent/kube is an edge: it imports only agent/core' },
  { folder: 'reconcile', forbidden: ['cli', 'runtime'], message: 'agent/reconcile is a library: the CLI and the agent call it, not the other way round' },
  { folder: 'runtime', forbidden: ['cli', 'page'], message: 'agent/runtime does not import the CLI or the fleet page (the page is a plug-in the CLI wires in)' },
  { folder: 'page', forbidden: ['cli'], message: 'agent/page is an agent plug-in: it does not import the CLI' },
].map(({ folder, forbidden, message }) => ({
  files: [`agent/${folder}/**/*.ts`],
  rules: { 'no-restricted-imports': ['error', { patterns: forbidden.map((other) => ({ group: importGroup(other), message })) }] },
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
  ...layerRules,
  {
    // Only the composition root reads the environment.
    files: ['agent/**/*.ts'],
    ignores: ['agent/runtime/config.ts', 'agent/cli/main.ts', 'agent/**/*.test.ts'],
    rules: {
      'no-restricted-properties': ['error', { object: 'process', property: 'env', message: 'read configuration in runtime/config.ts or cli/main.ts only' }],
    },
  },
);
