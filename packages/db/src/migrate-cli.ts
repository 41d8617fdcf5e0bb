import { createLogger } from '@voting/runtime';
import { migrateDatabase } from './migrations.ts';

/**
 * `npm run migrate` and `node dist/migrate.js` (the Kubernetes migrations Job, the compose
 * `migrate` step): applies pending migrations to DATABASE_URL with the one runner,
 * migrations.ts, which the launcher and the tests call in-process; the database image applies
 * none. Logs like the services, one JSON line per event, at a fixed level: the outcome, and a line
 * per retry of a migration that met a lock; it reads no variable but DATABASE_URL (its containers
 * are given exactly what it reads).
 */
const logger = createLogger('migrate', 'info');
const url = process.env.DATABASE_URL;
if (!url) {
  logger.error('DATABASE_URL is not set: name the database to migrate');
  process.exit(2);
}
try {
  const applied = await migrateDatabase(url, { logger });
  logger.info(
    { applied: applied.map((migration) => `${migration.id}_${migration.name}`) },
    'migrations applied',
  );
} catch (error) {
  logger.error({ err: error }, 'migration failed');
  process.exitCode = 1;
}
