import type { Clock } from "../../verify/types";

/** A clock whose time moves only when the code under test sleeps; jitter is fixed. */
export function fakeClock(
  start = Date.parse("2026-01-01T00:00:00Z"),
  random = 0.5,
): Clock & { sleeps: number[] } {
  let now = start;
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => now,
    sleep: async (ms) => {
      sleeps.push(ms);
      now += ms;
    },
    random: () => random,
  };
}

/** An error shaped like openapi-core 1.0.8's ClientError/ServerError/ThrottlingError. */
export function sdkError(statusCode: number, code: string, extra: Record<string, unknown> = {}): Error {
  const requestId = (extra.requestId as string | undefined) ?? "REQ-1";
  const err = new Error(`${code}: code: ${statusCode}, some message request id: ${requestId}`) as Error &
    Record<string, unknown>;
  err.name =
    statusCode >= 500 ? "ServerError" : code.includes("Throttling") ? "ThrottlingError" : "ClientError";
  err.code = code;
  err.statusCode = statusCode;
  err.requestId = requestId;
  err.data = { Code: code, RequestId: requestId, statusCode, ...(extra.data ?? {}) };
  for (const [key, value] of Object.entries(extra)) if (key !== "data") err[key] = value;
  return err;
}

/** A Node socket error as httpx rejects it. */
export function socketError(code: string): Error {
  const err = new Error(`connect ${code} 127.0.0.1:1POST http://127.0.0.1:1/ failed.`) as Error & {
    code: string;
  };
  err.code = code;
  return err;
}
