import { describe, expect, it } from "vitest";
import { classifyError } from "../../verify/errors";
import { backoffDelay, retryUntilDeadline } from "../../verify/retry";
import { fakeClock, sdkError, socketError } from "../helpers/verifyFakes";

const PROPAGATION = new Set(["InvalidAccessKeyId.NotFound", "NoPermission", "EntityNotExist.Role"]);

describe("classifyError", () => {
  const cases: Array<[string, unknown, string, boolean, string]> = [
    [
      "an unknown key right after deploy is propagation",
      sdkError(404, "InvalidAccessKeyId.NotFound"),
      "propagation",
      true,
      "InvalidAccessKeyId.NotFound",
    ],
    [
      "NoPermission is propagation for AssumeRole",
      sdkError(403, "NoPermission"),
      "propagation",
      true,
      "NoPermission",
    ],
    [
      "a missing role is propagation",
      sdkError(404, "EntityNotExist.Role"),
      "propagation",
      true,
      "EntityNotExist.Role",
    ],
    [
      "a disabled key cannot heal",
      sdkError(400, "InvalidAccessKeyId.Inactive"),
      "fatal",
      false,
      "InvalidAccessKeyId.Inactive",
    ],
    [
      "a wrong secret cannot heal",
      sdkError(400, "SignatureDoesNotMatch"),
      "fatal",
      false,
      "SignatureDoesNotMatch",
    ],
    [
      "throttling heals",
      sdkError(400, "Throttling.User", { retryAfter: 1500 }),
      "throttling",
      true,
      "Throttling.User",
    ],
    ["a 500 heals", sdkError(500, "InternalError"), "server", true, "InternalError"],
    ["a 503 heals", sdkError(503, "ServiceUnavailable"), "server", true, "ServiceUnavailable"],
    ["connection refused heals", socketError("ECONNREFUSED"), "network", true, "ECONNREFUSED"],
    ["an unknown host does not heal", socketError("ENOTFOUND"), "fatal", false, "ENOTFOUND"],
    [
      "the SDK read timeout heals",
      Object.assign(new Error("ReadTimeout(1000)POST http://127.0.0.1:1/ failed."), {
        name: "RequestTimeoutError",
      }),
      "timeout",
      true,
      "RequestTimeout",
    ],
    [
      "a non-JSON body (SyntaxError) heals",
      new SyntaxError("Unexpected token '<'"),
      "bad-response",
      true,
      "NonJsonResponse",
    ],
  ];
  it.each(cases)("%s", (_name, err, kind, healable, code) => {
    const classified = classifyError(err, PROPAGATION);
    expect([classified.kind, classified.healable, classified.code]).toEqual([kind, healable, code]);
  });

  it("keeps the RequestId, the status and the retry-after of an SDK error", () => {
    const classified = classifyError(
      sdkError(400, "Throttling.User", { retryAfter: 1500, requestId: "R-9" }),
    );
    expect([classified.requestId, classified.statusCode, classified.retryAfterMs]).toEqual([
      "R-9",
      400,
      1500,
    ]);
  });

  it("reads AccessDeniedDetail.PolicyType of a NoPermission", () => {
    const err = sdkError(403, "NoPermission", { accessDeniedDetail: { PolicyType: "AssumeRolePolicy" } });
    expect(classifyError(err, PROPAGATION).deniedPolicyType).toBe("AssumeRolePolicy");
  });
});

describe("backoffDelay", () => {
  it("starts at 100–200 ms and doubles to a 1 s cap (jitter 0 gives the floor, jitter 1 the ceiling)", () => {
    expect([1, 2, 3, 4, 5, 9].map((n) => backoffDelay(n, () => 0))).toEqual([100, 200, 400, 500, 500, 500]);
    expect([1, 2, 3, 4, 5, 9].map((n) => backoffDelay(n, () => 0.999999))).toEqual([
      200, 400, 800, 1000, 1000, 1000,
    ]);
  });
});

describe("retryUntilDeadline", () => {
  it("retries a propagation error until the call succeeds and reports the attempts", async () => {
    const clock = fakeClock();
    let calls = 0;
    const outcome = await retryUntilDeadline(
      async () => {
        calls++;
        if (calls < 4) throw sdkError(404, "InvalidAccessKeyId.NotFound");
        return "ok";
      },
      { clock, deadline: clock.now() + 10_000, propagationCodes: PROPAGATION },
    );
    expect(outcome).toEqual({ ok: true, value: "ok", attempts: 4 });
    expect(clock.sleeps).toEqual([150, 300, 600]);
  });

  it("stops at once on an error that cannot heal", async () => {
    const clock = fakeClock();
    const outcome = await retryUntilDeadline(
      async () => {
        throw sdkError(400, "SignatureDoesNotMatch");
      },
      { clock, deadline: clock.now() + 10_000, propagationCodes: PROPAGATION },
    );
    expect(outcome).toMatchObject({
      ok: false,
      attempts: 1,
      stoppedBy: "fatal",
      error: { code: "SignatureDoesNotMatch" },
    });
  });

  it("gives up when the next wait would pass the deadline", async () => {
    const clock = fakeClock();
    const start = clock.now();
    const outcome = await retryUntilDeadline(
      async () => {
        throw sdkError(404, "EntityNotExist.Role");
      },
      { clock, deadline: start + 3000, propagationCodes: PROPAGATION },
    );
    // 150 + 300 + 600 + 750 + 750 = 2550; one more 750 would end at 3300 > 3000.
    expect(outcome).toMatchObject({ ok: false, attempts: 6, stoppedBy: "deadline" });
    expect(clock.now() - start).toBe(2550);
  });

  it("waits at least the service's x-acs-retry-after on throttling", async () => {
    const clock = fakeClock();
    let calls = 0;
    await retryUntilDeadline(
      async () => {
        if (calls++ === 0) throw sdkError(400, "Throttling.User", { retryAfter: 1800 });
        return 1;
      },
      { clock, deadline: clock.now() + 10_000 },
    );
    expect(clock.sleeps).toEqual([1800]);
  });

  it("lowers the per-attempt timeout to the time left, but not below 1 s", async () => {
    const clock = fakeClock();
    const timeouts: number[] = [];
    await retryUntilDeadline(
      async (timeoutMs) => {
        timeouts.push(timeoutMs);
        throw socketError("ECONNREFUSED");
      },
      { clock, deadline: clock.now() + 1200, requestTimeoutMs: 5000 },
    );
    expect(timeouts).toEqual([1200, 1050, 1000, 1000]);
  });
});
