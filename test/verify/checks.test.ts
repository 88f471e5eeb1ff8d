import { describe, expect, it } from "vitest";
import type { AlibabaApi, AssumeRoleAnswer } from "../../verify/clients";
import { renderJson, renderStepSummary, renderText } from "../../verify/render";
import { runChecks } from "../../verify/run";
import type { VerifyOptions } from "../../verify/types";
import { fakeClock, sdkError } from "../helpers/verifyFakes";

const USER_SECRET = "userSecretUserSecretUserSecret00";
const STS_SECRET = "stsSecretStsSecretStsSecretStsSecret0000000";
const TOKEN = "CAIStokenTokenTokenTokenTokenTokenToken+/=";
const ACCOUNT = "1234567890123456";
const ROLE_ARN = `acs:ram::${ACCOUNT}:role/vodrole`;
const SESSION = "vod-sts-verify-test";

function options(clock = fakeClock(), extra: Partial<VerifyOptions> = {}): VerifyOptions {
  return {
    outputs: {
      accountId: ACCOUNT,
      userName: "vod",
      accessKeyId: "LTAIuser",
      accessKeySecret: USER_SECRET,
      roleName: "vodrole",
      roleArn: ROLE_ARN,
      region: "cn-shanghai",
      rolePolicyScope: "account",
    },
    endpoints: { sts: "127.0.0.1:1", vod: "127.0.0.1:1", ram: "127.0.0.1:1", protocol: "http" },
    sessionName: SESSION,
    durationSeconds: 900,
    timeoutMs: 3000,
    skip: [],
    clock,
    ...extra,
  };
}

function goodAnswer(now: number): AssumeRoleAnswer {
  return {
    requestId: "REQ-AR",
    assumedRoleArn: `${ROLE_ARN}/${SESSION}`,
    assumedRoleId: `3001:${SESSION}`,
    accessKeyId: "STS.NTemporaryKeyId",
    accessKeySecret: STS_SECRET,
    securityToken: TOKEN,
    expiration: new Date(now + 900_000).toISOString().replace(/\.\d+Z/, "Z"),
  };
}

/** The happy account: every call answers as the recipe expects; override one method to break it. */
function fakeApi(now: () => number, overrides: Partial<AlibabaApi> = {}): AlibabaApi {
  return {
    assumeRole: async () => goodAnswer(now()),
    getCallerIdentity: async (key) =>
      key.securityToken
        ? {
            requestId: "REQ-ID",
            accountId: ACCOUNT,
            arn: `acs:ram::${ACCOUNT}:assumed-role/vodrole/${SESSION}`,
            identityType: "AssumedRoleUser",
            principalId: `3001:${SESSION}`,
          }
        : {
            requestId: "REQ-ID",
            accountId: ACCOUNT,
            arn: `acs:ram::${ACCOUNT}:user/vod`,
            identityType: "RAMUser",
          },
    vodGetCategories: async (key) => {
      if (!key.securityToken) throw sdkError(403, "Forbidden.RAM", { requestId: "REQ-VODDENY" });
      return { requestId: "REQ-VOD" };
    },
    vodProbe: async () => {
      throw sdkError(403, "Forbidden.RAM", { requestId: "REQ-VODDENY" });
    },
    ramListUsers: async () => {
      throw sdkError(403, "NoPermission", { requestId: "REQ-RAMDENY" });
    },
    ...overrides,
  };
}

describe("runChecks", () => {
  it("passes all four checks on the recipe and reports identity and expiry", async () => {
    const clock = fakeClock();
    const report = await runChecks(options(clock), { api: fakeApi(clock.now) });
    expect(report.checks.map((c) => [c.name, c.verdict])).toEqual([
      ["assume-role", "pass"],
      ["caller-identity", "pass"],
      ["vod-access", "pass"],
      ["least-privilege", "pass"],
    ]);
    expect(report.ok).toBe(true);
    expect(report.identity).toEqual({
      arn: `acs:ram::${ACCOUNT}:assumed-role/vodrole/${SESSION}`,
      accountId: ACCOUNT,
      assumedRoleId: `3001:${SESSION}`,
    });
    expect(report.expiration).toBe("2026-01-01T00:15:00Z");
    expect(report.checks[3].message).toBe(
      "RAM refused the temporary credentials (NoPermission) and VOD refused the permanent key (Forbidden.RAM)",
    );
  });

  it("fails assume-role when AssumeRole answers a non-STS key", async () => {
    const clock = fakeClock();
    const api = fakeApi(clock.now, {
      assumeRole: async () => ({ ...goodAnswer(clock.now()), accessKeyId: "LTAIperm" }),
    });
    const report = await runChecks(options(clock), { api });
    expect(report.checks[0].message).toBe(
      'AssumeRole answered AccessKeyId "LTAIperm", which is not a temporary (STS.) key (RequestId: REQ-AR)',
    );
  });

  it("fails assume-role when the token lives longer than asked", async () => {
    const clock = fakeClock();
    const api = fakeApi(clock.now, {
      assumeRole: async () => ({ ...goodAnswer(clock.now()), expiration: "2026-01-01T01:00:00Z" }),
    });
    const report = await runChecks(options(clock), { api });
    expect(report.checks[0].message).toBe(
      "the temporary credentials expire at 2026-01-01T01:00:00Z, later than the 900 s asked for (RequestId: REQ-AR)",
    );
  });

  it("fails assume-role when the answer names another role", async () => {
    const clock = fakeClock();
    const api = fakeApi(clock.now, {
      assumeRole: async () => ({
        ...goodAnswer(clock.now()),
        assumedRoleArn: `acs:ram::${ACCOUNT}:role/other/${SESSION}`,
      }),
    });
    const report = await runChecks(options(clock), { api });
    expect(report.checks[0].message).toBe(
      `AssumeRole answered AssumedRoleUser.Arn "acs:ram::${ACCOUNT}:role/other/${SESSION}", expected "${ROLE_ARN}/${SESSION}" (RequestId: REQ-AR)`,
    );
  });

  it("blames the trust policy when the denial says the AssumeRole policy refused", async () => {
    const clock = fakeClock();
    const api = fakeApi(clock.now, {
      assumeRole: async () => {
        throw sdkError(403, "NoPermission", {
          requestId: "REQ-NP",
          accessDeniedDetail: { PolicyType: "AssumeRolePolicy" },
        });
      },
    });
    const report = await runChecks(options(clock), { api });
    expect(report.checks[0]).toMatchObject({
      verdict: "fail",
      code: "NoPermission",
      requestId: "REQ-NP",
      message: `the role's trust policy does not name acs:ram::${ACCOUNT}:user/vod — add it to the Principal of ${ROLE_ARN}'s trust policy (the trust mode in Pulumi config) (RequestId: REQ-NP)`,
    });
    expect(report.checks[0].attempts).toBeGreaterThan(3);
  });

  it("recognises the deployer's key from GetCallerIdentity", async () => {
    const clock = fakeClock();
    const api = fakeApi(clock.now, {
      assumeRole: async () => {
        throw sdkError(403, "NoPermission", { requestId: "REQ-NP" });
      },
      getCallerIdentity: async () => ({
        accountId: ACCOUNT,
        arn: `acs:ram::${ACCOUNT}:user/deployer`,
        identityType: "RAMUser",
      }),
    });
    const report = await runChecks(options(clock), { api });
    expect(report.checks[0].message).toBe(
      `the key LTAIuser belongs to acs:ram::${ACCOUNT}:user/deployer, not to acs:ram::${ACCOUNT}:user/vod — is this the deployer's key? Use the stack's accessKeyId/accessKeySecret outputs (RequestId: REQ-NP)`,
    );
  });

  it("skips the dependent checks with the reason when assume-role fails", async () => {
    const clock = fakeClock();
    const api = fakeApi(clock.now, {
      assumeRole: async () => {
        throw sdkError(400, "InvalidAccessKeyId.Inactive");
      },
    });
    const report = await runChecks(options(clock), { api });
    expect(report.checks.map((c) => [c.verdict, c.message])).toEqual([
      [
        "fail",
        "the key LTAIuser is disabled — enable it (RAM console, or UpdateAccessKey Status=Active) or replace it with pulumi up (RequestId: REQ-1)",
      ],
      ["skip", "needs the temporary credentials from assume-role, which failed"],
      ["skip", "needs the temporary credentials from assume-role, which failed"],
      ["skip", "needs the temporary credentials from assume-role, which failed"],
    ]);
    expect(report.ok).toBe(false);
  });

  it("fails caller-identity when the temporary credentials are not an assumed-role session of this role", async () => {
    const clock = fakeClock();
    const api = fakeApi(clock.now, {
      getCallerIdentity: async () => ({
        requestId: "REQ-ID",
        accountId: "999",
        arn: "acs:ram::999:user/vod",
        identityType: "RAMUser",
      }),
    });
    const report = await runChecks(options(clock), { api });
    expect(report.checks[1].message).toBe(
      `the temporary credentials are not this role's session: IdentityType is "RAMUser", expected "AssumedRoleUser"; AccountId is "999", expected "${ACCOUNT}" (the stack's account); Arn is "acs:ram::999:user/vod", expected "acs:ram::${ACCOUNT}:assumed-role/vodrole/${SESSION}" (RequestId: REQ-ID)`,
    );
  });

  it("skips the dependent checks when assume-role is skipped", async () => {
    const clock = fakeClock();
    const report = await runChecks(options(clock, { skip: ["assume-role"] }), { api: fakeApi(clock.now) });
    expect(report.checks.map((c) => c.message)).toEqual([
      "skipped with --skip",
      "needs the temporary credentials from assume-role, which was skipped",
      "needs the temporary credentials from assume-role, which was skipped",
      "needs the temporary credentials from assume-role, which was skipped",
    ]);
  });

  it("skips checks named in --skip and still passes", async () => {
    const clock = fakeClock();
    const report = await runChecks(options(clock, { skip: ["least-privilege"] }), {
      api: fakeApi(clock.now),
    });
    expect([report.ok, report.checks[3].verdict, report.checks[3].message]).toEqual([
      true,
      "skip",
      "skipped with --skip",
    ]);
  });

  it("skips vod-access with the reason when the role's permissions are resource-group scoped", async () => {
    const clock = fakeClock();
    const opts = options(clock);
    opts.outputs.rolePolicyScope = "rg-acfm123";
    const report = await runChecks(opts, { api: fakeApi(clock.now) });
    expect(report.checks[2].message).toBe(
      "the role's permissions are scoped to resource group rg-acfm123; GetCategories is an account-level action, so this probe cannot prove them",
    );
  });

  it("fails least-privilege when the role may call RAM", async () => {
    const clock = fakeClock();
    const api = fakeApi(clock.now, { ramListUsers: async () => ({ requestId: "REQ-LIST" }) });
    const report = await runChecks(options(clock), { api });
    expect(report.checks[3].message).toBe(
      "the role's temporary credentials may call ram:ListUsers — the role vodrole has more than VOD access (AdministratorAccess, AliyunRAMFullAccess or a * policy?); attach only VOD policies to it (RequestId: REQ-LIST)",
    );
  });

  it("turns an exception from a call into a failing verdict with every secret masked", async () => {
    const clock = fakeClock();
    const api = fakeApi(clock.now, {
      vodGetCategories: () => {
        throw new TypeError(`boom near ${STS_SECRET} and ${encodeURIComponent(TOKEN)}`);
      },
    });
    const report = await runChecks(options(clock), { api });
    expect(report.checks[2].message).toBe(
      "VOD GetCategories failed with the temporary credentials: TypeError: boom near **** and ****",
    );
  });
});

describe("renderers", () => {
  async function passingReport() {
    const clock = fakeClock();
    return runChecks(options(clock), { api: fakeApi(clock.now) });
  }

  it("prints one line per check and a summary, no secret, no colour when off", async () => {
    const text = renderText(await passingReport(), { showSecrets: false, color: false });
    const lines = text.trimEnd().split("\n");
    expect(lines[0]).toBe(
      `✔ pass  assume-role         0 ms  STS.NTemporaryKeyId for ${ROLE_ARN}/${SESSION}, expires 2026-01-01T00:15:00Z (1 attempt)`,
    );
    expect(lines[4]).toBe(`verified: ${ROLE_ARN} — 4 passed, 0 failed, 0 skipped in 0 ms`);
    expect(text).not.toContain("\u001b[");
    expect(text).not.toContain(STS_SECRET);
  });

  it("colours verdicts when asked", async () => {
    const text = renderText(await passingReport(), { showSecrets: false, color: true });
    expect(text.startsWith("\u001b[32m✔ pass\u001b[0m")).toBe(true);
  });

  it("prints the temporary credentials as export lines with showSecrets", async () => {
    const text = renderText(await passingReport(), { showSecrets: true, color: false });
    expect(text.trimEnd().split("\n").slice(-3)).toEqual([
      "export ALIBABA_CLOUD_ACCESS_KEY_ID=STS.NTemporaryKeyId",
      `export ALIBABA_CLOUD_ACCESS_KEY_SECRET=${STS_SECRET}`,
      `export ALIBABA_CLOUD_SECURITY_TOKEN=${TOKEN}`,
    ]);
  });

  it("renders one JSON document with verdicts, identity and expiry, and no secret", async () => {
    const json = renderJson(await passingReport());
    const parsed = JSON.parse(json);
    expect(parsed.checks.map((c: { verdict: string }) => c.verdict)).toEqual([
      "pass",
      "pass",
      "pass",
      "pass",
    ]);
    expect([parsed.ok, parsed.expiration, parsed.identity.arn]).toEqual([
      true,
      "2026-01-01T00:15:00Z",
      `acs:ram::${ACCOUNT}:assumed-role/vodrole/${SESSION}`,
    ]);
    for (const secret of [USER_SECRET, STS_SECRET, TOKEN]) expect(json).not.toContain(secret);
    expect(Object.keys(parsed)).not.toContain("temporaryCredentials");
  });

  it("renders a Markdown table for the step summary, escaping pipes", async () => {
    const report = await passingReport();
    report.checks[1].message = "a | b";
    const lines = renderStepSummary(report).split("\n");
    expect(lines.slice(0, 6)).toEqual([
      "### ✅ STS chain verified",
      "",
      `Role \`${ROLE_ARN}\` in cn-shanghai: 4 passed, 0 failed, 0 skipped in 0 ms.`,
      "",
      "| verdict | check | duration | detail |",
      "|---|---|---|---|",
    ]);
    expect(lines[7]).toBe("| ✔ pass | `caller-identity` | 0 ms | a \\| b |");
  });
});
