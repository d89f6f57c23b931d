/**
 * The project to add to an existing Vitest config: the \`eval\` project that
 * \`npm run eval\` (\`vitest run --project eval\`) runs.
 *
 * @example
 * io.stdout.write(EVAL_PROJECT_SNIPPET)
 */
export const EVAL_PROJECT_SNIPPET = `// import { qualify } from 'vitest-qualify';
// ...and in test.projects:
{
  // The qualification, only when selected (\`vitest run --project eval\`): every case of the
  // case files in rubric.yaml becomes a test.
  plugins: [qualify()],
  test: { name: 'eval' },
},
`;

/**
 * vitest.config.ts as \`qualify init\` writes it when the repository has none:
 * the repository's own tests as the \`unit\` project (Vitest's default include)
 * and the qualification as the \`eval\` project.
 *
 * @example
 * await writeFile('vitest.config.ts', VITEST_CONFIG_TEMPLATE)
 */
export const VITEST_CONFIG_TEMPLATE = `import { defineConfig } from 'vitest/config';
import { qualify } from 'vitest-qualify';

export default defineConfig({
  test: {
    projects: [
      // Your own tests, as before: a plain \`vitest run\` runs these and never the eval project.
      { extends: true, test: { name: 'unit' } },
      {
        // The qualification, only when selected (\`npm run eval\`: \`vitest run --project eval\`):
        // every case of the case files in rubric.yaml becomes a test.
        plugins: [qualify()],
        test: { name: 'eval' },
      },
    ],
  },
});
`;
