-- Rounds, their options, and the ballots cast in them. Every primary key starts with round_id,
-- so the schema can later be distributed by round (e.g. Citus) without changing a key.

CREATE TABLE rounds (
  round_id uuid PRIMARY KEY,
  name text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 200),
  method text NOT NULL DEFAULT 'plurality'
    CHECK (method IN ('plurality', 'approval', 'ranked', 'condorcet')),
  min_choices smallint,
  max_choices smallint,
  allow_revote boolean NOT NULL DEFAULT false,
  results_visibility text NOT NULL DEFAULT 'live' CHECK (results_visibility IN ('live', 'after_close')),
  public_ballots boolean NOT NULL DEFAULT false,
  -- SHA-256 of the admin token; the token itself is shown once, at creation, and never stored.
  admin_token_hash bytea NOT NULL,
  -- Millisecond precision, like the JavaScript Date that carries it in page cursors.
  created_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now()),
  closes_at timestamptz,
  closed_at timestamptz,
  finalized_at timestamptz
);

-- GET /rounds lists open rounds newest first.
CREATE INDEX rounds_open_by_creation ON rounds (created_at DESC, round_id) WHERE closed_at IS NULL;
-- The worker's scheduled-close scan.
CREATE INDEX rounds_due_to_close ON rounds (closes_at) WHERE closed_at IS NULL AND closes_at IS NOT NULL;
-- The worker's finalization scan.
CREATE INDEX rounds_awaiting_final ON rounds (closed_at) WHERE closed_at IS NOT NULL AND finalized_at IS NULL;

CREATE TABLE options (
  round_id uuid NOT NULL REFERENCES rounds ON DELETE CASCADE,
  option_id smallint NOT NULL CHECK (option_id > 0),
  label text NOT NULL CHECK (char_length(label) BETWEEN 1 AND 200),
  PRIMARY KEY (round_id, option_id),
  UNIQUE (round_id, label)
);

-- One row per voter per round: the unique key, not a read-then-write, is what stops a second
-- ballot. voter_key is an HMAC of the voter id (never the id itself), or random bytes for a
-- ballot cast without one. choices is the canonical ballot (see packages/domain).
CREATE TABLE ballots (
  round_id uuid NOT NULL REFERENCES rounds ON DELETE CASCADE,
  voter_key bytea NOT NULL,
  receipt uuid NOT NULL,
  choices smallint[] NOT NULL CHECK (cardinality(choices) > 0),
  cast_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (round_id, voter_key)
);
CREATE UNIQUE INDEX ballots_by_receipt ON ballots (round_id, receipt);
