import { describe, expect, it } from "vitest";
import { NonceCache, TIMESTAMP_WINDOW_MS } from "../../emulator/auth/nonces";

describe("nonce memory (replay protection with bounded memory)", () => {
  const now = 1_800_000_000_000;

  it("refuses a nonce seen within the timestamp window and accepts it once its request time has left the window", () => {
    const cache = new NonceCache(10);
    expect(cache.remember("n1", now, now)).toBe(true);
    expect(cache.remember("n1", now, now + TIMESTAMP_WINDOW_MS - 1)).toBe(false);
    expect(cache.remember("n1", now, now + TIMESTAMP_WINDOW_MS)).toBe(true);
  });

  it("never holds more nonces than its capacity, evicting the oldest first", () => {
    const cache = new NonceCache(3);
    for (const nonce of ["a", "b", "c", "d", "e"]) cache.remember(nonce, now, now);
    expect(cache.size).toBe(3);
    expect(cache.remember("e", now, now)).toBe(false);
    expect(cache.remember("a", now, now)).toBe(true);
  });

  it("drops expired nonces as new ones arrive", () => {
    const cache = new NonceCache(100);
    for (let i = 0; i < 50; i++) cache.remember(`old-${i}`, now, now);
    cache.remember("new", now + TIMESTAMP_WINDOW_MS, now + TIMESTAMP_WINDOW_MS);
    expect(cache.size).toBe(1);
  });
});
