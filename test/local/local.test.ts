import { describe, expect, it } from "vitest";
import { EmulatorProvider } from "../../local/provider";
import { leakedSecrets, runLocalInProcess } from "../helpers/local";

const OTHER_ACCOUNT = "9876543210987654";

describe("npm run local: the default stack", () => {
  it("deploys the recipe into the emulator and verifies it with exit 0", async () => {
    const run = await runLocalInProcess([]);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/verified: acs:ram::\d{16}:role\/vodrole — 4 passed, 0 failed, 0 skipped/);
  });

  it("creates in the emulator exactly what the program declares: names, trust document, attachments", async () => {
    const { emulator } = await runLocalInProcess([]);
    const state = emulator!.state;
    const uid = emulator!.accountId;
    expect(state.listUsers().map((u) => u.userName)).toEqual(["vod"]);
    expect(state.listAccessKeys("vod").map((k) => k.status)).toEqual(["Active"]);
    const role = state.getRole("vodrole")!;
    expect(JSON.parse(role.assumeRolePolicyDocument)).toEqual({
      Version: "1",
      Statement: [
        { Effect: "Allow", Action: "sts:AssumeRole", Principal: { RAM: [`acs:ram::${uid}:user/vod`] } },
      ],
    });
    expect(role.maxSessionDuration).toBe(3600);
    expect(
      state
        .listAttachments()
        .map((a) => [a.principalKind, a.principalName, a.policyType, a.policyName, a.resourceGroupId]),
    ).toEqual([
      ["User", "vod", "System", "AliyunSTSAssumeRoleAccess", uid],
      ["Role", "vodrole", "System", "AliyunVODFullAccess", uid],
    ]);
  });

  it("prints a table of the created resources", async () => {
    const run = await runLocalInProcess([]);
    expect(run.stdout).toMatch(/^ram\.User +vod-sts-user +\d+$/m);
    expect(run.stdout).toMatch(/^ram\.Role +vod-sts-role +vodrole$/m);
    expect(run.stdout).toMatch(/^ram\.AccessKey +vod-sts-key-primary +LTAI\w+$/m);
  });

  it("numbers its steps on a terminal and prints plain lines elsewhere (CI)", async () => {
    const tty = await runLocalInProcess([], { tty: true });
    expect(tty.stdout).toMatch(/^\u001b\[1m\[2\/3\]\u001b\[0m deploying stack dev into the emulator…$/m);
    const plain = await runLocalInProcess([]);
    expect(plain.stdout).toMatch(/^deploying stack dev into the emulator…$/m);
    expect(plain.stdout).not.toContain("\u001b[");
  });

  it("--json prints verify's JSON document alone on stdout", async () => {
    const run = await runLocalInProcess(["--json"]);
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout) as { checks: { name: string; verdict: string }[] };
    expect(report.checks.map((c) => [c.name, c.verdict])).toEqual([
      ["assume-role", "pass"],
      ["caller-identity", "pass"],
      ["vod-access", "pass"],
      ["least-privilege", "pass"],
    ]);
    expect(run.stderr).toContain("deploying stack dev into the emulator");
  });
});

describe("npm run local: trust modes", () => {
  it.each([["account"], ["user,account"], ["acs:ram::1111222233334444:user/vod"]])(
    "trust=%s verifies with exit 0",
    async (trust) => {
      const run = await runLocalInProcess(["--account-id", "1111222233334444", "--config", `trust=${trust}`]);
      expect(run.code).toBe(0);
      expect(run.emulator!.state.getRole("vodrole")!.trustPolicy.Statement[0].Principal).toEqual({
        RAM:
          trust === "account"
            ? ["acs:ram::1111222233334444:root"]
            : trust === "user,account"
              ? ["acs:ram::1111222233334444:root", "acs:ram::1111222233334444:user/vod"]
              : [trust],
      });
    },
  );

  it("trusting only another account fails assume-role with the trust message and exit 1", async () => {
    const run = await runLocalInProcess(["--config", `trust=${OTHER_ACCOUNT}`, "--timeout", "1"]);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(
      /✘ fail +assume-role .*the role's trust policy does not name acs:ram::\d{16}:user\/vod/,
    );
  });
});

describe("npm run local: misconfigurations show up as in the cloud", () => {
  it("a role without VOD permission fails vod-access with exit 1", async () => {
    const oss = JSON.stringify({
      Version: "1",
      Statement: [{ Effect: "Allow", Action: "oss:GetObject", Resource: "*" }],
    });
    const run = await runLocalInProcess([
      "--config",
      `rolePolicies=${JSON.stringify([oss])}`,
      "--timeout",
      "1",
    ]);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/✘ fail +vod-access/);
    expect(run.stdout).toMatch(/✔ pass +assume-role/);
  });

  it("a refused setting exits 2 with the message and creates nothing", async () => {
    const run = await runLocalInProcess(["--config", "roleName=vod_role"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(
      "error: invalid configuration (1 problem):\n  - vod-sts:roleName: \"vod_role\" is not allowed: use 1–64 letters, digits, '.' or '-'\n",
    );
    expect(run.emulator!.state.listUsers()).toEqual([]);
  });

  it.each([
    [["--nope"], /^error: Unknown option '--nope'.*; see npm run local -- --help\n$/],
    [["--config", "nokey"], 'error: --config "nokey" is not key=value\n'],
    [
      ["--config", "colour=blue"],
      "error: --config colour: unknown setting; the settings are userName, roleName, roleDescription, maxSessionDuration, trust, externalId, allowedSourceIps, assumeRolePermission, userPolicies, userPolicyScope, rolePolicies, rolePolicyScope, allowHighRiskPolicies, accessKeys, pgpKey, protect, tags\n",
    ],
    [["--stack", "prod"], "error: no Pulumi.prod.yaml next to Pulumi.yaml: create it or use --stack dev\n"],
    [
      ["--propagation-delay=-1"],
      'error: --propagation-delay "-1" is not allowed: use a whole number from 0 to 600000\n',
    ],
    [["--account-id", "42"], 'error: --account-id "42" is not allowed: use 16 digits\n'],
  ])("bad usage %j exits 2: %s", async (argv, message) => {
    const run = await runLocalInProcess(argv);
    expect(run.code).toBe(2);
    if (typeof message === "string") expect(run.stderr).toBe(message);
    else expect(run.stderr).toMatch(message);
  });
});

describe("the local provider", () => {
  it("fails clearly on a resource type it does not know, instead of faking it", async () => {
    const provider = new EmulatorProvider({
      endpoint: "127.0.0.1:9",
      accessKeyId: "LTAIx",
      accessKeySecret: "y",
    });
    await expect(
      provider.newResource({ type: "alicloud:oss/bucket:Bucket", name: "b", inputs: {}, custom: true }),
    ).rejects.toThrowError(
      /^npm run local cannot create resources of type alicloud:oss\/bucket:Bucket: the local provider knows alicloud:ram\/user:User, /,
    );
    expect(provider.failures.map((f) => f.name)).toEqual(["UnsupportedResourceError"]);
  });

  it("fails clearly on an invoke it does not know", async () => {
    const provider = new EmulatorProvider({
      endpoint: "127.0.0.1:9",
      accessKeyId: "LTAIx",
      accessKeySecret: "y",
    });
    await expect(
      provider.call({ token: "alicloud:ecs/getInstances:getInstances", inputs: {} }),
    ).rejects.toThrowError(
      "npm run local cannot answer the invoke alicloud:ecs/getInstances:getInstances: the local provider knows only getCallerIdentity",
    );
  });
});

describe("npm run local: secrets", () => {
  it("prints no AccessKey secret, STS secret or token without --show-secrets, in text and JSON modes", async () => {
    for (const argv of [[], ["--json"], ["--config", `trust=${OTHER_ACCOUNT}`, "--timeout", "1"]]) {
      const run = await runLocalInProcess(argv);
      expect(leakedSecrets(run.stdout + run.stderr, run.emulator!)).toEqual([]);
    }
  });

  it("--show-secrets prints the temporary credentials as export lines", async () => {
    const run = await runLocalInProcess(["--show-secrets"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^export ALIBABA_CLOUD_ACCESS_KEY_ID=STS\.\w+$/m);
    expect(run.stdout).toMatch(/^export ALIBABA_CLOUD_SECURITY_TOKEN=CAIS/m);
  });
});
