-- Counting: the vote path writes each ballot change here in the same transaction as the ballot;
-- the worker drains it (FOR UPDATE SKIP LOCKED) into the aggregates below and deletes what it
-- applied, in one transaction, so each change is counted exactly once.
CREATE TABLE ballot_changes (
  round_id uuid NOT NULL,
  change_id bigint GENERATED ALWAYS AS IDENTITY,
  choices smallint[] NOT NULL,
  delta smallint NOT NULL CHECK (delta IN (-1, 1)),
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (round_id, change_id)
);
-- The worker takes the oldest changes first, across rounds.
CREATE INDEX ballot_changes_oldest ON ballot_changes (change_id);

-- The aggregates below carry no `>= 0` checks on purpose: two workers may apply a revote's -1
-- before the +1 it undoes, leaving a count briefly negative. Readers add the not-yet-applied
-- changes of the round, so what they see is exact at every moment all the same.

-- Identical ballots counted together; every method tabulates from these.
CREATE TABLE piles (
  round_id uuid NOT NULL REFERENCES rounds ON DELETE CASCADE,
  choices smallint[] NOT NULL,
  ballots bigint NOT NULL,
  PRIMARY KEY (round_id, choices)
);

-- Per-option counts: every approved option for plurality/approval, first choices for ranked
-- methods. Reading a plurality or approval result costs O(options), whatever the ballot count.
CREATE TABLE option_tallies (
  round_id uuid NOT NULL,
  option_id smallint NOT NULL,
  votes bigint NOT NULL,
  PRIMARY KEY (round_id, option_id),
  FOREIGN KEY (round_id, option_id) REFERENCES options ON DELETE CASCADE
);

-- Ballots counted per round. Kept out of `rounds` so the worker's updates never wait on the
-- row lock each vote takes on its round.
CREATE TABLE round_totals (
  round_id uuid PRIMARY KEY REFERENCES rounds ON DELETE CASCADE,
  ballots bigint NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- Stored tabulations: ranked and Condorcet results refreshed by the worker, and every round's
-- final result once it is closed and drained. A final row never changes.
CREATE TABLE round_results (
  round_id uuid PRIMARY KEY REFERENCES rounds ON DELETE CASCADE,
  result jsonb NOT NULL,
  ballots bigint NOT NULL,
  as_of timestamptz NOT NULL,
  final boolean NOT NULL DEFAULT false
);
