-- A round's lifecycle after creation (PATCH, duplicate, DELETE /rounds/:id).
--
-- `opens_at`: a scheduled start; ballots before it are refused (409 round_not_open). Nullable and
-- without a default, so the previous release's inserts (which do not name it) create rounds that
-- open at once, as they always did.
ALTER TABLE rounds ADD COLUMN opens_at timestamptz;

-- `revision`: counts the edits of a round's definition (name, labels, opens_at, closes_at). Each
-- process caches definitions (RoundCatalog); a reader compares the cached revision with the
-- stored one and reloads the definition when it changed. The previous release never edits a
-- round, so its inserts leave it at 0, which is right.
ALTER TABLE rounds ADD COLUMN revision integer NOT NULL DEFAULT 0;

-- A round has started at `at` once its scheduled start, if any, has come (hasStartedAt in the
-- domain). The cast statement refuses a ballot of a round that is closed (round_is_open of
-- migration 0004, unchanged: the previous release's statements call it, and it is also the "not
-- closed" rule of the list of rounds) or has not started, telling the two apart.
CREATE FUNCTION round_has_started(opens_at timestamptz, at timestamptz) RETURNS boolean
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  RETURN opens_at IS NULL OR opens_at <= at;
