import type { OptionId } from './types.ts';

/**
 * A fixed pseudo-random order of options, used as the last resort when breaking ties.
 *
 * The key of an option is the 32-bit FNV-1a hash of the UTF-8 bytes of `${seed}:${optionId}`,
 * where the seed is the round id. The order is therefore arbitrary (not favouring low or high
 * ids) yet fixed for the round: anyone can recompute it, a recount can never produce a different
 * winner, and it cannot be steered after voting closes. FNV-1a is written out here rather than
 * taken from a crypto library so the package runs unchanged in browsers and needs no I/O; it is
 * not meant to resist an adversary choosing round ids, only to be reproducible and unbiased.
 */
export function seededOrderKey(seed: string, optionId: OptionId): number {
  return fnv1a32(`${seed}:${optionId}`);
}

/**
 * The option that comes first in the seeded order (lowest key). Should two keys collide, the
 * lower option id comes first so the order is total.
 */
export function firstInSeededOrder(seed: string, optionIds: readonly OptionId[]): OptionId {
  let best: { id: OptionId; key: number } | null = null;
  for (const id of optionIds) {
    const key = seededOrderKey(seed, id);
    if (best === null || key < best.key || (key === best.key && id < best.id)) best = { id, key };
  }
  if (best === null) throw new RangeError('cannot order an empty set of options');
  return best.id;
}

const FNV_OFFSET_BASIS = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/** 32-bit FNV-1a over the UTF-8 encoding of `text`, as an unsigned integer. */
export function fnv1a32(text: string): number {
  let hash = FNV_OFFSET_BASIS;
  for (const byte of utf8Bytes(text)) {
    hash ^= byte;
    hash = Math.imul(hash, FNV_PRIME);
  }
  return hash >>> 0;
}

/** UTF-8 encoding by hand, because TextEncoder is a platform global outside the ES library. */
function* utf8Bytes(text: string): Generator<number> {
  for (const char of text) {
    const code = char.codePointAt(0) ?? 0;
    if (code < 0x80) {
      yield code;
    } else if (code < 0x800) {
      yield 0xc0 | (code >> 6);
      yield 0x80 | (code & 0x3f);
    } else if (code < 0x10000) {
      yield 0xe0 | (code >> 12);
      yield 0x80 | ((code >> 6) & 0x3f);
      yield 0x80 | (code & 0x3f);
    } else {
      yield 0xf0 | (code >> 18);
      yield 0x80 | ((code >> 12) & 0x3f);
      yield 0x80 | ((code >> 6) & 0x3f);
      yield 0x80 | (code & 0x3f);
    }
  }
}
