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

interface SharedServer {
  url: string;
  projects: number;
  stop(): Promise<void>;
}

// Each vitest project that names this file (integration, e2e, deploy) runs it in the same
// process, but through a module runner of its own: the server is shared through globalThis, so
// `vitest run --project integration --project e2e` starts one PostgreSQL, not one per project.
const SHARED = Symbol.for('voting.test-database-server');
const shared = globalThis as { [SHARED]?: Promise<SharedServer> };

async function startServer(): Promise<SharedServer> {
  let embedded: EmbeddedDatabase | null = null;
  let url = process.env.TEST_DATABASE_URL;
  if (!url) {
    embedded = await startEmbeddedDatabase({
      dataDirectory: path.resolve(import.meta.dirname, '../../.data/test-postgres'),
      port: TEST_EMBEDDED_PORT,
    });
    url = embedded.url;
  }
  const serverUrl = url;
  await dropDatabaseIfExists(serverUrl, TEMPLATE_DATABASE);
  await createDatabaseIfMissing(serverUrl, TEMPLATE_DATABASE);
  await migrateDatabase(databaseUrl(serverUrl, TEMPLATE_DATABASE));
  return {
    url: serverUrl,
    projects: 0,
    stop: async () => {
      await dropDatabaseIfExists(serverUrl, TEMPLATE_DATABASE);
      await embedded?.stop();
    },
  };
}

/**
 * Once per test run: a PostgreSQL server (TEST_DATABASE_URL, else an embedded one) and a
 * migrated template database that each test file clones into a database of its own.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  shared[SHARED] ??= startServer();
  let server: SharedServer;
  try {
    server = await shared[SHARED];
  } catch (error) {
    delete shared[SHARED];
    throw error;
  }
  server.projects += 1;
  project.provide('databaseServerUrl', server.url);
  project.provide('templateDatabase', TEMPLATE_DATABASE);
  return async () => {
    server.projects -= 1;
    if (server.projects > 0) return;
    delete shared[SHARED];
    await server.stop();
  };
}
