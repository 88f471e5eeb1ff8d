import { classifyError, type ClassifiedError } from "./errors";
import type { Clock } from "./types";

/**
 * Jittered exponential backoff: 200 ms doubling, capped at 1 s, so that a key or attachment that
 * becomes valid is noticed within about a second. Alibaba documents no propagation figure
 * (reference/alibaba-api.md §4, "Propagation"), hence polling rather than a fixed wait.
 */
export const BACKOFF = { initialMs: 200, capMs: 1000 } as const;

/** An attempt's connect/read timeout never goes below this, even close to the deadline. */
export const MIN_ATTEMPT_TIMEOUT_MS = 1000;
export const DEFAULT_REQUEST_TIMEOUT_MS = 5000;

/**
 * The wait before retry number `retry` (1-based): "equal jitter", half fixed and half random, so
 * parallel runs spread out but the wait never collapses to zero.
 */
export function backoffDelay(retry: number, random: () => number): number {
  const ceiling = Math.min(BACKOFF.capMs, BACKOFF.initialMs * 2 ** Math.max(0, retry - 1));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}

export const realClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  random: () => Math.random(),
};

export type RetryOutcome<T> =
  | { ok: true; value: T; attempts: number }
  | {
      ok: false;
      error: ClassifiedError;
      attempts: number;
      /** `fatal`: the error cannot heal. `deadline`: it could, but time ran out. */
      stoppedBy: "fatal" | "deadline";
    };

export interface RetryOptions {
  clock: Clock;
  /** Epoch ms after which no new attempt starts. */
  deadline: number;
  /** Codes that mean "not propagated yet" for this call. */
  propagationCodes?: ReadonlySet<string>;
  requestTimeoutMs?: number;
  onRetry?: (error: ClassifiedError, attempt: number, delayMs: number) => void;
}

/**
 * Calls `call` until it succeeds, fails with an error that cannot heal, or the next attempt would
 * start after the deadline. The first attempt always runs. Throttling waits at least the
 * service's `x-acs-retry-after`.
 */
export async function retryUntilDeadline<T>(
  call: (attemptTimeoutMs: number) => Promise<T>,
  options: RetryOptions,
): Promise<RetryOutcome<T>> {
  const { clock, deadline } = options;
  const requestTimeoutMs = options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  for (let attempt = 1; ; attempt++) {
    const remaining = deadline - clock.now();
    const attemptTimeoutMs = Math.min(requestTimeoutMs, Math.max(MIN_ATTEMPT_TIMEOUT_MS, remaining));
    try {
      return { ok: true, value: await call(attemptTimeoutMs), attempts: attempt };
    } catch (err) {
      const error = classifyError(err, options.propagationCodes);
      if (!error.healable) return { ok: false, error, attempts: attempt, stoppedBy: "fatal" };
      const delayMs = Math.max(backoffDelay(attempt, clock.random), error.retryAfterMs ?? 0);
      if (clock.now() + delayMs > deadline)
        return { ok: false, error, attempts: attempt, stoppedBy: "deadline" };
      options.onRetry?.(error, attempt, delayMs);
      await clock.sleep(delayMs);
    }
  }
}
