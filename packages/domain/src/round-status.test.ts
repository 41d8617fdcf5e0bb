import { describe, expect, it } from 'vitest';
import {
  closedAsOf,
  hasStartedAt,
  isClosedAt,
  isOpenAt,
  mayReadBallots,
  mayReadResults,
} from './round-status.ts';

const now = new Date('2026-06-01T12:00:00.000Z');
const before = new Date(now.getTime() - 60_000);
const after = new Date(now.getTime() + 60_000);

describe('closedAsOf', () => {
  it('is open without a close or a passed deadline', () => {
    expect(closedAsOf({ closesAt: null }, { closedAt: null }, now)).toBeNull();
    expect(closedAsOf({ closesAt: after }, { closedAt: null }, now)).toBeNull();
  });

  it('is closed from the deadline, even before anyone wrote the close down', () => {
    expect(closedAsOf({ closesAt: before }, { closedAt: null }, now)).toEqual(before);
    expect(closedAsOf({ closesAt: now }, { closedAt: null }, now)).toEqual(now);
  });

  it('is closed from a recorded close, whatever the deadline', () => {
    expect(closedAsOf({ closesAt: after }, { closedAt: before }, now)).toEqual(before);
    expect(isClosedAt({ closesAt: null }, { closedAt: before }, now)).toBe(true);
  });
});

describe('who may read', () => {
  const live = { resultsVisibility: 'live', publicBallots: false } as const;
  const liveWithBallots = { resultsVisibility: 'live', publicBallots: true } as const;
  const hidden = { resultsVisibility: 'after_close', publicBallots: true } as const;
  const anyone = { isAdmin: false };
  const admin = { isAdmin: true };

  it('shows live results to all, hidden ones to the admin until the close', () => {
    expect(mayReadResults(live, false, anyone)).toBe(true);
    expect(mayReadResults(hidden, false, anyone)).toBe(false);
    expect(mayReadResults(hidden, false, admin)).toBe(true);
    expect(mayReadResults(hidden, true, anyone)).toBe(true);
  });

  it('publishes ballots at the close, before it only with live results and public ballots', () => {
    expect(mayReadBallots(live, false, anyone)).toBe(false);
    expect(mayReadBallots(liveWithBallots, false, anyone)).toBe(true);
    // public_ballots never overrides hidden results.
    expect(mayReadBallots(hidden, false, anyone)).toBe(false);
    expect(mayReadBallots(hidden, false, admin)).toBe(true);
    expect(mayReadBallots(live, true, anyone)).toBe(true);
  });
});

describe('hasStartedAt and isOpenAt (a scheduled start)', () => {
  it('starts at once without opens_at, and from opens_at on with one', () => {
    expect(hasStartedAt({ closesAt: null }, now)).toBe(true);
    expect(hasStartedAt({ closesAt: null, opensAt: null }, now)).toBe(true);
    expect(hasStartedAt({ closesAt: null, opensAt: before }, now)).toBe(true);
    expect(hasStartedAt({ closesAt: null, opensAt: now }, now)).toBe(true);
    expect(hasStartedAt({ closesAt: null, opensAt: after }, now)).toBe(false);
  });

  it('takes ballots only started and not closed', () => {
    expect(isOpenAt({ closesAt: after, opensAt: before }, { closedAt: null }, now)).toBe(true);
    expect(isOpenAt({ closesAt: null, opensAt: after }, { closedAt: null }, now)).toBe(false);
    expect(isOpenAt({ closesAt: now, opensAt: before }, { closedAt: null }, now)).toBe(false);
    expect(isOpenAt({ closesAt: null, opensAt: null }, { closedAt: before }, now)).toBe(false);
  });
});
