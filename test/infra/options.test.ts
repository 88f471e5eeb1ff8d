import { describe, expect, it } from "vitest";
import { TEST_ACCOUNT_ID, parseJson, runMockProgram } from "../helpers/program";

const ROLE = "alicloud:ram/role:Role";
const POLICY = "alicloud:ram/policy:Policy";
const USER_ATTACH = "alicloud:ram/userPolicyAttachment:UserPolicyAttachment";
const ROLE_ATTACH = "alicloud:ram/rolePolicyAttachment:RolePolicyAttachment";
const RG_ATTACH = "alicloud:resourcemanager/policyAttachment:PolicyAttachment";
const KEY = "alicloud:ram/accessKey:AccessKey";

const trustOf = async (overrides: string[]) =>
  parseJson((await runMockProgram(overrides)).ofType(ROLE)[0].inputs.assumeRolePolicyDocument);

const OTHER = "9876543210987654";

describe("trust: who may assume the role", () => {
  it.each([
    ["user", [`acs:ram::${TEST_ACCOUNT_ID}:user/vod`]],
    ["account", [`acs:ram::${TEST_ACCOUNT_ID}:root`]],
    [OTHER, [`acs:ram::${OTHER}:root`]],
    [`acs:ram::${OTHER}:role/uploader`, [`acs:ram::${OTHER}:role/uploader`]],
    [`acs:ram::${OTHER}:user/alice`, [`acs:ram::${OTHER}:user/alice`]],
    [
      `user,account,${OTHER}`,
      [`acs:ram::${TEST_ACCOUNT_ID}:root`, `acs:ram::${TEST_ACCOUNT_ID}:user/vod`, `acs:ram::${OTHER}:root`],
    ],
  ])("trust=%s names exactly %j in one Allow statement", async (trust, principals) => {
    expect(await trustOf([`trust=${trust}`])).toEqual({
      Version: "1",
      Statement: [{ Effect: "Allow", Action: "sts:AssumeRole", Principal: { RAM: principals } }],
    });
  });

  it("adds an ExternalId condition and a source-IP condition to the trust statement", async () => {
    const doc = (await trustOf([
      "trust=account",
      "externalId=partner-42",
      "allowedSourceIps=203.0.113.0/24,10.0.0.1",
    ])) as {
      Statement: { Condition: unknown }[];
    };
    expect(doc.Statement[0].Condition).toEqual({
      IpAddress: { "acs:SourceIp": ["203.0.113.0/24", "10.0.0.1"] },
      StringEquals: { "sts:ExternalId": "partner-42" },
    });
  });

  it("serialises the trust document in one canonical form: sorted principals, fixed key order", async () => {
    const run = await runMockProgram([`trust=account,user`]);
    expect(run.ofType(ROLE)[0].inputs.assumeRolePolicyDocument).toBe(
      `{"Version":"1","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole","Principal":{"RAM":["acs:ram::${TEST_ACCOUNT_ID}:root","acs:ram::${TEST_ACCOUNT_ID}:user/vod"]}}]}`,
    );
  });
});

describe("role policies", () => {
  it.each([
    ["full", "AliyunVODFullAccess"],
    ["readonly", "AliyunVODReadOnlyAccess"],
    ["upload", "AliyunVODUploadAuth"],
    ["play", "AliyunVODPlayAuth"],
  ])("the VOD preset %s attaches the system policy %s", async (preset, policy) => {
    const run = await runMockProgram([`rolePolicies=${preset}`]);
    expect(run.ofType(ROLE_ATTACH).map((a) => a.inputs)).toEqual([
      { policyName: policy, policyType: "System", roleName: "vodrole" },
    ]);
  });

  it("combines presets: upload and play attach both policies", async () => {
    const run = await runMockProgram(["rolePolicies=upload,play"]);
    expect(run.ofType(ROLE_ATTACH).map((a) => a.inputs.policyName)).toEqual([
      "AliyunVODUploadAuth",
      "AliyunVODPlayAuth",
    ]);
  });

  it("creates a custom policy from a JSON document and attaches it as Custom", async () => {
    const doc = {
      Version: "1",
      Statement: [{ Effect: "Allow", Action: ["vod:GetCategories"], Resource: "*" }],
    };
    const run = await runMockProgram([`rolePolicies=${JSON.stringify([JSON.stringify(doc)])}`]);
    const [policy] = run.ofType(POLICY);
    expect(policy.inputs.policyName).toBe("vodrole-custom-1");
    expect(parseJson(policy.inputs.policyDocument)).toEqual(doc);
    expect(run.ofType(ROLE_ATTACH).map((a) => a.inputs)).toEqual([
      { policyName: "vodrole-custom-1", policyType: "Custom", roleName: "vodrole" },
    ]);
  });

  it("at resource-group scope, attaches through resourcemanager.PolicyAttachment to the role's service-role principal", async () => {
    const run = await runMockProgram(["rolePolicyScope=rg-aek2abc3def4"]);
    expect(run.ofType(ROLE_ATTACH)).toEqual([]);
    expect(run.ofType(RG_ATTACH).map((a) => a.inputs)).toEqual([
      {
        policyName: "AliyunVODFullAccess",
        policyType: "System",
        principalType: "ServiceRole",
        principalName: `vodrole@role.${TEST_ACCOUNT_ID}.onaliyunservice.com`,
        resourceGroupId: "rg-aek2abc3def4",
      },
    ]);
    expect(run.outputs.rolePolicyScope).toBe("rg-aek2abc3def4");
  });

  it("accepts a high-risk policy only with allowHighRiskPolicies=true", async () => {
    const run = await runMockProgram(["rolePolicies=AdministratorAccess", "allowHighRiskPolicies=true"]);
    expect(run.ofType(ROLE_ATTACH).map((a) => a.inputs.policyName)).toEqual(["AdministratorAccess"]);
  });
});

describe("user permissions", () => {
  it("assumeRolePermission=scoped replaces AliyunSTSAssumeRoleAccess with AssumeRole on this role's ARN only", async () => {
    const run = await runMockProgram(["assumeRolePermission=scoped"]);
    const [policy] = run.ofType(POLICY);
    expect(parseJson(policy.inputs.policyDocument)).toEqual({
      Version: "1",
      Statement: [
        { Effect: "Allow", Action: "sts:AssumeRole", Resource: `acs:ram::${TEST_ACCOUNT_ID}:role/vodrole` },
      ],
    });
    expect(run.ofType(USER_ATTACH).map((a) => a.inputs)).toEqual([
      { policyName: "vod-assume-vodrole", policyType: "Custom", userName: "vod" },
    ]);
  });
});

describe("access keys", () => {
  it("two labels create two keys for the user and the outputs name the newest (last) one", async () => {
    const run = await runMockProgram(["accessKeys=primary,next"]);
    const keys = run.ofType(KEY);
    expect(keys.map((k) => k.name)).toEqual(["vod-sts-key-primary", "vod-sts-key-next"]);
    expect(run.outputs.accessKeyId).toBe(keys[1].id);
    expect(run.outputs.accessKeySecret).toBe("mock-secret-of-vod-sts-key-next");
  });

  it("with pgpKey, passes it to the key and exports only the encrypted secret and fingerprint", async () => {
    const pgp = "mQENBF" + "A".repeat(80);
    const run = await runMockProgram([`pgpKey=${pgp}`]);
    expect(run.ofType(KEY)[0].inputs).toEqual({ userName: "vod", pgpKey: pgp });
    expect(run.outputs.accessKeySecret).toBeUndefined();
    expect(run.outputs.accessKeyEncryptedSecret).toBe("wcBMA-encrypted");
    expect(run.outputs.accessKeyFingerprint).toBe("ab:cd");
  });
});
