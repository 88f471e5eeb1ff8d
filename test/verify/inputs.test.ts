import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { defaultSessionName, loadSessionPolicy, parseFlags, resolveEndpoints } from "../../verify/args";
import { parseStackOutputs, targetFromEnv } from "../../verify/outputs";

const SECRET = "s3cr3tS3cr3tS3cr3tS3cr3tS3cr3t";
const good = {
  accountId: "1234567890123456",
  userName: "vod",
  accessKeyId: "LTAI5tExample",
  accessKeySecret: SECRET,
  roleName: "vodrole",
  roleArn: "acs:ram::1234567890123456:role/vodrole",
  region: "cn-shanghai",
  rolePolicyScope: "account",
};

describe("parseStackOutputs", () => {
  it("accepts the outputs pulumi stack output --json --show-secrets prints", () => {
    expect(parseStackOutputs(JSON.stringify(good), "f")).toEqual(good);
  });

  it("lists every problem in one message, naming the output, the bad value and what is allowed", () => {
    const bad = {
      ...good,
      accountId: "12ab",
      roleArn: "arn:aws:iam::1:role/x",
      region: "Shanghai",
      rolePolicyScope: "group",
    };
    expect(() => parseStackOutputs(JSON.stringify(bad), "--outputs o.json")).toThrowError(
      '--outputs o.json: accountId "12ab" is not an account ID (digits only); region "Shanghai" is not a region ID (like cn-shanghai); rolePolicyScope "group" must be "account" or a resource group ID (rg-…); roleArn "arn:aws:iam::1:role/x" is not of the form acs:ram::<account id>:role/<role name>',
    );
  });

  it("names missing outputs", () => {
    const { roleArn: _a, userName: _u, ...rest } = good;
    expect(() => parseStackOutputs(JSON.stringify(rest), "f")).toThrowError(
      "f: userName is missing; roleArn is missing",
    );
  });

  it('explains "[secret]": the outputs were printed without --show-secrets', () => {
    expect(() =>
      parseStackOutputs(JSON.stringify({ ...good, accessKeySecret: "[secret]" }), "f"),
    ).toThrowError('f: accessKeySecret is "[secret]": the outputs were printed without --show-secrets');
  });

  it("rejects a role ARN of another account than accountId", () => {
    expect(() =>
      parseStackOutputs(JSON.stringify({ ...good, roleArn: "acs:ram::999:role/vodrole" }), "f"),
    ).toThrowError(
      'f: roleArn "acs:ram::999:role/vodrole" names account 999, but accountId is 1234567890123456',
    );
  });

  it("reports bad JSON by position only, never quoting the text (it may hold the secret)", () => {
    let message = "";
    try {
      parseStackOutputs(`{"accessKeySecret": ${SECRET}}`, "--outputs o.json");
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toBe(
      "--outputs o.json: not valid JSON — expected the object printed by pulumi stack output --json --show-secrets",
    );
    expect(() => parseStackOutputs('{"a":1', "f")).toThrowError("f: not valid JSON (at position 6)");
  });

  it("says the stack has no outputs for {}", () => {
    expect(() => parseStackOutputs("{}", "--stack dev")).toThrowError(
      "--stack dev: the stack has no outputs — run pulumi up first",
    );
  });

  it("rejects a JSON array", () => {
    expect(() => parseStackOutputs("[]", "f")).toThrowError(
      "f: expected a JSON object of stack outputs, got an array",
    );
  });
});

describe("targetFromEnv", () => {
  const env = { ALIBABA_CLOUD_ACCESS_KEY_ID: "LTAI5tExample", ALIBABA_CLOUD_ACCESS_KEY_SECRET: SECRET };

  it("takes the account and role from --role-arn and the key from the recipe's env", () => {
    expect(targetFromEnv(env, good.roleArn, "cn-beijing")).toEqual({
      accountId: "1234567890123456",
      accessKeyId: "LTAI5tExample",
      accessKeySecret: SECRET,
      roleName: "vodrole",
      roleArn: good.roleArn,
      region: "cn-beijing",
      rolePolicyScope: "account",
    });
  });

  it("falls back to ALIBABA_CLOUD_ROLE_ARN", () => {
    expect(
      targetFromEnv({ ...env, ALIBABA_CLOUD_ROLE_ARN: good.roleArn }, undefined, "cn-beijing").roleName,
    ).toBe("vodrole");
  });

  it("names every missing input", () => {
    expect(() => targetFromEnv({}, undefined, "cn-beijing")).toThrowError(
      "no credentials: pass --outputs FILE|-, or --stack NAME, or set ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET (the vod user's key) with --role-arn; missing: ALIBABA_CLOUD_ACCESS_KEY_ID, ALIBABA_CLOUD_ACCESS_KEY_SECRET, --role-arn (or ALIBABA_CLOUD_ROLE_ARN)",
    );
  });

  it("rejects a malformed role ARN with the expected form", () => {
    expect(() => targetFromEnv(env, "vodrole", "cn-beijing")).toThrowError(
      '--role-arn "vodrole" is not of the form acs:ram::<account id>:role/<role name>',
    );
  });

  it("needs a region", () => {
    expect(() => targetFromEnv(env, good.roleArn, undefined)).toThrowError(
      "no region: pass --region (like cn-shanghai) or set ALIBABA_CLOUD_REGION",
    );
  });
});

describe("parseFlags", () => {
  it("has the issue's defaults: 900 s tokens, a 60 s deadline, https", () => {
    expect(parseFlags([])).toMatchObject({
      durationSeconds: 900,
      timeoutMs: 60_000,
      protocol: "https",
      skip: [],
      json: false,
    });
  });

  it("reads every option", () => {
    const flags = parseFlags([
      "--outputs=o.json",
      "--endpoint",
      "127.0.0.1:9000",
      "--protocol",
      "http",
      "--duration",
      "1800",
      "--timeout",
      "2.5",
      "--skip",
      "vod-access,least-privilege",
      "--session-name",
      "ci-run.1",
      "--external-id",
      "abc-123",
      "--json",
    ]);
    expect(flags).toMatchObject({
      outputs: "o.json",
      endpoint: "127.0.0.1:9000",
      protocol: "http",
      durationSeconds: 1800,
      timeoutMs: 2500,
      skip: ["vod-access", "least-privilege"],
      sessionName: "ci-run.1",
      externalId: "abc-123",
      json: true,
    });
  });

  const bad: Array<[string[], string]> = [
    [["--bogus"], "unknown flag --bogus; allowed: --outputs,"],
    [["extra"], "unexpected argument"],
    [["--duration", "600"], '--duration "600" must be a whole number of seconds from 900 to 43200'],
    [["--timeout", "0"], '--timeout "0" must be a number of seconds in (0, 3600]'],
    [["--protocol", "ftp"], '--protocol "ftp" must be http or https'],
    [
      ["--endpoint", "http://127.0.0.1:1"],
      '--endpoint "http://127.0.0.1:1" must not include a scheme; give HOST[:PORT] and --protocol',
    ],
    [
      ["--skip", "everything"],
      '--skip "everything" is not a check; allowed: assume-role, caller-identity, vod-access, least-privilege',
    ],
    [["--session-name", "a"], '--session-name "a" must be 2–64 letters, digits or . @ - _'],
    [["--outputs", "a", "--stack", "b"], "--outputs and --stack are exclusive: give one source of outputs"],
    [
      ["--outputs", "a", "--role-arn", "x"],
      "--role-arn is for the env credentials; with --outputs or --stack the role comes from the outputs",
    ],
  ];
  it.each(bad)(
    "rejects %j with a message naming the flag, the value and what is allowed",
    (argv, message) => {
      expect(() => parseFlags(argv)).toThrowError(message);
    },
  );

  it("derives each product's endpoint from the region, and --endpoint overrides them all", () => {
    expect(resolveEndpoints(parseFlags([]), "cn-beijing")).toEqual({
      sts: "sts.cn-beijing.aliyuncs.com",
      vod: "vod.cn-beijing.aliyuncs.com",
      ram: "ram.aliyuncs.com",
      protocol: "https",
    });
    expect(
      resolveEndpoints(parseFlags(["--endpoint", "127.0.0.1:9", "--protocol", "http"]), "cn-beijing"),
    ).toEqual({
      sts: "127.0.0.1:9",
      vod: "127.0.0.1:9",
      ram: "127.0.0.1:9",
      protocol: "http",
    });
  });

  it("makes a valid default session name with a timestamp", () => {
    expect(defaultSessionName(new Date("2026-03-04T05:06:07.890Z"))).toBe("vod-sts-verify-20260304T050607Z");
  });
});

describe("loadSessionPolicy", () => {
  const vodOnly = { Version: "1", Statement: [{ Effect: "Allow", Action: "vod:*", Resource: "*" }] };

  it("takes inline JSON and compacts it", async () => {
    await expect(loadSessionPolicy(JSON.stringify(vodOnly, null, 2))).resolves.toBe(JSON.stringify(vodOnly));
  });

  it("reads a file", async () => {
    const dir = mkdtempSync(join(tmpdir(), "verify-policy-"));
    writeFileSync(join(dir, "p.json"), JSON.stringify(vodOnly));
    await expect(loadSessionPolicy(join(dir, "p.json"))).resolves.toBe(JSON.stringify(vodOnly));
  });

  it("names a missing file", async () => {
    await expect(loadSessionPolicy("/nonexistent/p.json")).rejects.toThrowError(
      '--policy "/nonexistent/p.json": not inline JSON and not a readable file (no such file)',
    );
  });

  it("refuses a policy over STS's 2048-byte limit", async () => {
    const big = {
      Version: "1",
      Statement: [{ Effect: "Allow", Action: "vod:*", Resource: "x".repeat(2100) }],
    };
    await expect(loadSessionPolicy(JSON.stringify(big))).rejects.toThrowError(
      /^--policy: 2179 bytes once compacted; STS allows at most 2048$/,
    );
  });
});
