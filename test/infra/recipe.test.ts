import { describe, expect, it } from "vitest";
import { TEST_ACCOUNT_ID, parseJson, runMockProgram } from "../helpers/program";

const USER = "alicloud:ram/user:User";
const KEY = "alicloud:ram/accessKey:AccessKey";
const ROLE = "alicloud:ram/role:Role";
const USER_ATTACH = "alicloud:ram/userPolicyAttachment:UserPolicyAttachment";
const ROLE_ATTACH = "alicloud:ram/rolePolicyAttachment:RolePolicyAttachment";

describe("the defaults alone reproduce the recipe", () => {
  it("creates exactly a user, one AccessKey, the role and two system-policy attachments", async () => {
    const run = await runMockProgram();
    const alicloud = run.resources.filter((r) => r.type.startsWith("alicloud:")).map((r) => r.type);
    expect(alicloud.sort()).toEqual([KEY, ROLE, ROLE_ATTACH, USER, USER_ATTACH].sort());
  });

  it("names the RAM user exactly `vod` and gives it no console login profile", async () => {
    const run = await runMockProgram();
    expect(run.ofType(USER).map((u) => u.inputs.name)).toEqual(["vod"]);
    expect(run.ofType("alicloud:ram/loginProfile:LoginProfile")).toEqual([]);
  });

  it("creates the AccessKey for that user, without secretFile or PGP key", async () => {
    const run = await runMockProgram();
    const [key] = run.ofType(KEY);
    expect(key.inputs).toEqual({ userName: "vod" });
  });

  it("grants the user AliyunSTSAssumeRoleAccess as a System policy", async () => {
    const run = await runMockProgram();
    expect(run.ofType(USER_ATTACH).map((a) => a.inputs)).toEqual([
      { policyName: "AliyunSTSAssumeRoleAccess", policyType: "System", userName: "vod" },
    ]);
  });

  it("creates the role `vodrole` with roleName (not the deprecated name/document) and a 3600 s session limit", async () => {
    const run = await runMockProgram();
    const [role] = run.ofType(ROLE);
    expect(role.inputs.roleName).toBe("vodrole");
    expect(role.inputs.maxSessionDuration).toBe(3600);
    expect(role.inputs.name).toBeUndefined();
    expect(role.inputs.document).toBeUndefined();
  });

  it("trusts only the created user by default", async () => {
    const run = await runMockProgram();
    expect(parseJson(run.ofType(ROLE)[0].inputs.assumeRolePolicyDocument)).toEqual({
      Version: "1",
      Statement: [
        {
          Effect: "Allow",
          Action: "sts:AssumeRole",
          Principal: { RAM: [`acs:ram::${TEST_ACCOUNT_ID}:user/vod`] },
        },
      ],
    });
  });

  it("grants the role AliyunVODFullAccess as a System policy at account scope", async () => {
    const run = await runMockProgram();
    expect(run.ofType(ROLE_ATTACH).map((a) => a.inputs)).toEqual([
      { policyName: "AliyunVODFullAccess", policyType: "System", roleName: "vodrole" },
    ]);
    expect(run.ofType("alicloud:resourcemanager/policyAttachment:PolicyAttachment")).toEqual([]);
  });

  it("parents every resource to the VodStsAccess component and names it from the component", async () => {
    const run = await runMockProgram();
    const children = run.resources.filter((r) => r.type.startsWith("alicloud:"));
    expect(children.every((r) => r.name.startsWith("vod-sts-"))).toBe(true);
    expect(run.resources.filter((r) => r.type === "vod-sts:index:VodStsAccess").map((r) => r.name)).toEqual([
      "vod-sts",
    ]);
  });
});

describe("stack outputs", () => {
  it("export the contract's values: account, user, key, role ARN, region and scope", async () => {
    const run = await runMockProgram();
    const [key] = run.ofType(KEY);
    expect(run.outputs).toEqual({
      accountId: TEST_ACCOUNT_ID,
      userName: "vod",
      accessKeyId: key.id,
      accessKeySecret: "mock-secret-of-vod-sts-key-primary",
      roleName: "vodrole",
      roleArn: `acs:ram::${TEST_ACCOUNT_ID}:role/vodrole`,
      region: "cn-shanghai",
      rolePolicyScope: "account",
    });
  });

  it("mark the AccessKey secret, and only it, as a Pulumi secret", async () => {
    const run = await runMockProgram();
    expect([...run.secretOutputs]).toEqual(["accessKeySecret"]);
  });

  it("take the region from alicloud:region", async () => {
    const run = await runMockProgram(["alicloud:region=cn-beijing"]);
    expect(run.outputs.region).toBe("cn-beijing");
  });
});

describe("names and limits from config", () => {
  it("uses the configured user and role names, description and session duration", async () => {
    const run = await runMockProgram([
      "userName=video.uploader",
      "roleName=video-role",
      "roleDescription=uploads",
      "maxSessionDuration=43200",
    ]);
    expect(run.ofType(USER)[0].inputs.name).toBe("video.uploader");
    expect(run.ofType(ROLE)[0].inputs).toMatchObject({
      roleName: "video-role",
      description: "uploads",
      maxSessionDuration: 43200,
    });
    expect(run.ofType(USER_ATTACH)[0].inputs.userName).toBe("video.uploader");
    expect(run.ofType(ROLE_ATTACH)[0].inputs.roleName).toBe("video-role");
  });

  it("tags the user and the role", async () => {
    const run = await runMockProgram(["tags=team=video,env=dev"]);
    expect(run.ofType(USER)[0].inputs.tags).toEqual({ team: "video", env: "dev" });
    expect(run.ofType(ROLE)[0].inputs.tags).toEqual({ team: "video", env: "dev" });
  });
});
