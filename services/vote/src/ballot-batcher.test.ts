import type { BallotToCast, CastOutcome } from '@voting/db';
import { describe, expect, it } from 'vitest';
import { BallotBatcher } from './ballot-batcher.ts';

const ballot = (voter: string, roundId = 'r1'): BallotToCast => ({
  roundId,
  voterKey: Buffer.from(voter),
  choices: [1],
});

/** A fake batch writer that records batches and answers when told to. */
function recorder() {
  const batches: BallotToCast[][] = [];
  const release: (() => void)[] = [];
  const castBatch = (ballots: BallotToCast[]) => {
    batches.push(ballots);
    return new Promise<CastOutcome[]>((resolve) =>
      release.push(() =>
        resolve(
          ballots.map((b) => ({
            outcome: 'accepted',
            receipt: b.voterKey.toString(),
            replaced: false,
          })),
        ),
      ),
    );
  };
  return { batches, release, castBatch };
}

describe('BallotBatcher', () => {
  it('writes a lone ballot at once, and gathers the ballots that arrive meanwhile into one batch', async () => {
    const fake = recorder();
    const batcher = new BallotBatcher({
      castBatch: fake.castBatch,
      maxBatchSize: 100,
      maxInFlight: 1,
    });
    const first = batcher.cast(ballot('a'));
    const rest = ['b', 'c', 'd'].map((voter) => batcher.cast(ballot(voter)));
    expect(fake.batches.map((b) => b.length)).toEqual([1]);
    fake.release.shift()?.();
    await first;
    await new Promise((resolve) => setImmediate(resolve));
    expect(fake.batches.map((b) => b.length)).toEqual([1, 3]);
    fake.release.shift()?.();
    expect(
      (await Promise.all(rest)).map((o) => (o.outcome === 'accepted' ? o.receipt : '')),
    ).toEqual(['b', 'c', 'd']);
  });

  it('never puts one voter of one round twice in a batch, and caps the batch size', async () => {
    const fake = recorder();
    const batcher = new BallotBatcher({
      castBatch: fake.castBatch,
      maxBatchSize: 2,
      maxInFlight: 1,
    });
    const all = [
      batcher.cast(ballot('x')),
      batcher.cast(ballot('y')),
      batcher.cast(ballot('y')),
      batcher.cast(ballot('y', 'r2')),
      batcher.cast(ballot('z')),
    ];
    let settled = 0;
    for (const outcome of all) outcome.then(() => settled++);
    for (let step = 0; step < 20 && settled < all.length; step++) {
      fake.release.shift()?.();
      await new Promise((resolve) => setImmediate(resolve));
    }
    await Promise.all(all);
    expect(fake.batches.map((b) => b.length)).toEqual([1, 2, 2]);
    for (const batch of fake.batches) {
      const keys = batch.map((b) => `${b.roundId}/${b.voterKey}`);
      expect(new Set(keys).size).toBe(keys.length);
      expect(batch.length).toBeLessThanOrEqual(2);
    }
    expect(fake.batches.flat()).toHaveLength(5);
  });

  it('retries a batch that hit a deadlock, and fails every ballot of a batch that hit anything else', async () => {
    let calls = 0;
    const deadlockOnce = new BallotBatcher({
      castBatch: async (ballots) => {
        calls++;
        if (calls === 1) throw Object.assign(new Error('deadlock detected'), { code: '40P01' });
        return ballots.map(() => ({ outcome: 'duplicate' as const }));
      },
      maxBatchSize: 10,
      maxInFlight: 1,
    });
    expect(await deadlockOnce.cast(ballot('a'))).toEqual({ outcome: 'duplicate' });
    expect(calls).toBe(2);

    const broken = new BallotBatcher({
      castBatch: async () => {
        throw new Error('boom');
      },
      maxBatchSize: 10,
      maxInFlight: 1,
    });
    await expect(broken.cast(ballot('a'))).rejects.toThrow('boom');
  });

  it('hands every ballot its deadline, and the batch writer the ballots with theirs', async () => {
    const fake = recorder();
    const batcher = new BallotBatcher({
      castBatch: fake.castBatch,
      maxBatchSize: 10,
      maxInFlight: 1,
      timeoutMs: 2000,
    });
    const before = Date.now();
    const cast = batcher.cast(ballot('a'));
    const deadline = fake.batches[0]?.[0]?.deadline ?? 0;
    expect(deadline).toBeGreaterThanOrEqual(before + 2000);
    expect(deadline).toBeLessThanOrEqual(Date.now() + 2000);
    fake.release.shift()?.();
    await cast;
  });

  it('answers a waiting ballot 503 at its deadline, never sending it, while the batch ahead hangs', async () => {
    const fake = recorder();
    const batcher = new BallotBatcher({
      castBatch: fake.castBatch,
      maxBatchSize: 10,
      maxInFlight: 1,
      timeoutMs: 50,
    });
    const first = batcher.cast(ballot('a')); // in flight, and never answered
    const started = Date.now();
    const waiting = [batcher.cast(ballot('b')), batcher.cast(ballot('c'))];
    const outcomes = await Promise.allSettled(waiting);
    expect(Date.now() - started).toBeLessThan(1000);
    for (const outcome of outcomes) {
      expect(outcome.status).toBe('rejected');
      expect((outcome as PromiseRejectedResult).reason).toMatchObject({
        statusCode: 503,
        code: 'database_unavailable',
      });
    }
    // Only the first batch ever reached the writer; once it ends, nothing expired is sent.
    fake.release.shift()?.();
    await first;
    await new Promise((resolve) => setImmediate(resolve));
    expect(fake.batches.map((b) => b.length)).toEqual([1]);
  });
});
