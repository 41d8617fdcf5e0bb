import { migrateDatabase } from './migrations.ts';

/** `npm run migrate`: applies pending migrations to DATABASE_URL (a Job in Kubernetes). */
const url = process.env.DATABASE_URL;
if (!url) {
  console.error('DATABASE_URL is not set: name the database to migrate');
  process.exit(2);
}
try {
  const applied = await migrateDatabase(url);
  console.log(
    JSON.stringify({ msg: 'migrations applied', applied: applied.map((m) => `${m.id}_${m.name}`) }),
  );
} catch (error) {
  console.error(`migration failed: ${(error as Error).message}`);
  process.exitCode = 1;
}
