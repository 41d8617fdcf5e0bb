import { defineConfig } from 'vitest/config';

/**
 * Four suites, by what a machine needs to run them (README, "Tests"):
 *   unit         Node.js only: no database, no browser, no tool.
 *   integration  PostgreSQL: an embedded one from npm (or TEST_DATABASE_URL), started once by
 *                the globalSetup; each file clones a migrated template into a database of its own.
 *   e2e          the pages in a headless Chromium from npm (@sparticuz/chromium), plus PostgreSQL.
 *   deploy       Debian's tools (kubectl, promtool, docker-compose), plus PostgreSQL; a missing
 *                tool fails its tests, never skips them (test/deploy/support/tools.ts).
 * `npm test` runs the first three; `npm run test:deploy` the last.
 */

const databaseSetup = ['./test/support/global-setup.ts'];

/**
 * Where a test lives says which suite it is in: beside the source (`src/`) it is a unit test and
 * may not touch a database; the repository's own checks (test/repository) read files only.
 * Everything under a `test/` folder but those runs against PostgreSQL.
 */
const unitTests = [
  'packages/*/src/**/*.test.ts',
  'services/*/src/**/*.test.ts',
  'test/repository/*.test.ts',
];
const e2eTests = ['web/test/e2e.test.ts'];

export default defineConfig({
  test: {
    // Integration tests each own a cloned database, so files may run in parallel; the machine
    // has 2 cores and each file also runs its own services in-process.
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 60_000,
    projects: [
      {
        extends: true,
        test: { name: 'unit', include: unitTests },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: [
            'packages/*/test/**/*.test.ts',
            'services/*/test/**/*.test.ts',
            'test/*.test.ts',
            'test/faults/**/*.test.ts',
            'test/fuzz/**/*.test.ts',
            'web/test/**/*.test.ts',
          ],
          exclude: ['**/node_modules/**', ...unitTests, ...e2eTests],
          globalSetup: databaseSetup,
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: e2eTests,
          globalSetup: databaseSetup,
          // After unit and integration, not beside them: the browser wants the CPU to itself.
          sequence: { groupOrder: 1 },
        },
      },
      {
        extends: true,
        test: {
          name: 'deploy',
          include: ['test/deploy/**/*.test.ts'],
          globalSetup: databaseSetup,
          sequence: { groupOrder: 2 },
        },
      },
    ],
  },
});
