-- A ballot change carries the time by which its transaction must commit, and the commit itself
-- checks it: a transaction that reaches COMMIT later is rolled back (SQLSTATE VLATE).
--
-- Why at commit time, in the server: a vote's service answers 503 at its deadline. If the server
-- was frozen (a stopped VM, a stalled disk) while the commit message sat in its socket, it would
-- commit on thaw a vote its client was told had failed. A deferred constraint trigger runs inside
-- the commit, after every statement, just before the commit record is written, so only a freeze
-- in the microseconds of that write can still land a vote after its answer
-- (docs/architecture.md, "Timeouts and freezes").
--
-- One check per change row, and a batch writes one change row per (round, choices), not per
-- ballot. Rows without a deadline (none are written today) are not checked.
ALTER TABLE ballot_changes ADD COLUMN commit_by timestamptz;

CREATE FUNCTION refuse_late_commit() RETURNS trigger
  LANGUAGE plpgsql AS $$
BEGIN
  -- clock_timestamp(), not now(): now() is when the transaction started.
  IF clock_timestamp() > NEW.commit_by THEN
    RAISE EXCEPTION 'the transaction reached its commit after its deadline (%), so it was rolled back',
      NEW.commit_by
      USING ERRCODE = 'VLATE';
  END IF;
  RETURN NULL;
END
$$;

CREATE CONSTRAINT TRIGGER ballot_changes_commit_by
  AFTER INSERT ON ballot_changes
  DEFERRABLE INITIALLY DEFERRED
  FOR EACH ROW
  WHEN (NEW.commit_by IS NOT NULL)
  EXECUTE FUNCTION refuse_late_commit();
