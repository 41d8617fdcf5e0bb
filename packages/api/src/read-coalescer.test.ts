import { describe, expect, it } from 'vitest';
import { ReadCoalescer } from './read-coalescer.ts';

/** A load whose answer the test releases by hand, counting how often it was started. */
function controlledLoads() {
  const started: { resolve: (value: number) => void; reject: (error: Error) => void }[] = [];
  const load = () =>
    new Promise<number>((resolve, reject) => {
      started.push({ resolve, reject });
    });
  return { started, load };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('ReadCoalescer', () => {
  it('starts a read at once when none is running', async () => {
    const coalescer = new ReadCoalescer<string, number>();
    const { started, load } = controlledLoads();
    const answer = coalescer.read('r', load);
    expect(started).toHaveLength(1);
    started[0]?.resolve(7);
    expect(await answer).toBe(7);
    expect(coalescer.size).toBe(0);
  });

  it('never answers from a read that started before the caller asked', async () => {
    const coalescer = new ReadCoalescer<string, number>();
    const { started, load } = controlledLoads();
    const early = coalescer.read('r', load);
    // These arrive while the first read runs: they must wait for a read of their own.
    const late = [coalescer.read('r', load), coalescer.read('r', load), coalescer.read('r', load)];
    expect(started).toHaveLength(1);
    started[0]?.resolve(1);
    expect(await early).toBe(1);
    await tick();
    expect(started).toHaveLength(2);
    started[1]?.resolve(2);
    expect(await Promise.all(late)).toEqual([2, 2, 2]);
    expect(coalescer.size).toBe(0);
  });

  it('keeps keys apart', async () => {
    const coalescer = new ReadCoalescer<string, number>();
    const { started, load } = controlledLoads();
    const a = coalescer.read('a', load);
    const b = coalescer.read('b', load);
    expect(started).toHaveLength(2);
    started[0]?.resolve(1);
    started[1]?.resolve(2);
    expect([await a, await b]).toEqual([1, 2]);
  });

  it('gives a failure to the callers that shared the read, and the next caller reads afresh', async () => {
    const coalescer = new ReadCoalescer<string, number>();
    const { started, load } = controlledLoads();
    const first = coalescer.read('r', load);
    const waiting = [coalescer.read('r', load), coalescer.read('r', load)];
    started[0]?.reject(new Error('database away'));
    await expect(first).rejects.toThrow('database away');
    await tick();
    started[1]?.reject(new Error('still away'));
    for (const answer of waiting) await expect(answer).rejects.toThrow('still away');
    const later = coalescer.read('r', load);
    expect(started).toHaveLength(3);
    started[2]?.resolve(5);
    expect(await later).toBe(5);
    expect(coalescer.size).toBe(0);
  });
});
