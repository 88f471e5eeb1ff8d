// Fault matrix for verify (issue 8): every broken recipe and every transport fault Alibaba Cloud
// produces (reference/alibaba-api.md §3–§4) ends with the right check failing, exit 1, a message
// naming the cause, within the deadline + 2 s, and no secret in what is printed. verify runs through
// its CLI entry against an emulator behind a recording proxy that collects every STS secret and
// token handed out (test/helpers/verifyHarness.ts).
import { afterEach, describe, expect, it } from "vitest";
import type { EmulatorOptions, FaultSettings } from "../../emulator";
import type { CheckName, CheckResult } from "../../verify/types";
import { setUpRecipe, type RecipeOptions } from "../helpers/recipeFixture";
import { closedPort, startVerifyHarness, type VerifyHarness } from "../helpers/verifyHarness";

/** verify's --timeout for every row: the deadline the elapsed bound is measured against. */
const DEADLINE_S = 1;
/** The correctness bound of the issue: verify gives its verdict within deadline + 2 s. */
const BOUND_MS = DEADLINE_S * 1000 + 2000;

interface FaultCase {
  fault: string;
  recipe?: RecipeOptions;
  emulator?: EmulatorOptions;
  /** Applied once the recipe exists, so the setup itself is not disturbed. */
  faults?: Partial<FaultSettings>;
  outputs?: (outputs: Record<string, string>) => void;
  /** Point verify at a port where nothing listens. */
  refused?: boolean;
  failing: CheckName;
  code: string;
  message: RegExp;
}

const KEY = "LTAI\\w+";
const CASES: FaultCase[] = [
  {
    fault: "unknown key (deleted)",
    recipe: { deleteKey: true },
    failing: "assume-role",
    code: "InvalidAccessKeyId.NotFound",
    message: new RegExp(`^the key ${KEY} was not found after 1 s — was it deleted`),
  },
  {
    fault: "disabled key",
    recipe: { keyStatus: "Inactive" },
    failing: "assume-role",
    code: "InvalidAccessKeyId.Inactive",
    message: new RegExp(`^the key ${KEY} is disabled — enable it`),
  },
  {
    fault: "wrong secret",
    outputs: (o) => (o.accessKeySecret = "WrongSecretWrongSecretWrongSecretWrong12345"),
    failing: "assume-role",
    code: "SignatureDoesNotMatch",
    message: new RegExp(
      `^the AccessKey secret does not match key ${KEY} — the accessKeySecret output is wrong`,
    ),
  },
  {
    fault: "missing trust (the role trusts another user)",
    recipe: { trustPrincipal: "none" },
    failing: "assume-role",
    code: "NoPermission",
    message: /the role's trust policy does not name acs:ram::\d+:user\/vod/,
  },
  {
    fault: "missing user permission (no AliyunSTSAssumeRoleAccess)",
    recipe: { userPolicies: [] },
    failing: "assume-role",
    code: "NoPermission",
    message:
      /^acs:ram::\d+:user\/vod may not call sts:AssumeRole on acs:ram::\d+:role\/vodrole — attach AliyunSTSAssumeRoleAccess/,
  },
  {
    fault: "missing role",
    recipe: { createRole: false },
    failing: "assume-role",
    code: "EntityNotExist.Role",
    message: /^the role acs:ram::\d+:role\/vodrole does not exist after 1 s/,
  },
  {
    fault: "missing role permission (no AliyunVODFullAccess)",
    recipe: { rolePolicies: [] },
    failing: "vod-access",
    code: "Forbidden.RAM",
    message:
      /^the role vodrole may not call vod:GetCategories\b.* \(Forbidden\.RAM\) after 1 s — attach AliyunVODFullAccess/,
  },
  {
    fault: "over-broad role (AdministratorAccess)",
    recipe: { rolePolicies: ["AliyunVODFullAccess", "AdministratorAccess"] },
    failing: "least-privilege",
    code: "",
    message: /^the role's temporary credentials may call ram:ListUsers/,
  },
  {
    fault: "throttling on every AssumeRole",
    faults: { throttleNext: 1000, throttleAction: "AssumeRole", throttleRetryAfterMs: 200 },
    failing: "assume-role",
    code: "Throttling.User",
    message: /^STS kept throttling the calls \(Throttling\.User\) until the 1 s deadline/,
  },
  {
    fault: "HTTP 500 on every call",
    faults: { serverErrorNext: 1000, serverErrorCode: "InternalError" },
    failing: "assume-role",
    code: "InternalError",
    message: /^STS at 127\.0\.0\.1:\d+ kept answering HTTP 500 \(InternalError\) until the 1 s deadline/,
  },
  {
    fault: "HTTP 503 on every call",
    faults: { serverErrorNext: 1000, serverErrorCode: "ServiceUnavailable" },
    failing: "assume-role",
    code: "ServiceUnavailable",
    message: /^STS at 127\.0\.0\.1:\d+ kept answering HTTP 503 \(ServiceUnavailable\)/,
  },
  {
    fault: "connection refused",
    refused: true,
    failing: "assume-role",
    code: "ECONNREFUSED",
    message: /^cannot connect to STS at 127\.0\.0\.1:\d+ \(ECONNREFUSED\) until the 1 s deadline/,
  },
  {
    fault: "read timeout (the emulator answers after 4 s)",
    faults: { latencyMs: 4000 },
    failing: "assume-role",
    code: "RequestTimeout",
    message: /^STS at 127\.0\.0\.1:\d+ did not answer in time until the 1 s deadline/,
  },
  {
    fault: "propagation beyond the deadline (new entities take 60 s)",
    emulator: { faults: { propagationDelayMs: 60_000 } },
    failing: "assume-role",
    code: "InvalidAccessKeyId.NotFound",
    message: new RegExp(`^the key ${KEY} was not found after 1 s`),
  },
  {
    fault: "a non-JSON 502 page on every call",
    faults: { gatewayErrorNext: 1000 },
    failing: "assume-role",
    code: "NonJsonResponse",
    message:
      /^STS at 127\.0\.0\.1:\d+ answered with a body that is not JSON until the 1 s deadline — a proxy or gateway error page\?/,
  },
];

let harness: VerifyHarness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

interface JsonReport {
  ok: boolean;
  checks: CheckResult[];
}

describe("verify under faults: the right check fails, exit 1, cause named, within deadline + 2 s, no secret printed", () => {
  it.each(CASES)("$fault → $failing fails with $code", async (c) => {
    harness = await startVerifyHarness(c.emulator ?? {});
    const { outputs } = await setUpRecipe(harness.emulator, c.recipe ?? {});
    harness.knowSecret(outputs.accessKeySecret);
    const edited = { ...outputs } as Record<string, string>;
    c.outputs?.(edited);
    harness.knowSecret(edited.accessKeySecret);
    Object.assign(harness.emulator.faults, c.faults ?? {});
    const file = harness.writeOutputs(edited);

    const target = c.refused
      ? ["--endpoint", await closedPort(), "--protocol", "http"]
      : ["--endpoint", harness.endpoint, "--protocol", "http"];

    const started = Date.now();
    const run = await harness.run([...target, "--outputs", file, "--timeout", String(DEADLINE_S), "--json"], {
      endpoint: null,
    });
    const elapsedMs = Date.now() - started;

    expect(elapsedMs).toBeLessThan(BOUND_MS);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe("");
    const report = JSON.parse(run.stdout) as JsonReport;
    expect(report.ok).toBe(false);
    const failing = report.checks.filter((check) => check.verdict === "fail");
    expect(failing.map((check) => check.name)).toEqual([c.failing]);
    expect(failing[0].code ?? "").toBe(c.code);
    expect(failing[0].message).toMatch(c.message);
    expect(leaks(`${run.stdout}\n${run.stderr}`, harness.secrets)).toEqual([]);
  });
});

const HEALING: { fault: string; faults: Partial<FaultSettings>; emulator?: EmulatorOptions }[] = [
  {
    fault: "two throttled AssumeRole calls",
    faults: { throttleNext: 2, throttleAction: "AssumeRole", throttleRetryAfterMs: 100 },
  },
  { fault: "two HTTP 500 answers", faults: { serverErrorNext: 2 } },
  { fault: "two non-JSON 502 pages", faults: { gatewayErrorNext: 2 } },
  { fault: "propagation of 1.5 s", faults: {}, emulator: { faults: { propagationDelayMs: 1500 } } },
];

describe("verify heals transient faults inside its deadline: all four checks pass, exit 0", () => {
  it.each(HEALING)("$fault → exit 0 within the 5 s deadline + 2 s", async (c) => {
    harness = await startVerifyHarness(c.emulator ?? {});
    const { outputs } = await setUpRecipe(harness.emulator);
    harness.knowSecret(outputs.accessKeySecret);
    Object.assign(harness.emulator.faults, c.faults);
    const started = Date.now();
    const run = await harness.run(["--outputs", harness.writeOutputs(outputs), "--timeout", "5", "--json"]);
    expect(Date.now() - started).toBeLessThan(7000);
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout) as JsonReport;
    expect(report.checks.map((check) => `${check.name}:${check.verdict}`)).toEqual([
      "assume-role:pass",
      "caller-identity:pass",
      "vod-access:pass",
      "least-privilege:pass",
    ]);
    expect(report.checks[0].attempts).toBeGreaterThan(1);
    expect(leaks(`${run.stdout}\n${run.stderr}`, harness.secrets)).toEqual([]);
  });
});

/** Known secrets (AccessKey and STS secrets, tokens) found in `text`, and anything token-shaped. */
function leaks(text: string, secrets: Iterable<string>): string[] {
  const found = [...secrets].filter((secret) => text.includes(secret)).map((s) => `${s.slice(0, 3)}…`);
  return [...found, ...(text.match(/CAIS[A-Za-z0-9+/=._-]{8,}/g) ?? [])];
}
