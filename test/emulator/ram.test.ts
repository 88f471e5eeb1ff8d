import * as $Ram from "@alicloud/ram20150501";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startEmulator, type Emulator } from "../../emulator";
import { popClient, ramClient, sdkError, stsClient } from "./clients";
import { trustPolicyFor } from "./recipe";

let emulator: Emulator;
let ram: ReturnType<typeof ramClient>;
beforeEach(async () => {
  emulator = await startEmulator();
  ram = ramClient(emulator.endpoint, emulator.rootCredentials);
});
afterEach(async () => {
  await emulator.close();
});

const createUser = (userName: string) => ram.createUser(new $Ram.CreateUserRequest({ userName }));
const createRole = (roleName: string, maxSessionDuration?: number) =>
  ram.createRole(
    new $Ram.CreateRoleRequest({
      roleName,
      maxSessionDuration,
      assumeRolePolicyDocument: trustPolicyFor([`acs:ram::${emulator.accountId}:root`]),
    }),
  );

describe("RAM users", () => {
  it("creates a user and returns it from GetUser with a numeric UserId and a YYYY-MM-DDTHH:MM:SSZ CreateDate", async () => {
    const created = (
      await ram.createUser(new $Ram.CreateUserRequest({ userName: "vod", displayName: "VOD uploader" }))
    ).body!.user!;
    const fetched = (await ram.getUser(new $Ram.GetUserRequest({ userName: "vod" }))).body!.user!;
    expect([fetched.userName, fetched.displayName, fetched.userId]).toEqual([
      "vod",
      "VOD uploader",
      created.userId,
    ]);
    expect(fetched.userId).toMatch(/^\d{16,19}$/);
    expect(fetched.createDate).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
  });

  it("answers 409 EntityAlreadyExists.User for a second user of the same name (any case)", async () => {
    await createUser("vod");
    const error = await sdkError(createUser("VOD"));
    expect([error.statusCode, error.code]).toEqual([409, "EntityAlreadyExists.User"]);
  });

  it("answers 404 EntityNotExist.User with the documented message", async () => {
    const error = await sdkError(ram.getUser(new $Ram.GetUserRequest({ userName: "ghost" })));
    expect([error.statusCode, error.code]).toEqual([404, "EntityNotExist.User"]);
    expect(error.data.Message).toBe("The user does not exist. UserName: ghost");
    expect(error.data.HostId).toBe("ram.aliyuncs.com");
  });

  it.each([
    ["a space", "bad name"],
    ["65 characters", "u".repeat(65)],
    ["a slash", "a/b"],
  ])("refuses a UserName with %s, naming the value and what is allowed", async (_name, userName) => {
    const error = await sdkError(createUser(userName));
    expect([error.statusCode, error.code]).toEqual([400, "InvalidParameter.UserName"]);
    expect(error.data.Message).toContain("allowed: 1-64 letters, digits, . _ -");
  });

  it("answers MissingUserName when UserName is absent", async () => {
    const error = await sdkError(ram.createUser(new $Ram.CreateUserRequest({})));
    expect([error.statusCode, error.code, error.data.Message]).toEqual([
      400,
      "MissingUserName",
      "UserName is mandatory for this action.",
    ]);
  });

  it("refuses DeleteUser with DeleteConflict.User.AccessKey, then DeleteConflict.User.Policy, then deletes", async () => {
    await createUser("vod");
    const key = (await ram.createAccessKey(new $Ram.CreateAccessKeyRequest({ userName: "vod" }))).body!
      .accessKey!;
    await ram.attachPolicyToUser(
      new $Ram.AttachPolicyToUserRequest({
        userName: "vod",
        policyType: "System",
        policyName: "AliyunSTSAssumeRoleAccess",
      }),
    );
    const del = () => ram.deleteUser(new $Ram.DeleteUserRequest({ userName: "vod" }));
    expect([(await sdkError(del())).statusCode, (await sdkError(del())).code]).toEqual([
      409,
      "DeleteConflict.User.AccessKey",
    ]);
    await ram.deleteAccessKey(
      new $Ram.DeleteAccessKeyRequest({ userName: "vod", userAccessKeyId: key.accessKeyId }),
    );
    expect((await sdkError(del())).code).toBe("DeleteConflict.User.Policy");
    await ram.detachPolicyFromUser(
      new $Ram.DetachPolicyFromUserRequest({
        userName: "vod",
        policyType: "System",
        policyName: "AliyunSTSAssumeRoleAccess",
      }),
    );
    await del();
    expect(emulator.state.getUser("vod")).toBeUndefined();
  });

  it("lists users", async () => {
    await createUser("a1");
    await createUser("b2");
    const users = (await ram.listUsers(new $Ram.ListUsersRequest({}))).body!.users!.user!.map(
      (u) => u.userName,
    );
    expect(users).toEqual(["a1", "b2"]);
  });
});

describe("RAM AccessKeys", () => {
  it("creates an Active LTAI… key with a 30-character secret and lists it without the secret", async () => {
    await createUser("vod");
    const key = (await ram.createAccessKey(new $Ram.CreateAccessKeyRequest({ userName: "vod" }))).body!
      .accessKey!;
    expect(key.accessKeyId).toMatch(/^LTAI[A-Za-z0-9]{20}$/);
    expect(key.accessKeySecret).toMatch(/^[A-Za-z0-9]{30}$/);
    expect(key.status).toBe("Active");
    const listed = (await ram.listAccessKeys(new $Ram.ListAccessKeysRequest({ userName: "vod" }))).body!
      .accessKeys!.accessKey!;
    expect(listed.map((k) => [k.accessKeyId, k.status])).toEqual([[key.accessKeyId, "Active"]]);
    expect(JSON.stringify(listed)).not.toContain(key.accessKeySecret);
  });

  it("answers 409 LimitExceeded.User.AccessKey for a third key", async () => {
    await createUser("vod");
    const create = () => ram.createAccessKey(new $Ram.CreateAccessKeyRequest({ userName: "vod" }));
    await create();
    await create();
    const error = await sdkError(create());
    expect([error.statusCode, error.code, error.data.Message]).toEqual([
      409,
      "LimitExceeded.User.AccessKey",
      "The access key count of the user access keys beyond the current limits.",
    ]);
  });

  it("refuses UpdateAccessKey with a Status other than Active/Inactive, naming what is allowed", async () => {
    await createUser("vod");
    const key = (await ram.createAccessKey(new $Ram.CreateAccessKeyRequest({ userName: "vod" }))).body!
      .accessKey!;
    const error = await sdkError(
      ram.updateAccessKey(
        new $Ram.UpdateAccessKeyRequest({
          userName: "vod",
          userAccessKeyId: key.accessKeyId,
          status: "Disabled",
        }),
      ),
    );
    expect([error.statusCode, error.code]).toEqual([400, "InvalidParameter.Status"]);
    expect(error.data.Message).toBe(
      'The parameter Status is wrongly formed: "Disabled"; allowed: Active or Inactive.',
    );
  });

  it("answers 404 EntityNotExist.User.AccessKey for another user's key", async () => {
    await createUser("a1");
    await createUser("b2");
    const key = (await ram.createAccessKey(new $Ram.CreateAccessKeyRequest({ userName: "a1" }))).body!
      .accessKey!;
    const error = await sdkError(
      ram.deleteAccessKey(
        new $Ram.DeleteAccessKeyRequest({ userName: "b2", userAccessKeyId: key.accessKeyId }),
      ),
    );
    expect([error.statusCode, error.code]).toEqual([404, "EntityNotExist.User.AccessKey"]);
  });
});

describe("RAM roles", () => {
  it("creates a role with a lower-case ARN, default MaxSessionDuration 3600 and the trust document as sent", async () => {
    const trust = trustPolicyFor([`acs:ram::${emulator.accountId}:root`]);
    const role = (
      await ram.createRole(
        new $Ram.CreateRoleRequest({
          roleName: "VodRole",
          assumeRolePolicyDocument: trust,
          description: "d",
        }),
      )
    ).body!.role!;
    expect([
      role.roleName,
      role.arn,
      role.maxSessionDuration,
      role.assumeRolePolicyDocument,
      role.description,
    ]).toEqual(["VodRole", `acs:ram::${emulator.accountId}:role/vodrole`, 3600, trust, "d"]);
    const fetched = (await ram.getRole(new $Ram.GetRoleRequest({ roleName: "vodrole" }))).body!.role!;
    expect(fetched.roleId).toBe(role.roleId);
  });

  it("answers 409 EntityAlreadyExists.Role and 404 EntityNotExist.Role", async () => {
    await createRole("vodrole");
    expect([
      (await sdkError(createRole("vodrole"))).statusCode,
      (await sdkError(createRole("vodrole"))).code,
    ]).toEqual([409, "EntityAlreadyExists.Role"]);
    const missing = await sdkError(ram.getRole(new $Ram.GetRoleRequest({ roleName: "nope" })));
    expect([missing.statusCode, missing.code]).toEqual([404, "EntityNotExist.Role"]);
  });

  it("refuses MaxSessionDuration outside 3600..43200", async () => {
    const error = await sdkError(createRole("r1", 43201));
    expect([error.statusCode, error.code]).toEqual([400, "InvalidParameter.MaxSessionDuration"]);
    expect(error.data.Message).toContain("an integer 3600..43200");
  });

  it("refuses a trust policy without Principal with 400 MalformedPolicyDocument", async () => {
    const doc = JSON.stringify({ Version: "1", Statement: [{ Effect: "Allow", Action: "sts:AssumeRole" }] });
    const error = await sdkError(
      ram.createRole(new $Ram.CreateRoleRequest({ roleName: "r1", assumeRolePolicyDocument: doc })),
    );
    expect([error.statusCode, error.code]).toEqual([400, "MalformedPolicyDocument"]);
  });

  it("refuses DeleteRole with 409 DeleteConflict.Role.Policy while a policy is attached", async () => {
    await createRole("vodrole");
    await ram.attachPolicyToRole(
      new $Ram.AttachPolicyToRoleRequest({
        roleName: "vodrole",
        policyType: "System",
        policyName: "AliyunVODFullAccess",
      }),
    );
    const error = await sdkError(ram.deleteRole(new $Ram.DeleteRoleRequest({ roleName: "vodrole" })));
    expect([error.statusCode, error.code]).toEqual([409, "DeleteConflict.Role.Policy"]);
    await ram.detachPolicyFromRole(
      new $Ram.DetachPolicyFromRoleRequest({
        roleName: "vodrole",
        policyType: "System",
        policyName: "AliyunVODFullAccess",
      }),
    );
    await ram.deleteRole(new $Ram.DeleteRoleRequest({ roleName: "vodrole" }));
    expect(emulator.state.getRole("vodrole")).toBeUndefined();
  });
});

describe("RAM policies and attachments", () => {
  const allowVod = JSON.stringify({
    Version: "1",
    Statement: [{ Effect: "Allow", Action: "vod:Get*", Resource: "*" }],
  });

  it("creates a custom policy and returns its document from GetPolicy", async () => {
    const created = (
      await ram.createPolicy(
        new $Ram.CreatePolicyRequest({
          policyName: "vod-read",
          policyDocument: allowVod,
          description: "read",
        }),
      )
    ).body!.policy!;
    expect([created.policyName, created.policyType, created.defaultVersion]).toEqual([
      "vod-read",
      "Custom",
      "v1",
    ]);
    const fetched = (
      await ram.getPolicy(new $Ram.GetPolicyRequest({ policyName: "vod-read", policyType: "Custom" }))
    ).body!;
    expect(fetched.policy!.policyDocument).toBe(allowVod);
    expect(fetched.defaultPolicyVersion!.versionId).toBe("v1");
  });

  it("returns the real document of a system policy", async () => {
    const fetched = (
      await ram.getPolicy(
        new $Ram.GetPolicyRequest({ policyName: "AliyunSTSAssumeRoleAccess", policyType: "System" }),
      )
    ).body!;
    expect(JSON.parse(fetched.policy!.policyDocument!)).toEqual({
      Version: "1",
      Statement: [{ Action: "sts:AssumeRole", Effect: "Allow", Resource: "*" }],
    });
  });

  it("refuses a malformed custom policy with 400 MalformedPolicyDocument carrying the reason", async () => {
    const error = await sdkError(
      ram.createPolicy(new $Ram.CreatePolicyRequest({ policyName: "bad", policyDocument: "{not json" })),
    );
    expect([error.statusCode, error.code]).toEqual([400, "MalformedPolicyDocument"]);
    expect(error.data.Message).toBe("The policy document is malformed. Policy document is not valid JSON");
  });

  it("refuses a custom policy over 6144 bytes with LimitExceeded.Policy.Size", async () => {
    const big = JSON.stringify({
      Version: "1",
      Statement: [{ Effect: "Allow", Action: "vod:Get*", Resource: "x".repeat(6200) }],
    });
    const error = await sdkError(
      ram.createPolicy(new $Ram.CreatePolicyRequest({ policyName: "big", policyDocument: big })),
    );
    expect(error.code).toBe("LimitExceeded.Policy.Size");
  });

  it("answers 409 EntityAlreadyExists.Policy and 404 EntityNotExist.Policy", async () => {
    await ram.createPolicy(new $Ram.CreatePolicyRequest({ policyName: "p1", policyDocument: allowVod }));
    expect(
      (
        await sdkError(
          ram.createPolicy(new $Ram.CreatePolicyRequest({ policyName: "p1", policyDocument: allowVod })),
        )
      ).code,
    ).toBe("EntityAlreadyExists.Policy");
    await createUser("vod");
    const missing = await sdkError(
      ram.attachPolicyToUser(
        new $Ram.AttachPolicyToUserRequest({ userName: "vod", policyType: "Custom", policyName: "nope" }),
      ),
    );
    expect([missing.statusCode, missing.code]).toEqual([404, "EntityNotExist.Policy"]);
  });

  it("attaches once, lists the attachment, refuses a duplicate with 409 and a stray detach with 404", async () => {
    await createUser("vod");
    const attach = () =>
      ram.attachPolicyToUser(
        new $Ram.AttachPolicyToUserRequest({
          userName: "vod",
          policyType: "System",
          policyName: "AliyunSTSAssumeRoleAccess",
        }),
      );
    await attach();
    expect((await sdkError(attach())).code).toBe("EntityAlreadyExists.User.Policy");
    const listed = (await ram.listPoliciesForUser(new $Ram.ListPoliciesForUserRequest({ userName: "vod" })))
      .body!.policies!.policy!;
    expect(listed.map((p) => [p.policyName, p.policyType])).toEqual([
      ["AliyunSTSAssumeRoleAccess", "System"],
    ]);
    const stray = await sdkError(
      ram.detachPolicyFromUser(
        new $Ram.DetachPolicyFromUserRequest({
          userName: "vod",
          policyType: "System",
          policyName: "AliyunVODFullAccess",
        }),
      ),
    );
    expect([stray.statusCode, stray.code]).toEqual([404, "EntityNotExist.User.Policy"]);
  });

  it("refuses DeletePolicy of an attached policy unless CascadingDelete is true", async () => {
    await ram.createPolicy(new $Ram.CreatePolicyRequest({ policyName: "p1", policyDocument: allowVod }));
    await createRole("vodrole");
    await ram.attachPolicyToRole(
      new $Ram.AttachPolicyToRoleRequest({ roleName: "vodrole", policyType: "Custom", policyName: "p1" }),
    );
    const error = await sdkError(ram.deletePolicy(new $Ram.DeletePolicyRequest({ policyName: "p1" })));
    expect([error.statusCode, error.code]).toEqual([409, "DeleteConflict.Policy.Attachment"]);
    await ram.deletePolicy(new $Ram.DeletePolicyRequest({ policyName: "p1", cascadingDelete: true }));
    expect(emulator.state.attachmentsOf("Role", "vodrole")).toEqual([]);
  });

  it("refuses a PolicyType other than System/Custom", async () => {
    await createUser("vod");
    const error = await sdkError(
      ram.attachPolicyToUser(
        new $Ram.AttachPolicyToUserRequest({ userName: "vod", policyType: "Managed", policyName: "x" }),
      ),
    );
    expect([error.statusCode, error.code]).toEqual([400, "InvalidParameter.PolicyType"]);
  });
});

describe("RAM authorization", () => {
  it("refuses a RAM user without RAM permissions with 403 NoPermission, and allows it with AliyunRAMFullAccess", async () => {
    await createUser("ops");
    const key = (await ram.createAccessKey(new $Ram.CreateAccessKeyRequest({ userName: "ops" }))).body!
      .accessKey!;
    const opsKey = { accessKeyId: key.accessKeyId!, accessKeySecret: key.accessKeySecret! };
    const asOps = ramClient(emulator.endpoint, opsKey, { signatureAlgorithm: "v2" });
    const error = await sdkError(asOps.createUser(new $Ram.CreateUserRequest({ userName: "x1" })));
    expect([error.statusCode, error.code]).toEqual([403, "NoPermission"]);
    expect(error.data.AccessDeniedDetail).toMatchObject({
      AuthAction: "ram:CreateUser",
      AuthPrincipalType: "SubUser",
    });
    await ram.attachPolicyToUser(
      new $Ram.AttachPolicyToUserRequest({
        userName: "ops",
        policyType: "System",
        policyName: "AliyunRAMFullAccess",
      }),
    );
    expect(
      (await asOps.createUser(new $Ram.CreateUserRequest({ userName: "x1" }))).body!.user!.userName,
    ).toBe("x1");
  });

  it("serves RAM through pop-core's V1 POST form signing", async () => {
    const pop = popClient(emulator.endpoint, emulator.rootCredentials, "2015-05-01");
    const body = await pop.request(
      "CreateUser",
      { UserName: "pop-user", Comments: "made with + & spaces" },
      { method: "POST" },
    );
    expect((body.User as { UserName: string }).UserName).toBe("pop-user");
    expect(emulator.state.getUser("pop-user")!.comments).toBe("made with + & spaces");
  });

  it("lets a RAM user create its own AccessKey when UserName is omitted", async () => {
    await createUser("self");
    await ram.attachPolicyToUser(
      new $Ram.AttachPolicyToUserRequest({
        userName: "self",
        policyType: "System",
        policyName: "AliyunRAMFullAccess",
      }),
    );
    const first = (await ram.createAccessKey(new $Ram.CreateAccessKeyRequest({ userName: "self" }))).body!
      .accessKey!;
    const asSelf = ramClient(emulator.endpoint, {
      accessKeyId: first.accessKeyId!,
      accessKeySecret: first.accessKeySecret!,
    });
    await asSelf.createAccessKey(new $Ram.CreateAccessKeyRequest({}));
    expect(emulator.state.listAccessKeys("self")).toHaveLength(2);
    const who = await stsClient(emulator.endpoint, {
      accessKeyId: first.accessKeyId!,
      accessKeySecret: first.accessKeySecret!,
    }).getCallerIdentity();
    expect(who.body!.arn).toBe(`acs:ram::${emulator.accountId}:user/self`);
  });
});
