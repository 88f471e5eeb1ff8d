import { afterAll, afterEach, describe, expect, it } from "vitest";
import { setUpRecipe, type RecipeOptions } from "../helpers/recipeFixture";
import {
  assertNoSecret,
  startVerifyHarness,
  type CliRun,
  type VerifyHarness,
} from "../helpers/verifyHarness";

const seenSecrets = new Set<string>();
const transcripts: string[] = [];
let h: VerifyHarness | undefined;

afterEach(async () => {
  if (!h) return;
  for (const secret of h.secrets) seenSecrets.add(secret);
  transcripts.push(...h.transcripts);
  await h.close();
  h = undefined;
});

/** Builds a broken recipe and runs verify on it with a short deadline; returns the lines by check. */
async function verifyBroken(
  options: RecipeOptions,
  change: (outputs: Record<string, string>) => void = () => {},
): Promise<CliRun & { line: (check: string) => string }> {
  h = await startVerifyHarness();
  const { outputs } = await setUpRecipe(h.emulator, options);
  h.knowSecret(outputs.accessKeySecret);
  const edited: Record<string, string> = { ...outputs };
  change(edited);
  h.knowSecret(edited.accessKeySecret);
  const result = await h.run(["--outputs", h.writeOutputs(edited), "--timeout", "1"]);
  const lines = result.stdout.split("\n");
  const harness = h;
  return {
    ...result,
    line: (check) => {
      const found = lines.find((l) => l.includes(`  ${check} `));
      if (!found) throw new Error(`no line for ${check} in:\n${result.stdout}`);
      // Drop the duration column and the RequestId, which vary.
      return found
        .replace(/ +\d+(\.\d)? (ms|s) +/, "  ")
        .replace(/ {2,}/g, "  ")
        .replace(/ \(RequestId: [\w-]+\)$/, " (RequestId)")
        .replaceAll(harness.emulator.accountId, "<uid>");
    },
  };
}

describe("each check's failure names cause and fix, with the RequestId, and exits 1", () => {
  it("the role's trust policy does not name the user → assume-role fails", async () => {
    const run = await verifyBroken({ trustPrincipal: "none" });
    expect(run.code).toBe(1);
    expect(run.line("assume-role")).toBe(
      "✘ fail  assume-role  AssumeRole was refused (NoPermission) for 1 s: either acs:ram::<uid>:user/vod may not call sts:AssumeRole on acs:ram::<uid>:role/vodrole — attach AliyunSTSAssumeRoleAccess (or a policy allowing sts:AssumeRole on this role) to the user; or the role's trust policy does not name acs:ram::<uid>:user/vod — add it to the Principal of acs:ram::<uid>:role/vodrole's trust policy (the trust mode in Pulumi config); or a condition of the trust policy does not hold: it requires an ExternalId (pass --external-id), or its acs:SourceIp (allowedSourceIps) excludes this machine's address (RequestId)",
    );
    expect(run.line("vod-access")).toBe(
      "- skip  vod-access  needs the temporary credentials from assume-role, which failed",
    );
  });

  it("the user lacks AliyunSTSAssumeRoleAccess → assume-role fails naming the missing permission", async () => {
    const run = await verifyBroken({ userPolicies: [] });
    expect(run.code).toBe(1);
    expect(run.line("assume-role")).toBe(
      "✘ fail  assume-role  acs:ram::<uid>:user/vod may not call sts:AssumeRole on acs:ram::<uid>:role/vodrole — attach AliyunSTSAssumeRoleAccess (or a policy allowing sts:AssumeRole on this role) to the user (RequestId)",
    );
  });

  it("the role does not exist → assume-role fails asking whether it was deleted", async () => {
    const run = await verifyBroken({ createRole: false });
    expect(run.code).toBe(1);
    expect(run.line("assume-role")).toBe(
      "✘ fail  assume-role  the role acs:ram::<uid>:role/vodrole does not exist after 1 s — was it deleted, or are these outputs from another stack or account? (RequestId)",
    );
  });

  it("the role has no VOD permission → vod-access fails naming the policy to attach", async () => {
    const run = await verifyBroken({ rolePolicies: [] });
    expect(run.code).toBe(1);
    expect(run.line("vod-access")).toBe(
      "✘ fail  vod-access  the role vodrole may not call vod:GetCategories, vod:RefreshUploadVideo or vod:GetPlayInfo (Forbidden.RAM) after 1 s — attach AliyunVODFullAccess (or a VOD preset: readonly, upload, play) to the role (RequestId)",
    );
    expect(run.line("assume-role")).toMatch(/^✔ pass {2}assume-role/);
  });

  it("an over-broad role (AdministratorAccess) → least-privilege fails", async () => {
    const run = await verifyBroken({ rolePolicies: ["AliyunVODFullAccess", "AdministratorAccess"] });
    expect(run.code).toBe(1);
    expect(run.line("least-privilege")).toBe(
      "✘ fail  least-privilege  the role's temporary credentials may call ram:ListUsers — the role vodrole has more than VOD access (AdministratorAccess, AliyunRAMFullAccess or a * policy?); attach only VOD policies to it (RequestId)",
    );
    expect(run.line("vod-access")).toMatch(/^✔ pass {2}vod-access/);
  });

  it("a user that may call VOD with its permanent key → least-privilege fails", async () => {
    const run = await verifyBroken({ userPolicies: ["AliyunSTSAssumeRoleAccess", "AliyunVODFullAccess"] });
    expect(run.code).toBe(1);
    expect(run.line("least-privilege")).toBe(
      "✘ fail  least-privilege  the permanent key of acs:ram::<uid>:user/vod may call VOD directly — detach VOD policies from the user; it should only be able to assume the role (RequestId)",
    );
  });

  it("a deleted key → assume-role fails: was it deleted, or is this the deployer's key?", async () => {
    const run = await verifyBroken({ deleteKey: true });
    expect(run.code).toBe(1);
    expect(run.line("assume-role")).toMatch(
      /^✘ fail {2}assume-role {2}the key LTAI\w+ was not found after 1 s — was it deleted, or is this the deployer's key\? Re-read the outputs \(pulumi stack output --json --show-secrets\) or run pulumi up \(RequestId\)$/,
    );
  });

  it("a disabled key → assume-role fails at once saying how to enable it", async () => {
    const run = await verifyBroken({ keyStatus: "Inactive" });
    expect(run.code).toBe(1);
    expect(run.line("assume-role")).toMatch(
      /^✘ fail {2}assume-role {2}the key LTAI\w+ is disabled — enable it \(RAM console, or UpdateAccessKey Status=Active\) or replace it with pulumi up \(RequestId\)$/,
    );
  });

  it("a wrong secret → assume-role fails at once: the secret does not match the key", async () => {
    const run = await verifyBroken({}, (outputs) => {
      outputs.accessKeySecret = "WrongSecretWrongSecretWrongSecret1";
    });
    expect(run.code).toBe(1);
    expect(run.line("assume-role")).toMatch(
      /^✘ fail {2}assume-role {2}the AccessKey secret does not match key LTAI\w+ — the accessKeySecret output is wrong or stale; re-read it with pulumi stack output --json --show-secrets \(RequestId\)$/,
    );
  });

  it("--duration above the role's MaxSessionDuration → assume-role fails at once; within it → passes", async () => {
    h = await startVerifyHarness();
    const { outputs } = await setUpRecipe(h.emulator, { maxSessionDuration: 3600 });
    h.knowSecret(outputs.accessKeySecret);
    const file = h.writeOutputs(outputs);
    const tooLong = await h.run(["--outputs", file, "--duration", "7200", "--timeout", "1"]);
    const allowed = await h.run(["--outputs", file, "--duration", "3600", "--timeout", "1"]);
    expect([tooLong.code, allowed.code]).toEqual([1, 0]);
    expect(tooLong.stdout.split("\n")[0]).toMatch(
      /assume-role .*--duration 7200 is outside 900 s … the role's MaxSessionDuration — lower --duration or raise the role's maxSessionDuration \(RequestId: [\w-]+\)$/,
    );
  });

  it("the deployer's key in the outputs → assume-role says whose key it is", async () => {
    h = await startVerifyHarness();
    const { outputs } = await setUpRecipe(h.emulator);
    // A second user standing in for the deployer: allowed to assume roles, not trusted by vodrole.
    const deployer = await setUpRecipe(h.emulator, {
      userName: "deployer",
      roleName: "other",
      createRole: false,
    });
    h.knowSecret(outputs.accessKeySecret);
    h.knowSecret(deployer.outputs.accessKeySecret);
    const mixed = {
      ...outputs,
      accessKeyId: deployer.outputs.accessKeyId,
      accessKeySecret: deployer.outputs.accessKeySecret,
    };
    const result = await h.run(["--outputs", h.writeOutputs(mixed), "--timeout", "1"]);
    expect(result.code).toBe(1);
    expect(result.stdout.split("\n")[0]).toContain(
      `the key ${deployer.outputs.accessKeyId} belongs to acs:ram::${h.emulator.accountId}:user/deployer, not to acs:ram::${h.emulator.accountId}:user/vod — is this the deployer's key?`,
    );
  });
});

describe("session policy and ExternalId", () => {
  const vodOnly = JSON.stringify({
    Version: "1",
    Statement: [{ Effect: "Allow", Action: "vod:*", Resource: "*" }],
  });
  const noVod = JSON.stringify({
    Version: "1",
    Statement: [{ Effect: "Allow", Action: "oss:GetObject", Resource: "*" }],
  });

  it("--policy with the recipe's vod:* session policy: all checks pass", async () => {
    h = await startVerifyHarness();
    const { outputs } = await setUpRecipe(h.emulator);
    h.knowSecret(outputs.accessKeySecret);
    const result = await h.run(["--outputs", h.writeOutputs(outputs), "--policy", vodOnly, "--timeout", "1"]);
    expect([result.code, result.stdout.split("\n")[4]]).toEqual([
      0,
      expect.stringMatching(/^verified: .* — 4 passed, 0 failed, 0 skipped in /),
    ]);
  });

  it("--policy that leaves out VOD: vod-access fails and names the session policy as a cause", async () => {
    h = await startVerifyHarness();
    const { outputs } = await setUpRecipe(h.emulator);
    h.knowSecret(outputs.accessKeySecret);
    const result = await h.run(["--outputs", h.writeOutputs(outputs), "--policy", noVod, "--timeout", "1"]);
    expect(result.code).toBe(1);
    expect(result.stdout.split("\n")[2]).toMatch(
      /vod-access .*the role vodrole may not call vod:GetCategories, vod:RefreshUploadVideo or vod:GetPlayInfo \(Forbidden\.RAM\) after 1 s — attach AliyunVODFullAccess \(or a VOD preset: readonly, upload, play\) to the role; or the --policy session policy does not allow vod:GetCategories \(RequestId: [\w-]+\)$/,
    );
  });

  it("a trust policy requiring an ExternalId: passes with --external-id, fails without it", async () => {
    h = await startVerifyHarness();
    const { outputs } = await setUpRecipe(h.emulator, { trustExternalId: "ext-42" });
    h.knowSecret(outputs.accessKeySecret);
    const file = h.writeOutputs(outputs);
    const withId = await h.run(["--outputs", file, "--external-id", "ext-42", "--timeout", "1"]);
    const without = await h.run(["--outputs", file, "--timeout", "1"]);
    expect([withId.code, without.code]).toEqual([0, 1]);
    expect(without.stdout.split("\n")[0]).toContain("AssumeRole was refused (NoPermission)");
  });
});

afterAll(() => {
  assertNoSecret(transcripts.join("\n"), seenSecrets);
});
