/**
 * The opt-in settings beyond the recipe, each proven end to end: the real program deployed into
 * the emulator through the official RAM SDK, then exercised with the official STS/VOD clients
 * and with verify.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startEmulator, type Emulator } from "../../emulator";
import { callVod, ramClient, sdkError, stsClient } from "../emulator/clients";
import { deployInEmulator, verifyInEmulator } from "../helpers/local";
import { AssumeRoleRequest } from "@alicloud/sts20150401";
import { CreateRoleRequest } from "@alicloud/ram20150501";

let emulator: Emulator;
beforeEach(async () => {
  emulator = await startEmulator({ accountId: "1111222233334444" });
});
afterEach(async () => {
  await emulator.close();
});

/** The user's key as the outputs name it. */
const userKey = (outputs: Record<string, unknown>) => ({
  accessKeyId: String(outputs.accessKeyId),
  accessKeySecret: String(outputs.accessKeySecret),
});

async function temporaryKeys(outputs: Record<string, unknown>) {
  const { body } = await stsClient(emulator.endpoint, userKey(outputs)).assumeRole(
    new AssumeRoleRequest({ roleArn: String(outputs.roleArn), roleSessionName: "e2e", durationSeconds: 900 }),
  );
  const c = body!.credentials!;
  return {
    accessKeyId: c.accessKeyId!,
    accessKeySecret: c.accessKeySecret!,
    securityToken: c.securityToken!,
  };
}

/** A second role, outside the stack, whose trust policy names the stack's user. */
async function createOtherRoleTrustingTheUser(): Promise<void> {
  const trustingUser = JSON.stringify({
    Version: "1",
    Statement: [
      {
        Effect: "Allow",
        Action: "sts:AssumeRole",
        Principal: { RAM: ["acs:ram::1111222233334444:user/vod"] },
      },
    ],
  });
  await ramClient(emulator.endpoint, emulator.rootCredentials).createRole(
    new CreateRoleRequest({ roleName: "otherrole", assumeRolePolicyDocument: trustingUser }),
  );
}

describe("assumeRolePermission=scoped", () => {
  it("still verifies, and the user can no longer assume any other role", async () => {
    const { outputs } = await deployInEmulator(emulator, ["assumeRolePermission=scoped"]);
    expect((await verifyInEmulator(emulator, outputs)).code).toBe(0);

    await createOtherRoleTrustingTheUser();
    const refused = await sdkError(
      stsClient(emulator.endpoint, userKey(outputs)).assumeRole(
        new AssumeRoleRequest({
          roleArn: "acs:ram::1111222233334444:role/otherrole",
          roleSessionName: "e2e",
        }),
      ),
    );
    expect(refused.code).toBe("NoPermission");
  });

  it("with the recipe's system policy the same user may assume that other role (the control case)", async () => {
    const { outputs } = await deployInEmulator(emulator, []);
    await createOtherRoleTrustingTheUser();
    const { body } = await stsClient(emulator.endpoint, userKey(outputs)).assumeRole(
      new AssumeRoleRequest({ roleArn: "acs:ram::1111222233334444:role/otherrole", roleSessionName: "e2e" }),
    );
    expect(body!.credentials!.accessKeyId).toMatch(/^STS\./);
  });
});

describe("VOD presets", () => {
  it("readonly: the token may call GetCategories and is refused CreateUploadVideo", async () => {
    const { outputs } = await deployInEmulator(emulator, ["rolePolicies=readonly"]);
    expect((await verifyInEmulator(emulator, outputs)).code).toBe(0);
    const token = await temporaryKeys(outputs);
    expect(await callVod(emulator.endpoint, token, "GetCategories")).toHaveProperty("RequestId");
    const refused = await sdkError(
      callVod(emulator.endpoint, token, "CreateUploadVideo", { Title: "t", FileName: "a.mp4" }),
    );
    expect([refused.code, refused.statusCode]).toEqual(["Forbidden.RAM", 403]);
  });

  it("upload: the token may call CreateUploadVideo and is refused GetCategories", async () => {
    const { outputs } = await deployInEmulator(emulator, ["rolePolicies=upload"]);
    const token = await temporaryKeys(outputs);
    const upload = await callVod(emulator.endpoint, token, "CreateUploadVideo", {
      Title: "t",
      FileName: "a.mp4",
    });
    expect(upload).toHaveProperty("UploadAddress");
    const refused = await sdkError(callVod(emulator.endpoint, token, "GetCategories"));
    expect([refused.code, refused.statusCode]).toEqual(["Forbidden.RAM", 403]);
  });

  it.each([
    ["upload", "RefreshUploadVideo"],
    ["play", "GetPlayInfo"],
  ])("%s: verify proves VOD access with the side-effect-free %s probe", async (preset, action) => {
    const { outputs } = await deployInEmulator(emulator, [`rolePolicies=${preset}`]);
    const run = await verifyInEmulator(emulator, outputs);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(
      new RegExp(`✔ pass +vod-access .*VOD allowed vod:${action} with the temporary credentials`),
    );
  });
});

describe("trust conditions", () => {
  it("externalId: verify passes with the right --external-id and fails assume-role with the reason otherwise", async () => {
    const { outputs } = await deployInEmulator(emulator, ["externalId=partner-42"]);
    expect((await verifyInEmulator(emulator, outputs, ["--external-id", "partner-42"])).code).toBe(0);
    const wrong = await verifyInEmulator(emulator, outputs, ["--external-id", "partner-43"]);
    expect(wrong.code).toBe(1);
    expect(wrong.stdout).toMatch(/✘ fail +assume-role .*ExternalId/);
  });

  it("allowedSourceIps excluding 127.0.0.1 fails assume-role and says the source address is the cause", async () => {
    const { outputs } = await deployInEmulator(emulator, ["allowedSourceIps=203.0.113.0/24"]);
    const run = await verifyInEmulator(emulator, outputs);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(
      /✘ fail +assume-role .*its acs:SourceIp \(allowedSourceIps\) excludes this machine's address/,
    );
  });

  it("allowedSourceIps including 127.0.0.1 verifies", async () => {
    const { outputs } = await deployInEmulator(emulator, ["allowedSourceIps=127.0.0.0/8"]);
    expect((await verifyInEmulator(emulator, outputs)).code).toBe(0);
  });
});

describe("AccessKey rotation with overlap", () => {
  it("adding a label creates a second key while the first keeps working; removing the old label deletes it", async () => {
    const first = await deployInEmulator(emulator, ["accessKeys=primary"]);
    const second = await deployInEmulator(emulator, ["accessKeys=primary,next"], first.resources);
    expect(second.outputs.accessKeyId).not.toBe(first.outputs.accessKeyId);
    expect(emulator.state.listAccessKeys("vod").map((k) => k.accessKeyId)).toEqual([
      first.outputs.accessKeyId,
      second.outputs.accessKeyId,
    ]);
    // During the overlap both keys assume the role.
    expect((await verifyInEmulator(emulator, first.outputs)).code).toBe(0);
    expect((await verifyInEmulator(emulator, second.outputs)).code).toBe(0);

    const third = await deployInEmulator(emulator, ["accessKeys=next"], second.resources);
    expect(third.deleted.map((r) => r.name)).toEqual(["vod-sts-key-primary"]);
    expect(third.outputs.accessKeyId).toBe(second.outputs.accessKeyId);
    const old = await verifyInEmulator(emulator, first.outputs);
    expect(old.code).toBe(1);
    expect(old.stdout).toMatch(/✘ fail +assume-role/);
    expect((await verifyInEmulator(emulator, third.outputs)).code).toBe(0);
  });

  it("a re-deploy with unchanged settings keeps every resource (no new key)", async () => {
    const first = await deployInEmulator(emulator, []);
    const again = await deployInEmulator(emulator, [], first.resources);
    expect(again.deleted).toEqual([]);
    expect(again.outputs.accessKeyId).toBe(first.outputs.accessKeyId);
    expect(emulator.state.listAccessKeys("vod")).toHaveLength(1);
  });
});

describe("pgpKey", () => {
  it("exports only the PGP-encrypted secret, which the private key decrypts to the user's AccessKey secret", async () => {
    const openpgp = await import("openpgp");
    const { privateKey, publicKey } = await openpgp.generateKey({
      type: "ecc",
      curve: "curve25519Legacy",
      userIDs: [{ name: "vod-sts test" }],
      format: "binary",
    });
    const { outputs } = await deployInEmulator(emulator, [
      `pgpKey=${Buffer.from(publicKey).toString("base64")}`,
    ]);
    expect(outputs.accessKeySecret).toBeUndefined();
    const message = await openpgp.readMessage({
      binaryMessage: Buffer.from(String(outputs.accessKeyEncryptedSecret), "base64"),
    });
    const { data } = await openpgp.decrypt({
      message,
      decryptionKeys: await openpgp.readPrivateKey({ binaryKey: privateKey }),
    });
    expect(data).toBe(emulator.state.getAccessKey(String(outputs.accessKeyId))!.accessKeySecret);
    expect(outputs.accessKeyFingerprint).toBe(
      (await openpgp.readKey({ binaryKey: publicKey })).getFingerprint(),
    );
  });
});

describe("session policy for token vending", () => {
  it("--policy preset:upload narrows a full-access role's token to the upload actions", async () => {
    const { outputs } = await deployInEmulator(emulator, []);
    const run = await verifyInEmulator(emulator, outputs, ["--policy", "preset:upload"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/✔ pass +vod-access .*VOD allowed vod:RefreshUploadVideo/);
  });

  it("a session policy cannot add what the role lacks: preset:play on an upload-only role fails vod-access", async () => {
    const { outputs } = await deployInEmulator(emulator, ["rolePolicies=upload"]);
    const run = await verifyInEmulator(emulator, outputs, ["--policy", "preset:play"]);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/✘ fail +vod-access .*or the --policy session policy does not allow/);
  });

  it.each([
    [
      "preset:stream",
      '--policy "preset:stream": unknown preset stream; allowed: preset:<full|readonly|upload|play>[,…]',
    ],
    ["preset:,", '--policy "preset:,": no preset; allowed: preset:<full|readonly|upload|play>[,…]'],
  ])("--policy %s is refused with exit 2", async (policy, message) => {
    const { outputs } = await deployInEmulator(emulator, []);
    const run = await verifyInEmulator(emulator, outputs, ["--policy", policy]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(message);
  });
});
