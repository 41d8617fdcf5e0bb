-- The presenter view and fair ballots (issue 14): a short join code per round, and whether the
-- voting page shows a round's options in a random order per voter.
--
-- Expand only (docs/deploy.md, "Expand, then contract"): two columns the previous release does
-- not name, and two indexes over rows it never gives a code. The columns are catalog changes (a
-- constant default and a NULL column rewrite nothing), so their ACCESS EXCLUSIVE lock on `rounds`
-- is held for milliseconds, under the migrations' lock_timeout. The indexes each scan `rounds`
-- once under a SHARE lock, which holds up creating and closing rounds but not ballots (a vote
-- takes its round FOR SHARE, which that lock allows), and find no row to index: no existing round
-- has a code.

-- `shuffle_options`: with a default, so the previous release's inserts, which do not name it,
-- make rounds that keep the creator's order, as every round did before.
ALTER TABLE rounds ADD COLUMN shuffle_options boolean NOT NULL DEFAULT false;

-- `join_code`: 6 characters of 23456789ABCDEFGHJKMNPQRSTVWXYZ (packages/domain/src/join-code.ts),
-- drawn by the vote service for every round it creates or duplicates. Nullable and without a
-- default: rounds made before this migration, or by the previous release during the rollout,
-- have none (they are not given one later: their presenter view shows the link and QR code only).
ALTER TABLE rounds ADD COLUMN join_code text;

-- One round per code among the rounds not closed. An index predicate cannot ask now(), so "not
-- closed" is `closed_at IS NULL`: open and scheduled rounds, and a round past its deadline until a
-- worker writes its close (within a loop, ~100 ms, while a worker runs). A close frees the code for
-- a new round. A new round whose random code is taken is refused by this index and drawn again
-- (insertRound).
-- contract: safe after ae9757a: no earlier release writes join_code, and rows without a code are outside the index
CREATE UNIQUE INDEX rounds_open_by_join_code ON rounds (join_code)
  WHERE closed_at IS NULL AND join_code IS NOT NULL;

-- GET /join/:code and /j/:code: the round not closed with the code, else the one closed last,
-- within a day of its close (packages/db/src/queries/join-codes.ts): one scan in the index's order
-- over the rounds that ever had the code (one, unless a code was reused after a close).
CREATE INDEX rounds_by_join_code ON rounds (join_code, closed_at DESC NULLS FIRST)
  WHERE join_code IS NOT NULL;
