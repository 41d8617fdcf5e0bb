/**
 * The previous release's code runs on the new schema (docs/deploy.md, "Expand, then contract"):
 * during a rolling update old and new pods share the database, and a rollback runs the old code
 * on it. Two checks:
 *
 * (a) Every statement of packages/db/migrations that could break the previous release (a drop, a
 *     rename, a type change, a new constraint or trigger on its writes, …: contract-rules.ts) is
 *     marked in its file with `-- contract: safe after <revision>: <why>`, where <revision> is the
 *     oldest release that runs correctly on it; the mark is refused unless the release before the
 *     migration is that revision or later.
 *
 * (b) For every migration, the SQL the release before it issues still parses, resolves and
 *     plans on the schema with it applied. Running the old services themselves was the other way:
 *     a `git worktree` of the old commit needs its own `npm install` (network, minutes) since the
 *     workspace packages resolve to today's sources, so it was not chosen. Every statement the
 *     services issue is a named one in packages/db/src/queries (docs/architecture.md), read here
 *     from git at the old commit (old-statements.ts), then `PREPARE`d (parse and analysis: every
 *     table, column, function and type resolved, parameter types inferred as the driver's
 *     unnamed-type parameters are) and `EXPLAIN EXECUTE`d with NULLs (planned, not run). What it
 *     cannot see is meaning: a new column the old code ignores (see 0006 below). The other SQL
 *     (BEGIN/COMMIT, LISTEN, schema_migrations) does not depend on the schema. A few seconds.
 */
import { readFileSync } from 'node:fs';
import { createClient, loadMigrations, migrate, migrationsDirectory } from '@voting/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEmptyDatabase } from '../../support/database.ts';
import { contractMark, contractRisks, type Statement } from './contract-rules.ts';
import { git, namedStatements } from './old-statements.ts';

const MIGRATIONS = 'packages/db/migrations';

/**
 * The marks of statements released before the rule was written, kept here because applied
 * migrations are not edited in this change (move them into their files as `-- contract:` lines
 * when those are next touched). Each was read against the code of the release before it.
 */
const RECORDED: { file: string; starts: string; mark: string; brokeTheRule?: string }[] = [
  {
    file: '0003_ballot_changes_carry_counts.sql',
    starts: 'ALTER TABLE ballot_changes DROP CONSTRAINT',
    mark:
      'safe after ae9757a: the older code writes deltas of ±1 (in both checks, and smallint ' +
      'widens to integer on assignment) and reads them through sum()',
  },
  {
    file: '0005_commit_deadline.sql',
    starts: 'CREATE CONSTRAINT TRIGGER ballot_changes_commit_by',
    mark:
      'safe after ae9757a: it fires only WHEN commit_by IS NOT NULL, a column the older code ' +
      'does not know, so never on its writes',
  },
  {
    file: '0006_voter_rolls.sql',
    starts: 'ALTER TABLE rounds ALTER COLUMN listed SET DEFAULT false',
    mark: 'safe after e95be3c: from that release on every round is created with `listed` given',
    brokeTheRule:
      'rounds the previous release created during the rollout are unlisted: the new code does ' +
      'not show them in GET /rounds, where under the old code every round was listed',
  },
  {
    file: '0006_voter_rolls.sql',
    starts: 'DROP INDEX rounds_open_by_creation',
    mark:
      "safe after ae9757a: the older code's GET /rounds query still runs and answers the same, " +
      'sorting the open rounds without an index (slower with many open rounds, not wrong)',
  },
];

/** The release before a migration: the parent of the commit that added it, or HEAD if new. */
function releaseBefore(file: string): string {
  const added = git('log', '--diff-filter=A', '--format=%H', '--', `${MIGRATIONS}/${file}`);
  const commit = added.split('\n').at(-1);
  return commit ? git('rev-parse', `${commit}^`) : git('rev-parse', 'HEAD');
}

const isAncestor = (older: string, newer: string) => {
  try {
    git('merge-base', '--is-ancestor', older, newer);
    return true;
  } catch {
    return false;
  }
};

/** Why a risky statement of `file` is not accepted, or null when its mark holds. */
function markProblem(file: string, statement: Statement, risks: string[]): string | null {
  const recorded = RECORDED.find((r) => r.file === file && statement.code.startsWith(r.starts));
  const mark =
    contractMark(statement) ??
    (recorded ? contractMark({ ...statement, comments: [`contract: ${recorded.mark}`] }) : null);
  const where = `${file}: "${statement.code.slice(0, 70)}…" ${risks.join('; ')}`;
  if (!mark) return `${where}: mark it "-- contract: safe after <revision>: <why>" or split it`;
  let revision: string;
  try {
    revision = git('rev-parse', '--verify', `${mark.revision}^{commit}`);
  } catch {
    return `${where}: its mark names ${mark.revision}, which is no commit here`;
  }
  if (isAncestor(revision, releaseBefore(file)) || recorded?.brokeTheRule) return null;
  return `${where}: safe only after ${mark.revision}, later than the release before it`;
}

const migrationFiles = () =>
  git('ls-files', '--cached', '--others', '--exclude-standard', MIGRATIONS)
    .split('\n')
    .filter((file) => file.endsWith('.sql'))
    .map((file) => file.slice(MIGRATIONS.length + 1))
    .sort();

describe('(a) migrations mark what the previous release cannot survive', () => {
  it('marks every contract-breaking statement with a release that holds', () => {
    const problems = migrationFiles().flatMap((file) =>
      contractRisks(readFileSync(new URL(file, migrationsDirectory), 'utf8')).flatMap(
        ({ statement, risks }) => markProblem(file, statement, risks) ?? [],
      ),
    );
    expect(problems).toEqual([]);
  });

  it('keeps every recorded mark pointing at a statement that exists', () => {
    for (const recorded of RECORDED) {
      const sql = readFileSync(new URL(recorded.file, migrationsDirectory), 'utf8');
      const risky = contractRisks(sql).map(({ statement }) => statement.code);
      expect(
        risky.some((code) => code.startsWith(recorded.starts)),
        recorded.starts,
      ).toBe(true);
    }
  });

  it('finds the breaking forms, and leaves what the same file created alone', () => {
    const risks = (sql: string) => contractRisks(sql).flatMap((found) => found.risks);
    expect(risks('ALTER TABLE rounds RENAME COLUMN name TO title;')).toEqual(['renames']);
    expect(risks('ALTER TABLE rounds DROP COLUMN public_ballots;')).toEqual(['drops a column']);
    expect(risks('ALTER TABLE ballots ALTER COLUMN choices TYPE integer[];')).toEqual([
      'changes a column type',
    ]);
    expect(risks('ALTER TABLE rounds ALTER closes_at SET NOT NULL;')).toEqual([
      'sets NOT NULL on a column',
    ]);
    expect(risks('ALTER TABLE rounds ALTER COLUMN method DROP DEFAULT;')).toEqual([
      'drops a default',
    ]);
    expect(risks('ALTER TABLE rounds ADD COLUMN owner text NOT NULL;')).toHaveLength(1);
    // The previous release's inserts leave a new column NULL too.
    expect(
      risks('ALTER TABLE rounds ADD note text; ALTER TABLE rounds ALTER note SET NOT NULL;'),
    ).toEqual(['sets NOT NULL on a column']);
    expect(risks('DROP TABLE piles;')).toHaveLength(1);
    expect(risks('CREATE UNIQUE INDEX one_name ON rounds (name);')).toHaveLength(1);
    expect(risks('CREATE OR REPLACE FUNCTION round_is_open() RETURNS int RETURN 1;')).toHaveLength(
      1,
    );
    // Expanding is free, and so is reshaping what the previous release never saw.
    expect(
      risks(`CREATE TABLE notes (round_id uuid, body text);
        CREATE INDEX notes_by_round ON notes (round_id);
        ALTER TABLE notes ALTER COLUMN body TYPE varchar(200), ALTER body SET NOT NULL;
        ALTER TABLE rounds ADD COLUMN note text, ADD COLUMN seen boolean NOT NULL DEFAULT false;
        ALTER TABLE rounds ALTER COLUMN note TYPE varchar(100);
        DROP INDEX notes_by_round;
        CREATE FUNCTION f() RETURNS text LANGUAGE plpgsql AS $$ BEGIN DROP TABLE x; END $$;`),
    ).toEqual([]);
  });

  it('refuses a mark that names a release later than the one before the migration', () => {
    const [found] = contractRisks(
      `-- contract: safe after HEAD: the code of HEAD no longer reads it
      ALTER TABLE rounds DROP COLUMN public_ballots;`,
    );
    if (!found) throw new Error('the drop was not found');
    // As if the file had come with the first release: HEAD is later than the release before it.
    expect(markProblem('0007_invitations_fillfactor.sql', found.statement, found.risks)).toMatch(
      /safe only after HEAD/,
    );
    expect(markProblem('9999_not_yet_committed.sql', found.statement, found.risks)).toBeNull();
  });
});

describe('(b) the release before each migration runs on the schema with it', () => {
  let database: Awaited<ReturnType<typeof createEmptyDatabase>>;
  let url: string;
  beforeAll(async () => {
    database = await createEmptyDatabase('voting_upgrade');
    url = database.url;
  });
  afterAll(async () => {
    await database?.drop();
  });

  it('parses, resolves and plans every named statement of the release before', async () => {
    const migrations = await loadMigrations();
    const files = migrationFiles();
    const client = createClient(url);
    await client.connect();
    const failures: string[] = [];
    let checked = 0;
    try {
      for (const [index, file] of files.entries()) {
        await migrate(client, migrations.slice(0, index + 1));
        const release = releaseBefore(file);
        // The first migrations came with the first services: no release ran before them.
        const hasQueries = git('ls-tree', release, 'packages/db/src/queries') !== '';
        for (const statement of hasQueries ? namedStatements(release) : []) {
          checked++;
          try {
            await client.query(`PREPARE old_release_statement AS ${statement.text}`);
            const prepared = await client.query<{ count: number }>(
              "SELECT cardinality(parameter_types) AS count FROM pg_prepared_statements WHERE name = 'old_release_statement'",
            );
            const nulls = Array(prepared.rows[0]?.count ?? 0).fill('NULL');
            const args = nulls.length > 0 ? `(${nulls.join(', ')})` : '';
            await client.query(`EXPLAIN EXECUTE old_release_statement${args}`);
          } catch (error) {
            failures.push(
              `${statement.name} of ${release.slice(0, 7)} on ${file}: ${(error as Error).message}`,
            );
          } finally {
            await client.query('DEALLOCATE ALL');
          }
        }
      }
    } finally {
      await client.end();
    }
    expect(failures).toEqual([]);
    // The newest migration's previous release alone has 30-odd statements.
    expect(checked).toBeGreaterThan(30);
  }, 60_000);
});
