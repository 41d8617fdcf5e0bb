-- A ballot change now carries how many identical ballots it adds (delta > 0) or takes away
-- (delta < 0): group commit writes one change row per (round, choices) of a batch instead of one
-- per ballot, which cut the database's share of a vote (measured in docs/performance.md).
-- Readers and the worker already sum deltas, so only the bound changes. The queue is drained
-- continuously, so rewriting it for the wider type is cheap.
ALTER TABLE ballot_changes
  DROP CONSTRAINT ballot_changes_delta_check,
  ALTER COLUMN delta TYPE integer,
  ADD CONSTRAINT ballot_changes_delta_check CHECK (delta <> 0);
