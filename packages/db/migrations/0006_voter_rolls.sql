-- Who may vote, and who sees a round listed.
--
-- `voters`: 'anyone' (one ballot per X-Voter-Id, or per request without one) or 'invited' (one
-- ballot per invitation code of the round's voter roll). `listed`: whether GET /rounds and the
-- home page show the round. Rounds created before this migration were all listed, and stay so;
-- new rounds are unlisted unless their organizer asks.
ALTER TABLE rounds
  ADD COLUMN voters text NOT NULL DEFAULT 'anyone' CHECK (voters IN ('anyone', 'invited')),
  ADD COLUMN listed boolean NOT NULL DEFAULT true;
ALTER TABLE rounds ALTER COLUMN listed SET DEFAULT false;

-- GET /rounds lists the listed open rounds, newest first.
DROP INDEX rounds_open_by_creation;
CREATE INDEX rounds_listed_by_creation ON rounds (created_at DESC, round_id)
  WHERE closed_at IS NULL AND listed;

-- A round's voter roll: one row per invitation. The code itself is shown once, when issued, and
-- stored only as a keyed hash (HMAC under VOTER_KEY_SECRET), so the table cannot be used to vote.
-- The ballot an invitation casts is keyed by another keyed hash of the code, and nothing here
-- names a ballot: the roll says who voted and when, never what (docs/voter-rolls.md says who
-- could still link the two).
CREATE TABLE invitations (
  round_id uuid NOT NULL REFERENCES rounds ON DELETE CASCADE,
  invitation_id uuid NOT NULL,
  -- 1, 2, 3, … in the order issued (a list of names comes back in its own order).
  position integer NOT NULL CHECK (position > 0),
  code_hash bytea NOT NULL,
  -- The organizer's own note (a name, an address); empty when issued by count.
  label text NOT NULL DEFAULT '' CHECK (char_length(label) <= 200),
  issued_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now()),
  used_at timestamptz,
  revoked_at timestamptz,
  PRIMARY KEY (round_id, invitation_id),
  -- A used invitation cannot be revoked: its ballot stays counted.
  CHECK (used_at IS NULL OR revoked_at IS NULL)
);
-- A ballot finds its invitation by the code's hash.
CREATE UNIQUE INDEX invitations_by_code ON invitations (round_id, code_hash);
-- The organizer's list, in the order issued.
CREATE UNIQUE INDEX invitations_in_issue_order ON invitations (round_id, position);

-- Counts kept as invitations are issued and revoked, so turnout reads cost O(1), not a scan of a
-- roll of up to 100,000 (the ballots' count is the number who voted: one ballot per invitation).
CREATE TABLE voter_rolls (
  round_id uuid PRIMARY KEY REFERENCES rounds ON DELETE CASCADE,
  issued integer NOT NULL DEFAULT 0 CHECK (issued >= 0),
  revoked integer NOT NULL DEFAULT 0 CHECK (revoked >= 0 AND revoked <= issued)
);
