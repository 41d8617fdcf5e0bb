import { createLogger } from '@voting/runtime';
import { describe, expect, it, vi } from 'vitest';
import { PendingAnnouncer } from './pending-announcer.ts';

const quiet = createLogger('test', 'silent');
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('PendingAnnouncer', () => {
  it('sends the first poke at once, and any number of pokes meanwhile as one more', async () => {
    const sent: number[] = [];
    let release = () => {};
    const announcer = new PendingAnnouncer(() => {
      sent.push(Date.now());
      return new Promise<void>((resolve) => {
        release = resolve;
      });
    }, quiet);
    announcer.poke();
    await sleep(0);
    expect(sent).toHaveLength(1);
    for (let n = 0; n < 100; n++) announcer.poke();
    await sleep(20);
    expect(sent).toHaveLength(1); // the first is still in flight
    release();
    await sleep(20);
    expect(sent).toHaveLength(2);
    release();
    await sleep(20);
    expect(sent).toHaveLength(2); // nothing more was poked
  });

  it('sends at most one notification per 5 ms under a stream of pokes', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
    try {
      let sent = 0;
      const announcer = new PendingAnnouncer(async () => {
        sent++;
      }, quiet);
      // A poke every millisecond for 100 ms, as a replica under load makes them.
      for (let ms = 0; ms < 100; ms++) {
        announcer.poke();
        await vi.advanceTimersByTimeAsync(1);
      }
      await vi.advanceTimersByTimeAsync(10);
      expect(sent).toBeGreaterThanOrEqual(19);
      expect(sent).toBeLessThanOrEqual(21);
    } finally {
      vi.useRealTimers();
    }
  });

  it('only logs a failed notification, and goes on', async () => {
    let calls = 0;
    const announcer = new PendingAnnouncer(async () => {
      calls++;
      throw new Error('database away');
    }, quiet);
    announcer.poke();
    await sleep(10);
    announcer.poke();
    await sleep(20);
    expect(calls).toBe(2);
  });
});
