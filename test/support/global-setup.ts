import path from 'node:path';
import {
  createDatabaseIfMissing,
  databaseUrl,
  dropDatabaseIfExists,
  type EmbeddedDatabase,
  migrateDatabase,
  startEmbeddedDatabase,
} from '@voting/db';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    databaseServerUrl: string;
    templateDatabase: string;
  }
}

// One template per run, so two runs at once against one server do not drop each other's.
const TEMPLATE_DATABASE = `voting_test_template_${process.pid}`;
// Not the port `npm start` uses, so the tests can run while the system runs.
const TEST_EMBEDDED_PORT = 15433;

/**
 * Once per `npm test`: a PostgreSQL server (TEST_DATABASE_URL, else an embedded one) and a
 * migrated template database that each test file clones into a database of its own.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  let embedded: EmbeddedDatabase | null = null;
  let serverUrl = process.env.TEST_DATABASE_URL;
  if (!serverUrl) {
    embedded = await startEmbeddedDatabase({
      dataDirectory: path.resolve(import.meta.dirname, '../../.data/test-postgres'),
      port: TEST_EMBEDDED_PORT,
    });
    serverUrl = embedded.url;
  }
  await dropDatabaseIfExists(serverUrl, TEMPLATE_DATABASE);
  await createDatabaseIfMissing(serverUrl, TEMPLATE_DATABASE);
  await migrateDatabase(databaseUrl(serverUrl, TEMPLATE_DATABASE));

  project.provide('databaseServerUrl', serverUrl);
  project.provide('templateDatabase', TEMPLATE_DATABASE);
  return async () => {
    await dropDatabaseIfExists(serverUrl, TEMPLATE_DATABASE);
    await embedded?.stop();
  };
}
