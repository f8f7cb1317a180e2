// @ts-check
import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/**
 * Type-aware linting for every TypeScript workspace (one project service resolves each file's
 * nearest tsconfig). Generated files and build output are not linted.
 */
/**
 * Bodies and queries are taken validated (docs/DECISIONS.md 129): the validation pipe is bound per
 * parameter by common/http/validation's `Body`/`Query`, not globally. The app also refuses to start
 * with an unvalidated input; this says so in the editor.
 */
const VALIDATED_INPUT = {
  name: '@nestjs/common',
  importNames: ['Body', 'Query'],
  message: 'Use Body/Query from common/http/validation: they bind the validation pipe (docs/DECISIONS.md 129).',
};

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      '**/dist/**',
      '**/coverage/**',
      '**/.data/**',
      'libs/api-client/src/schema.d.ts',
      'apps/web/e2e/artifacts/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { attributes: false } }],
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],
      '@typescript-eslint/consistent-type-imports': [
        'error',
        { fixStyle: 'inline-type-imports', disallowTypeAnnotations: false },
      ],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      eqeqeq: ['error', 'always'],
      'no-console': 'off',
    },
  },
  {
    // Nest resolves constructor parameters from emitted metadata: a type-only import would erase it.
    files: ['apps/api/**/*.ts'],
    rules: { '@typescript-eslint/consistent-type-imports': 'off' },
  },
  {
    // One data-access rule (docs/ARCHITECTURE.md): only repositories, entities, module wiring and the
    // database layer talk to TypeORM. Services hold the rules and reach data through repositories.
    files: ['apps/api/src/**/*.ts'],
    ignores: [
      'apps/api/src/**/*.repository.ts',
      'apps/api/src/**/*.entity.ts',
      'apps/api/src/**/entities/*.ts',
      'apps/api/src/**/*.module.ts',
      'apps/api/src/database/**',
    ],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [VALIDATED_INPUT],
          patterns: [
            {
              regex: '^(typeorm|@nestjs/typeorm)(/.*)?$',
              message:
                'Only *.repository.ts, entities, *.module.ts and database/** use TypeORM; go through a repository (docs/ARCHITECTURE.md).',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['apps/api/test/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: [VALIDATED_INPUT] }] },
  },
  {
    files: ['apps/web/src/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    languageOptions: { globals: globals.browser },
    rules: reactHooks.configs.recommended.rules,
  },
  // Feature boundaries of the SPA (docs/DECISIONS.md): a feature is used from outside only through
  // its public index (`features/<name>/index.ts`); the app shell loads its pages lazily through
  // `features/<name>/<name>.routes.ts`; shared code (src/components, src/lib) uses no feature.
  {
    files: ['apps/web/src/**/*.{ts,tsx}'],
    ignores: ['apps/web/src/features/**', 'apps/web/src/components/**', 'apps/web/src/lib/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [VALIDATED_INPUT],
          patterns: [
            {
              regex: '(^|/)features/[^/]+/(?!index$|[\\w-]+\\.routes$).+',
              message: "Import a feature through its public index ('features/<name>'), not its internals.",
            },
          ],
        },
      ],
    },
  },
  {
    files: ['apps/web/src/components/**/*.{ts,tsx}', 'apps/web/src/lib/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [VALIDATED_INPUT],
          patterns: [
            {
              regex: '(^|/)features(/|$)',
              message: 'Shared code (src/components, src/lib) must not depend on a feature; move what both need here.',
            },
          ],
        },
      ],
    },
  },
  // Inside features/<name>/, at each folder depth: a path that climbs to features/ and goes down
  // into another feature may name only that feature's folder (its index), nothing below it.
  ...[0, 1, 2, 3].map((depth) => ({
    files: [`apps/web/src/features/*/${'*/'.repeat(depth)}*.{ts,tsx}`],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [VALIDATED_INPUT],
          patterns: [
            {
              regex: `^(\\.\\./){${depth + 1}}(?!\\.)[^/]+/(?!index$).+`,
              message: "Import another feature through its public index ('../<name>'), not its internals.",
            },
          ],
        },
      ],
    },
  })),
  {
    // Tests assert on parsed JSON bodies (`any` by nature); the assertions are the type check there.
    files: ['**/*.spec.ts', '**/*.e2e-spec.ts', '**/*.test.{ts,tsx}', '**/test/**/*.{ts,tsx}'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
  {
    files: ['**/*.{js,mjs,cjs}'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: {
      ...tseslint.configs.disableTypeChecked.languageOptions,
      globals: { ...globals.node },
    },
  },
  {
    files: ['**/*.cjs', 'apps/api/jest.config.js', 'apps/api/test/support/*.js'],
    languageOptions: {
      ...tseslint.configs.disableTypeChecked.languageOptions,
      sourceType: 'commonjs',
      globals: { ...globals.node },
    },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
