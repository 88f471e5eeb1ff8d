import * as $Ram from "@alicloud/ram20150501";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { startEmulator } from "../../emulator";
import { callVod, ramClient, sdkError, stsClient } from "./clients";
import { send } from "./rawHttp";
import { assumeRole, setUpRecipe, trustPolicyFor, type Recipe } from "./recipe";

let recipe: Recipe;
beforeEach(async () => {
  recipe = await setUpRecipe();
});
afterEach(async () => {
  vi.useRealTimers();
  await recipe.emulator.close();
});

const root = () => ramClient(recipe.emulator.endpoint, recipe.emulator.rootCredentials);

describe("fault: propagation delay", () => {
  // Date is frozen (only Date is faked: sockets and timers stay real) and moved by hand.
  let base: number;
  beforeEach(() => {
    base = Date.now();
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(base);
    recipe.emulator.faults.propagationDelayMs = 30_000;
  });

  it("answers InvalidAccessKeyId.NotFound for a new key until the delay has passed", async () => {
    const created = (await root().createAccessKey(new $Ram.CreateAccessKeyRequest({ userName: "vod" }))).body!
      .accessKey!;
    const key = { accessKeyId: created.accessKeyId!, accessKeySecret: created.accessKeySecret! };
    vi.setSystemTime(base + 29_999);
    expect((await sdkError(stsClient(recipe.emulator.endpoint, key).getCallerIdentity())).code).toBe(
      "InvalidAccessKeyId.NotFound",
    );
    vi.setSystemTime(base + 30_000);
    expect((await stsClient(recipe.emulator.endpoint, key).getCallerIdentity()).body!.identityType).toBe(
      "RAMUser",
    );
  });

  it("answers EntityNotExist.Role for a new role until the delay has passed, while RAM GetRole already sees it", async () => {
    await root().createRole(
      new $Ram.CreateRoleRequest({
        roleName: "fresh",
        assumeRolePolicyDocument: trustPolicyFor([`acs:ram::${recipe.emulator.accountId}:user/vod`]),
      }),
    );
    expect((await root().getRole(new $Ram.GetRoleRequest({ roleName: "fresh" }))).body!.role!.roleName).toBe(
      "fresh",
    );
    const arn = `acs:ram::${recipe.emulator.accountId}:role/fresh`;
    expect((await sdkError(assumeRole(recipe, { roleArn: arn }))).code).toBe("EntityNotExist.Role");
    vi.setSystemTime(base + 30_000);
    expect((await assumeRole(recipe, { roleArn: arn })).accessKeyId).toMatch(/^STS\./);
  });

  it("does not let a new attachment grant anything until the delay has passed", async () => {
    await root().attachPolicyToRole(
      new $Ram.AttachPolicyToRoleRequest({
        roleName: "vodrole",
        policyType: "System",
        policyName: "AliyunRAMFullAccess",
      }),
    );
    const temporary = await assumeRole(recipe);
    const createUser = () =>
      ramClient(recipe.emulator.endpoint, temporary).createUser(
        new $Ram.CreateUserRequest({ userName: "later" }),
      );
    expect((await sdkError(createUser())).code).toBe("NoPermission");
    vi.setSystemTime(base + 30_000);
    expect((await createUser()).body!.user!.userName).toBe("later");
  });
});

describe("fault: throttling", () => {
  it("throttles the next N requests of one action with 400 Throttling.User and x-acs-retry-after", async () => {
    Object.assign(recipe.emulator.faults, {
      throttleNext: 2,
      throttleAction: "AssumeRole",
      throttleRetryAfterMs: 1500,
    });
    expect(
      (await stsClient(recipe.emulator.endpoint, recipe.userKey).getCallerIdentity()).body!.identityType,
    ).toBe("RAMUser");
    for (let i = 0; i < 2; i++) {
      const error = await sdkError(assumeRole(recipe));
      expect([error.statusCode, error.code, error.retryAfter, error.data.Message]).toEqual([
        400,
        "Throttling.User",
        1500,
        "Request was denied due to user flow control.",
      ]);
    }
    expect((await assumeRole(recipe)).accessKeyId).toMatch(/^STS\./);
    expect(recipe.emulator.faults.throttleNext).toBe(0);
  });

  it("enforces the AssumeRole per-account quota per second and reopens in the next second", async () => {
    const start = Date.now() + 1000;
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(start);
    recipe.emulator.faults.assumeRoleQuotaPerSecond = 3;
    for (let i = 0; i < 3; i++) await assumeRole(recipe, { roleSessionName: `s-${i}` });
    const error = await sdkError(assumeRole(recipe));
    expect([error.statusCode, error.code, error.retryAfter]).toEqual([400, "Throttling.User", 1000]);
    vi.setSystemTime(start + 1000);
    expect((await assumeRole(recipe)).accessKeyId).toMatch(/^STS\./);
  });

  it("turns the quota off with 0", async () => {
    recipe.emulator.faults.assumeRoleQuotaPerSecond = 0;
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => assumeRole(recipe, { roleSessionName: `s-${i}` })),
    );
    expect(results.filter((r) => r.accessKeyId.startsWith("STS."))).toHaveLength(20);
  });

  it("has the quota on by default at 100/s", async () => {
    const emulator = await startEmulator();
    try {
      expect(emulator.faults.assumeRoleQuotaPerSecond).toBe(100);
    } finally {
      await emulator.close();
    }
  });
});

describe("fault: injected server errors, latency and gateway pages", () => {
  it.each([
    ["InternalError", 500, "STS Server Internal Error happened, please send the RequestId to us."],
    ["ServiceUnavailable", 503, "The request has failed due to a temporary failure of the server."],
  ] as const)(
    "answers the next request with %s (HTTP %i) as JSON, then recovers",
    async (code, status, message) => {
      Object.assign(recipe.emulator.faults, { serverErrorNext: 1, serverErrorCode: code });
      const error = await sdkError(assumeRole(recipe));
      expect([error.statusCode, error.code, error.data.Message]).toEqual([status, code, message]);
      expect((await assumeRole(recipe)).accessKeyId).toMatch(/^STS\./);
    },
  );

  it("only hits the chosen action when serverErrorAction is set", async () => {
    Object.assign(recipe.emulator.faults, { serverErrorNext: 1, serverErrorAction: "GetCategories" });
    const temporary = await assumeRole(recipe);
    expect((await sdkError(callVod(recipe.emulator.endpoint, temporary, "GetCategories"))).statusCode).toBe(
      500,
    );
  });

  it("delays responses by latencyMs so a client read timeout fires", async () => {
    recipe.emulator.faults.latencyMs = 400;
    const error = (await sdkError(
      stsClient(recipe.emulator.endpoint, recipe.userKey, { readTimeout: 100 }).getCallerIdentity(),
    )) as unknown as Error;
    expect(error.name).toBe("RequestTimeoutError");
    recipe.emulator.faults.latencyMs = 0;
    expect(
      (await stsClient(recipe.emulator.endpoint, recipe.userKey).getCallerIdentity()).body!.identityType,
    ).toBe("RAMUser");
  });

  it("answers the next request with a non-JSON 502 page, which the SDK reports as a SyntaxError", async () => {
    recipe.emulator.faults.gatewayErrorNext = 2;
    const raw = await send(recipe.emulator.endpoint, { path: "/" });
    expect([raw.status, raw.headers["content-type"], raw.text.includes("502 Bad Gateway")]).toEqual([
      502,
      "text/html",
      true,
    ]);
    const error = (await sdkError(assumeRole(recipe))) as unknown as Error;
    expect(error.name).toBe("SyntaxError");
    expect((await assumeRole(recipe)).accessKeyId).toMatch(/^STS\./);
  });
});

describe("emulator options", () => {
  it("refuses invalid options with one message naming each bad option, its value and what is allowed", async () => {
    await expect(
      startEmulator({
        port: 70000,
        accountId: "12",
        faults: { latencyMs: -1, serverErrorCode: "Oops" as "InternalError" },
      }),
    ).rejects.toThrowError(
      'Invalid emulator options: port is 70000; allowed: an integer 0..65535; accountId is "12"; allowed: 16 digits not starting with 0; Invalid emulator faults: faults.latencyMs is -1; allowed: an integer >= 0; faults.serverErrorCode is "Oops"; allowed: "InternalError" or "ServiceUnavailable"',
    );
  });

  it("uses the given account ID in ARNs", async () => {
    const emulator = await startEmulator({ accountId: "1234567890123456" });
    try {
      const identity = await stsClient(emulator.endpoint, emulator.rootCredentials).getCallerIdentity();
      expect(identity.body!.arn).toBe("acs:ram::1234567890123456:root");
    } finally {
      await emulator.close();
    }
  });
});
