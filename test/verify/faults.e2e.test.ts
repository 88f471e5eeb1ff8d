import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import type { FaultSettings } from "../../emulator";
import { setUpRecipe, type Recipe } from "../helpers/recipeFixture";
import { assertNoSecret, closedPort, startVerifyHarness, type VerifyHarness } from "../helpers/verifyHarness";

const seenSecrets = new Set<string>();
const transcripts: string[] = [];
let h: VerifyHarness;
let recipe: Recipe;

async function setUp(faultsBeforeDeploy: Partial<FaultSettings> = {}): Promise<void> {
  h = await startVerifyHarness();
  // Propagation delay is read when an entity is created: set it before the recipe is deployed.
  Object.assign(h.emulator.faults, faultsBeforeDeploy);
  recipe = await setUpRecipe(h.emulator);
  h.knowSecret(recipe.outputs.accessKeySecret);
}

afterEach(async () => {
  for (const secret of h.secrets) seenSecrets.add(secret);
  transcripts.push(...h.transcripts);
  await h.close();
});

interface JsonCheck {
  name: string;
  verdict: string;
  attempts: number;
  message: string;
  code?: string;
}

async function verifyJson(
  timeoutSeconds: number,
  endpoint?: string,
): Promise<{ code: number; checks: JsonCheck[] }> {
  const result = await h.run(
    ["--outputs", h.writeOutputs(recipe.outputs), "--timeout", String(timeoutSeconds), "--json"],
    {
      ...(endpoint ? { endpoint } : {}),
    },
  );
  return { code: result.code, checks: (JSON.parse(result.stdout) as { checks: JsonCheck[] }).checks };
}

describe("propagation after a deploy", () => {
  it("a delay shorter than the deadline: assume-role retries and everything passes", async () => {
    await setUp({ propagationDelayMs: 1200 });
    const { code, checks } = await verifyJson(6);
    expect(code).toBe(0);
    expect(checks.map((c) => c.verdict)).toEqual(["pass", "pass", "pass", "pass"]);
    expect(checks[0].attempts).toBeGreaterThan(1);
  });

  it("a delay longer than the deadline: assume-role fails with the propagation message", async () => {
    await setUp({ propagationDelayMs: 30_000 });
    const { code, checks } = await verifyJson(1);
    expect(code).toBe(1);
    expect(checks[0]).toMatchObject({ verdict: "fail", code: "InvalidAccessKeyId.NotFound" });
    expect(checks[0].message).toMatch(
      /^the key LTAI\w+ was not found after 1 s — was it deleted, or is this the deployer's key\?/,
    );
    expect(checks[0].attempts).toBeGreaterThan(1);
  });
});

describe("transient faults", () => {
  beforeEach(async () => setUp());

  it("throttling on AssumeRole is retried after x-acs-retry-after and then passes", async () => {
    Object.assign(h.emulator.faults, {
      throttleNext: 2,
      throttleAction: "AssumeRole",
      throttleRetryAfterMs: 200,
    });
    const { code, checks } = await verifyJson(5);
    expect(code).toBe(0);
    expect(checks[0]).toMatchObject({ verdict: "pass", attempts: 3 });
  });

  it("throttling past the deadline fails with the quota message", async () => {
    Object.assign(h.emulator.faults, {
      throttleNext: 1000,
      throttleAction: "AssumeRole",
      throttleRetryAfterMs: 200,
    });
    const { code, checks } = await verifyJson(1);
    expect(code).toBe(1);
    expect(checks[0].message).toMatch(
      /^STS kept throttling the calls \(Throttling\.User\) until the 1 s deadline — AssumeRole is limited per account \(100 requests\/s shared by its users and roles\); retry later or raise --timeout \(RequestId: [\w-]+\)$/,
    );
  });

  it("a 5xx is retried and then passes", async () => {
    Object.assign(h.emulator.faults, { serverErrorNext: 2, serverErrorAction: "AssumeRole" });
    const { code, checks } = await verifyJson(5);
    expect(code).toBe(0);
    expect(checks[0]).toMatchObject({ verdict: "pass", attempts: 3 });
  });

  it("a 5xx past the deadline fails naming the status and code", async () => {
    Object.assign(h.emulator.faults, { serverErrorNext: 1000, serverErrorCode: "ServiceUnavailable" });
    const { code, checks } = await verifyJson(1);
    expect(code).toBe(1);
    expect(checks[0].message).toMatch(
      /^STS at 127\.0\.0\.1:\d+ kept answering HTTP 503 \(ServiceUnavailable\) until the 1 s deadline — a service-side fault; retry later \(RequestId: [\w-]+\)$/,
    );
  });

  it("a non-JSON 502 from a gateway is retried and then passes", async () => {
    Object.assign(h.emulator.faults, { gatewayErrorNext: 2 });
    const { code, checks } = await verifyJson(5);
    expect(code).toBe(0);
    expect(checks[0]).toMatchObject({ verdict: "pass", attempts: 3 });
  });

  it("non-JSON 502s past the deadline fail saying the body is not JSON", async () => {
    Object.assign(h.emulator.faults, { gatewayErrorNext: 1000 });
    const { code, checks } = await verifyJson(1);
    expect(code).toBe(1);
    expect(checks[0].message).toMatch(
      /^STS at 127\.0\.0\.1:\d+ answered with a body that is not JSON until the 1 s deadline — a proxy or gateway error page\? check the endpoint$/,
    );
  });

  it("a read timeout fails with the no-answer message", async () => {
    h.emulator.faults.latencyMs = 2500;
    const { code, checks } = await verifyJson(1);
    expect(code).toBe(1);
    expect(checks[0]).toMatchObject({ code: "RequestTimeout" });
    expect(checks[0].message).toMatch(
      /^STS at 127\.0\.0\.1:\d+ did not answer in time until the 1 s deadline — check the endpoint \(--endpoint\/--sts-endpoint\) and the network$/,
    );
  });

  it("connection refused fails naming the host and ECONNREFUSED", async () => {
    const refused = await closedPort();
    const { code, checks } = await verifyJson(1, refused);
    expect(code).toBe(1);
    expect(checks[0].message).toBe(
      `cannot connect to STS at ${refused} (ECONNREFUSED) until the 1 s deadline — check the endpoint (--endpoint/--sts-endpoint, --protocol) and the network`,
    );
    expect(checks[0].attempts).toBeGreaterThan(1);
  });
  it("--verbose prints each retry with its code on stderr", async () => {
    Object.assign(h.emulator.faults, {
      throttleNext: 1,
      throttleAction: "AssumeRole",
      throttleRetryAfterMs: 100,
    });
    const result = await h.run(["--outputs", h.writeOutputs(recipe.outputs), "--timeout", "5", "--verbose"]);
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(
      /^… assume-role\n… assume-role: attempt 1 got Throttling\.User \(RequestId: [\w-]+\); retrying in \d+ ms\n/,
    );
  });
});

afterAll(() => {
  assertNoSecret(transcripts.join("\n"), seenSecrets);
});
