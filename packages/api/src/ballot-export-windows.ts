/** The largest UUID, ffffffff-ffff-ffff-ffff-ffffffffffff, as a number. */
const LAST_UUID = (1n << 128n) - 1n;

/**
 * Receipt windows for reading a round's ballots page by page (see readBallotPage in @voting/db).
 * Each window is a receipt range (after, upTo] read with LIMIT pageSize:
 *
 * - after a full page, the next window starts at its last receipt and spans twice the receipt
 *   distance that page covered, so it holds about two pages of ballots (receipts are random v4
 *   UUIDs, spread evenly), and no query plan can touch much more than that;
 * - after a short page the window was read to its end; the next one starts there, twice as wide
 *   when this one was sparse, so gaps are crossed in a few steps;
 * - the first window is the whole receipt space: one page, at worst one scan of the round.
 *
 * Every ballot is in exactly one window, and windows come in receipt order.
 */
export class ReceiptWindows {
  #after = 0n;
  #upTo = LAST_UUID;
  #width = LAST_UUID;
  #done = false;

  constructor(private readonly pageSize: number) {}

  get done(): boolean {
    return this.#done;
  }

  /** The next window to read: receipts greater than `after`, at most `upTo`. */
  next(): { after: string; upTo: string } {
    const end = this.#after + this.#width;
    this.#upTo = end > LAST_UUID ? LAST_UUID : end;
    return { after: toUuid(this.#after), upTo: toUuid(this.#upTo) };
  }

  /** Records what the window from next() held: how many ballots, and the last receipt. */
  advance(count: number, lastReceipt: string | undefined): void {
    if (count >= this.pageSize && lastReceipt !== undefined) {
      const last = fromUuid(lastReceipt);
      const span = last - this.#after;
      this.#width = span > 0n ? 2n * span : 1n;
      this.#after = last;
      return;
    }
    if (this.#upTo === LAST_UUID) {
      this.#done = true;
      return;
    }
    this.#after = this.#upTo;
    if (count * 2 < this.pageSize) this.#width *= 2n;
  }
}

function fromUuid(uuid: string): bigint {
  return BigInt(`0x${uuid.replaceAll('-', '')}`);
}

function toUuid(value: bigint): string {
  const hex = value.toString(16).padStart(32, '0');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
