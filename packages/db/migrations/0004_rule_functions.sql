-- The rules the database applies, each defined once here and called by every statement that
-- needs it; each mirrors a rule of packages/domain and test/database-rules.test.ts holds the two
-- to the same answers. SQL-language functions with a single RETURN expression are inlined by the
-- planner, so calling one costs what writing the expression out did.

-- Ranked methods keep a ballot's order: the worker tabulates them, and their per-option figure
-- counts first choices only (packages/domain/src/methods.ts, METHOD_TRAITS[…].ranks).
CREATE FUNCTION method_ranks(method text) RETURNS boolean
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  RETURN method IN ('ranked', 'condorcet');

-- The options a ballot counts for in option_tallies (countedChoices in the domain).
CREATE FUNCTION counted_choices(method text, choices smallint[]) RETURNS smallint[]
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  RETURN CASE WHEN method_ranks(method) THEN choices[1:1] ELSE choices END;

-- A round takes ballots at `at` while nobody closed it and its deadline, if any, is ahead
-- (isClosedAt in the domain).
CREATE FUNCTION round_is_open(closed_at timestamptz, closes_at timestamptz, at timestamptz)
  RETURNS boolean
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  RETURN closed_at IS NULL AND (closes_at IS NULL OR closes_at > at);
