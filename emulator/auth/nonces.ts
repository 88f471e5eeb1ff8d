// Replay protection (reference §3 SignatureNonceUsed). A nonce only needs remembering until its
// request's timestamp leaves the ±15 min window — after that the replay fails the timestamp check
// anyway — so each entry expires at timestamp + 15 min. A size cap bounds memory under load; when
// it evicts a still-valid nonce early, that nonce could be replayed (documented approximation).
export const TIMESTAMP_WINDOW_MS = 15 * 60 * 1000;

export class NonceCache {
  // Map iteration order is insertion order, which is close to expiry order: eviction from the
  // front is O(1) amortised.
  private readonly entries = new Map<string, number>();

  constructor(private readonly capacity: number) {}

  get size(): number {
    return this.entries.size;
  }

  /** Records the nonce; false when it was already seen and has not expired. */
  remember(nonce: string, requestTimeMs: number, nowMs: number): boolean {
    const seenUntil = this.entries.get(nonce);
    if (seenUntil !== undefined && seenUntil > nowMs) return false;
    this.evict(nowMs);
    this.entries.delete(nonce);
    this.entries.set(nonce, requestTimeMs + TIMESTAMP_WINDOW_MS);
    return true;
  }

  private evict(nowMs: number): void {
    for (const [nonce, until] of this.entries) {
      if (until > nowMs && this.entries.size < this.capacity) break;
      this.entries.delete(nonce);
    }
  }
}
