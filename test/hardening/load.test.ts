// Load (issue 8): 500 concurrent AssumeRole calls through the official STS SDK against one emulator.
// With the account quota at its documented 100/s (reference/alibaba-api.md §2 "Quota") every call
// is answered, either with fresh credentials or with Throttling.User; with the quota off, all 500
// succeed. STS key IDs are never handed out twice.
import { afterEach, describe, expect, it } from "vitest";
import { $OpenApiUtil } from "@alicloud/openapi-core";
import Sts, { AssumeRoleRequest } from "@alicloud/sts20150401";
import { startEmulator, type Emulator, type EmulatorOptions } from "../../emulator";
import { setUpRecipe } from "../helpers/recipeFixture";

const CALLS = 500;

let emulator: Emulator | undefined;
afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
});

interface Burst {
  keyIds: string[];
  /** Error counts by code. */
  errors: Record<string, number>;
  /** Retry-after values (ms) carried by the throttling errors. */
  retryAfters: number[];
  elapsedMs: number;
}

async function burst(options: EmulatorOptions): Promise<Burst> {
  emulator = await startEmulator(options);
  const { outputs } = await setUpRecipe(emulator);
  const key = { accessKeyId: outputs.accessKeyId, accessKeySecret: outputs.accessKeySecret };
  const endpoint = emulator.endpoint;
  const keyIds: string[] = [];
  const errors: Record<string, number> = {};
  const retryAfters: number[] = [];
  const started = Date.now();
  await Promise.all(
    Array.from({ length: CALLS }, async (_, i) => {
      // One client per caller, as 500 separate programs would have. Generous timeouts: the test
      // asks that every call is answered, on a build machine busy with other suites.
      const client = new Sts(
        new $OpenApiUtil.Config({
          ...key,
          endpoint,
          protocol: "http",
          readTimeout: 30_000,
          connectTimeout: 30_000,
        }),
      );
      try {
        const { body } = await client.assumeRole(
          new AssumeRoleRequest({
            roleArn: outputs.roleArn,
            roleSessionName: `load-${i}`,
            durationSeconds: 900,
          }),
        );
        keyIds.push(body?.credentials?.accessKeyId ?? "(none)");
      } catch (error) {
        const e = error as { code?: string; name?: string; retryAfter?: number };
        const code = e.code ?? e.name ?? "unknown";
        errors[code] = (errors[code] ?? 0) + 1;
        if (typeof e.retryAfter === "number") retryAfters.push(e.retryAfter);
      }
    }),
  );
  return { keyIds, errors, retryAfters, elapsedMs: Date.now() - started };
}

describe("500 concurrent AssumeRole through the SDK against one emulator", () => {
  it("with the default 100/s quota: every call answered, only Throttling.User refusals, no STS key ID twice", async () => {
    const result = await burst({});
    const throttled = result.errors["Throttling.User"] ?? 0;
    expect(Object.keys(result.errors).filter((code) => code !== "Throttling.User")).toEqual([]);
    expect(result.keyIds.length + throttled).toBe(CALLS);
    expect(new Set(result.keyIds).size).toBe(result.keyIds.length);
    expect(result.keyIds.every((id) => id.startsWith("STS."))).toBe(true);
    // A fixed one-second window admits 100 per window; the burst may straddle a boundary or two
    // (on a busy machine the server may take several seconds for the 500: more windows, more
    // admitted — the bound follows the elapsed time rather than assuming a fast machine).
    const windows = Math.ceil(result.elapsedMs / 1000) + 1;
    expect(result.keyIds.length).toBeGreaterThanOrEqual(100);
    expect(result.keyIds.length).toBeLessThanOrEqual(100 * windows);
    // Each refusal says when to come back: within the current one-second window.
    expect(result.retryAfters.length).toBe(throttled);
    expect(result.retryAfters.every((ms) => ms >= 1 && ms <= 1000)).toBe(true);
  }, 60_000);

  it("with the quota off (assumeRoleQuotaPerSecond 0): all 500 succeed with 500 distinct STS key IDs", async () => {
    const result = await burst({ faults: { assumeRoleQuotaPerSecond: 0 } });
    expect(result.errors).toEqual({});
    expect(result.keyIds.length).toBe(CALLS);
    expect(new Set(result.keyIds).size).toBe(CALLS);
  }, 60_000);
});
