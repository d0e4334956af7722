// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { builtinModules } from 'node:module';

// Workflow code runs in Temporal's deterministic sandbox: Node built-ins (fs, crypto, timers...) break replay.
const nodeBuiltins = builtinModules.flatMap((m) => [m, `node:${m}`]);

// Layering (docs/architecture.md). Each folder below gets one `no-restricted-imports` entry: flat config replaces a
// rule's options per file, it does not merge them. Relative imports are matched by the top-level folder they climb
// to (`../activities/x`, `../../tooling/y`), whatever the depth of the importing file.
/** Matches a relative import that climbs out to one of `folders` (a top-level folder of the project). */
const climbsTo = (...folders) => `^(\\.\\./)+(${folders.join('|')})(/|$)`;
const escapeRegExp = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** Any package except @temporalio/workflow, @temporalio/common and Node built-ins (those have their own entry). */
const packagesOtherThanWorkflowSdk = `^(?![./])(?!@temporalio/(workflow|common)(/|$))(?!(node:)?(${builtinModules
  .map(escapeRegExp)
  .join('|')})$)`;
const temporalPackages = '^@temporalio/';

const LAYERING_MESSAGES = {
  workflowsValueImports:
    'workflows/ may import only types from activities/ and integrations/: workflow code runs in the deterministic ' +
    'sandbox and reaches side effects through proxyActivities, so use `import type`.',
  workflowsProject:
    'workflows/ may import only its own files and domain/: anything else is bundled into the deterministic sandbox ' +
    'and replayed.',
  workflowsPackages:
    'workflows/ may import only @temporalio/workflow and @temporalio/common among packages: anything else is bundled ' +
    'into the deterministic sandbox, where I/O and non-determinism break replay.',
  domainProject:
    'domain/ holds the pure rules and contracts every layer shares: it imports only domain/ files, never a layer ' +
    'that uses it.',
  domainTemporal:
    'domain/ knows nothing of Temporal: workflows/ and activities/ adapt its rules to the engine.',
  integrationsTemporal:
    'integrations/ are plain libraries that know nothing of Temporal: activities/ adapt their errors and retries.',
  integrationsLayers:
    'integrations/ must not depend on the layers that use them or on dev tooling: they import only domain/, ' +
    'common/ and integrations/.',
  simulatorsTooling:
    'simulators/ must not import tooling/: tooling starts simulators, not the other way round (shared constants ' +
    'live in simulators/, e.g. mesh-sandbox-defaults.ts).',
  activitiesOuter:
    'activities/ are activity adapters the worker wires: they must not import client/, worker/, tooling/ or ' +
    'simulators/.',
};
const M = LAYERING_MESSAGES;

export default tseslint.config(
  {
    ignores: [
      'node_modules',
      'dist',
      '.tools',
      'coverage',
      'jest.config.js',
      'eslint.config.mjs',
      'bin/**',
      'test-results',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/restrict-template-expressions': [
        'error',
        { allowNumber: true, allowBoolean: true },
      ],
    },
  },
  {
    files: ['workflows/**/*.ts'],
    rules: {
      // Workflow code reads as the business process: a function that outgrows a screen hides a state transition.
      'max-lines-per-function': ['error', { max: 80 }],
      'no-restricted-imports': [
        'error',
        {
          paths: nodeBuiltins.map((name) => ({
            name,
            message: 'Workflow code must be deterministic: no Node built-ins.',
          })),
          patterns: [
            {
              regex: climbsTo('activities', 'integrations'),
              allowTypeImports: true,
              message: M.workflowsValueImports,
            },
            {
              regex: climbsTo('client', 'worker', 'common', 'tooling', 'simulators', 'bench', 'test'),
              message: M.workflowsProject,
            },
            { regex: packagesOtherThanWorkflowSdk, message: M.workflowsPackages },
          ],
        },
      ],
    },
  },
  {
    files: ['domain/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: climbsTo(
                'activities',
                'integrations',
                'workflows',
                'client',
                'worker',
                'common',
                'tooling',
                'simulators',
                'bench',
                'test',
              ),
              message: M.domainProject,
            },
            { regex: temporalPackages, message: M.domainTemporal },
          ],
        },
      ],
    },
  },
  {
    files: ['integrations/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { regex: temporalPackages, message: M.integrationsTemporal },
            {
              regex: climbsTo('activities', 'workflows', 'worker', 'client', 'tooling', 'simulators'),
              message: M.integrationsLayers,
            },
          ],
        },
      ],
    },
  },
  {
    files: ['simulators/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ regex: climbsTo('tooling'), message: M.simulatorsTooling }] },
      ],
    },
  },
  {
    files: ['activities/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { regex: climbsTo('client', 'worker', 'tooling', 'simulators'), message: M.activitiesOuter },
          ],
        },
      ],
    },
  },
  {
    files: ['test/**/*.ts', 'bench/**/*.ts'],
    // Tests poke at untyped JSON fixtures and deliberately malformed input.
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/require-await': 'off',
    },
  },
);
