import * as $Ram from "@alicloud/ram20150501";
import * as $Sts from "@alicloud/sts20150401";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { callVod, ramClient, sdkError, stsClient, type ClientOptions } from "./clients";
import { assumeRole, setUpRecipe, trustPolicyFor, type Recipe } from "./recipe";

let recipe: Recipe;
beforeEach(async () => {
  recipe = await setUpRecipe();
});
afterEach(async () => {
  await recipe.emulator.close();
});

const signatures: [string, ClientOptions][] = [
  ["ACS3-HMAC-SHA256 (default)", {}],
  ["HMAC-SHA1 (signatureAlgorithm v2)", { signatureAlgorithm: "v2" }],
];

describe.each(signatures)("STS AssumeRole with %s", (_name, options) => {
  it("returns credentials shaped like Alibaba's: STS. key, 44-char secret, CAIS token, second-precision expiry", async () => {
    const response = await stsClient(recipe.emulator.endpoint, recipe.userKey, options).assumeRole(
      new $Sts.AssumeRoleRequest({
        roleArn: recipe.roleArn,
        roleSessionName: "alice@example.com",
        durationSeconds: 900,
      }),
    );
    const body = response.body!;
    expect(body.credentials!.accessKeyId).toMatch(/^STS\.[A-Za-z0-9]{25}$/);
    expect(body.credentials!.accessKeySecret).toHaveLength(44);
    expect(body.credentials!.securityToken).toMatch(/^CAIS/);
    expect(body.credentials!.expiration).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    const lifetimeMs = Date.parse(body.credentials!.expiration!) - Date.now();
    expect(Math.round(lifetimeMs / 1000 / 60)).toBe(15);
    expect(body.assumedRoleUser!.arn).toBe(
      `acs:ram::${recipe.emulator.accountId}:role/vodrole/alice@example.com`,
    );
    const roleId = recipe.emulator.state.getRole("vodrole")!.roleId;
    expect(body.assumedRoleUser!.assumedRoleId).toBe(`${roleId}:alice@example.com`);
    expect(body.requestId).toMatch(/^[0-9A-F-]{36}$/);
  });

  it("lets the temporary credentials call GetCallerIdentity as the assumed role", async () => {
    const temporary = await assumeRole(recipe, { roleSessionName: "probe" }, options);
    const identity = (await stsClient(recipe.emulator.endpoint, temporary, options).getCallerIdentity())
      .body!;
    const roleId = recipe.emulator.state.getRole("vodrole")!.roleId;
    expect(identity.identityType).toBe("AssumedRoleUser");
    expect(identity.arn).toBe(`acs:ram::${recipe.emulator.accountId}:assumed-role/vodrole/probe`);
    expect(identity.principalId).toBe(`${roleId}:probe`);
    expect(identity.roleId).toBe(roleId);
    expect(identity.accountId).toBe(recipe.emulator.accountId);
  });
});

describe("STS AssumeRole parameter rules (reference §2–§3)", () => {
  const cases: [string, Partial<$Sts.AssumeRoleRequest>, number, string, string][] = [
    [
      "RoleArn malformed",
      { roleArn: "arn:aws:iam::1:role/x" },
      400,
      "InvalidParameter.RoleArn",
      "The parameter RoleArn is wrongly formed.",
    ],
    [
      "RoleSessionName of 1 char",
      { roleSessionName: "a" },
      400,
      "InvalidParameter.RoleSessionName",
      "The parameter RoleSessionName is wrongly formed.",
    ],
    [
      "RoleSessionName of 65 chars",
      { roleSessionName: "a".repeat(65) },
      400,
      "InvalidParameter.RoleSessionName",
      "The parameter RoleSessionName is wrongly formed.",
    ],
    [
      "RoleSessionName with a space",
      { roleSessionName: "a b" },
      400,
      "InvalidParameter.RoleSessionName",
      "The parameter RoleSessionName is wrongly formed.",
    ],
    [
      "DurationSeconds 899",
      { durationSeconds: 899 },
      400,
      "InvalidParameter.DurationSeconds",
      "The Min/Max value of DurationSeconds is 15min/1hr.",
    ],
    [
      "DurationSeconds above the role maximum",
      { durationSeconds: 3601 },
      400,
      "InvalidParameter.DurationSeconds",
      "The Min/Max value of DurationSeconds is 15min/1hr.",
    ],
    [
      "ExternalId of 1 char",
      { externalId: "x" },
      400,
      "InvalidParameter.ExternalId",
      "The parameter ExternalId is wrongly formed.",
    ],
    [
      "ExternalId with a space",
      { externalId: "ab cd" },
      400,
      "InvalidParameter.ExternalId",
      "The parameter ExternalId is wrongly formed.",
    ],
    [
      "Policy over 2048 bytes",
      { policy: " ".repeat(2049) },
      400,
      "InvalidParameter.PolicySize",
      "The size of Policy must be smaller than 2048 bytes.",
    ],
  ];
  it.each(cases)("%s → HTTP %i %s", async (_name, request, status, code, message) => {
    const error = await sdkError(assumeRole(recipe, request));
    expect(error.statusCode).toBe(status);
    expect(error.code).toBe(code);
    expect(error.data.Message).toBe(message);
    expect(error.data.HostId).toBe("sts.aliyuncs.com");
  });

  it("refuses a session policy that fails the grammar with InvalidParameter.PolicyGrammar", async () => {
    const error = await sdkError(
      assumeRole(recipe, { policy: '{"Version":"1","Statement":[{"Effect":"allow"}]}' }),
    );
    expect([error.statusCode, error.code]).toEqual([400, "InvalidParameter.PolicyGrammar"]);
    expect(String(error.data.Message)).toMatch(/^The parameter Policy has not passed grammar check\./);
  });

  it("refuses SourceIdentity starting with acs: and echoes a valid one", async () => {
    const error = await sdkError(assumeRole(recipe, { sourceIdentity: "acs:me" }));
    expect(error.code).toBe("InvalidParameter.SourceIdentity");
    const response = await stsClient(recipe.emulator.endpoint, recipe.userKey).assumeRole(
      new $Sts.AssumeRoleRequest({ roleArn: recipe.roleArn, roleSessionName: "s1", sourceIdentity: "alice" }),
    );
    expect(response.body!.sourceIdentity).toBe("alice");
  });

  it("answers MissingRoleArn when RoleArn is absent", async () => {
    const error = await sdkError(
      stsClient(recipe.emulator.endpoint, recipe.userKey).assumeRole(
        new $Sts.AssumeRoleRequest({ roleSessionName: "s1" }),
      ),
    );
    expect([error.statusCode, error.code, error.data.Message]).toEqual([
      400,
      "MissingRoleArn",
      "RoleArn is mandatory for this action.",
    ]);
  });

  it("accepts DurationSeconds up to a role's longer MaxSessionDuration and states that maximum beyond it", async () => {
    await ramClient(recipe.emulator.endpoint, recipe.emulator.rootCredentials).updateRole(
      new $Ram.UpdateRoleRequest({ roleName: "vodrole", newMaxSessionDuration: 7200 }),
    );
    const ok = await assumeRole(recipe, { durationSeconds: 7200 });
    expect(Math.round((Date.parse(ok.expiration) - Date.now()) / 60000)).toBe(120);
    const error = await sdkError(assumeRole(recipe, { durationSeconds: 7201 }));
    expect(error.data.Message).toBe("The Min/Max value of DurationSeconds is 15min/2hr.");
  });
});

describe("STS AssumeRole authorization", () => {
  it("answers 404 EntityNotExist.Role for a role that does not exist", async () => {
    const error = await sdkError(
      assumeRole(recipe, { roleArn: `acs:ram::${recipe.emulator.accountId}:role/nosuchrole` }),
    );
    expect([error.statusCode, error.code, error.data.Message]).toEqual([
      404,
      "EntityNotExist.Role",
      "The specified Role not exists .",
    ]);
  });

  it("matches the role name in the ARN case-insensitively", async () => {
    const temporary = await assumeRole(recipe, {
      roleArn: `acs:ram::${recipe.emulator.accountId}:role/VodRole`,
    });
    expect(temporary.accessKeyId).toMatch(/^STS\./);
  });

  it("answers 403 NoPermission with AccessDeniedDetail when the user lacks sts:AssumeRole", async () => {
    const ram = ramClient(recipe.emulator.endpoint, recipe.emulator.rootCredentials);
    await ram.detachPolicyFromUser(
      new $Ram.DetachPolicyFromUserRequest({
        userName: "vod",
        policyType: "System",
        policyName: "AliyunSTSAssumeRoleAccess",
      }),
    );
    const error = await sdkError(assumeRole(recipe));
    expect([error.statusCode, error.code]).toEqual([403, "NoPermission"]);
    expect(error.data.Message).toBe(
      "You are not authorized to do this action. You should be authorized by RAM.",
    );
    expect(error.data.AccessDeniedDetail).toMatchObject({
      AuthAction: "sts:AssumeRole",
      NoPermissionType: "ImplicitDeny",
      AuthPrincipalDisplayName: "vod",
    });
  });

  it("answers NoPermission (ExplicitDeny) when a custom policy denies AssumeRole on this role", async () => {
    const ram = ramClient(recipe.emulator.endpoint, recipe.emulator.rootCredentials);
    const deny = {
      Version: "1",
      Statement: [{ Effect: "Deny", Action: "sts:AssumeRole", Resource: recipe.roleArn }],
    };
    await ram.createPolicy(
      new $Ram.CreatePolicyRequest({ policyName: "deny-vodrole", policyDocument: JSON.stringify(deny) }),
    );
    await ram.attachPolicyToUser(
      new $Ram.AttachPolicyToUserRequest({
        userName: "vod",
        policyType: "Custom",
        policyName: "deny-vodrole",
      }),
    );
    const error = await sdkError(assumeRole(recipe));
    expect(error.code).toBe("NoPermission");
    expect(error.data.AccessDeniedDetail).toMatchObject({ NoPermissionType: "ExplicitDeny" });
  });

  it("answers NoPermission when the trust policy does not name the caller", async () => {
    const ram = ramClient(recipe.emulator.endpoint, recipe.emulator.rootCredentials);
    await ram.updateRole(
      new $Ram.UpdateRoleRequest({
        roleName: "vodrole",
        newAssumeRolePolicyDocument: trustPolicyFor([
          `acs:ram::${recipe.emulator.accountId}:user/someone-else`,
        ]),
      }),
    );
    const error = await sdkError(assumeRole(recipe));
    expect([error.statusCode, error.code]).toEqual([403, "NoPermission"]);
  });

  it("lets any RAM user of the account assume a role that trusts the account root", async () => {
    const ram = ramClient(recipe.emulator.endpoint, recipe.emulator.rootCredentials);
    await ram.updateRole(
      new $Ram.UpdateRoleRequest({
        roleName: "vodrole",
        newAssumeRolePolicyDocument: trustPolicyFor([`acs:ram::${recipe.emulator.accountId}:root`]),
      }),
    );
    expect((await assumeRole(recipe)).accessKeyId).toMatch(/^STS\./);
  });

  it("enforces an sts:ExternalId condition of the trust policy", async () => {
    const ram = ramClient(recipe.emulator.endpoint, recipe.emulator.rootCredentials);
    const trust = trustPolicyFor([`acs:ram::${recipe.emulator.accountId}:user/vod`], {
      StringEquals: { "sts:ExternalId": "abcd-1234" },
    });
    await ram.updateRole(
      new $Ram.UpdateRoleRequest({ roleName: "vodrole", newAssumeRolePolicyDocument: trust }),
    );
    expect((await sdkError(assumeRole(recipe))).code).toBe("NoPermission");
    expect((await sdkError(assumeRole(recipe, { externalId: "other" }))).code).toBe("NoPermission");
    expect((await assumeRole(recipe, { externalId: "abcd-1234" })).accessKeyId).toMatch(/^STS\./);
  });

  it("refuses AssumeRole by the root account with NoPermission", async () => {
    const error = await sdkError(
      stsClient(recipe.emulator.endpoint, recipe.emulator.rootCredentials).assumeRole(
        new $Sts.AssumeRoleRequest({ roleArn: recipe.roleArn, roleSessionName: "root" }),
      ),
    );
    expect([error.statusCode, error.code]).toEqual([403, "NoPermission"]);
  });

  it("limits a session to the intersection of the role's policies and the session policy", async () => {
    const onlyGetCategories = JSON.stringify({
      Version: "1",
      Statement: [{ Effect: "Allow", Action: "vod:GetCategories", Resource: "*" }],
    });
    const temporary = await assumeRole(recipe, { policy: onlyGetCategories });
    const categories = await callVod(recipe.emulator.endpoint, temporary, "GetCategories");
    expect(categories.SubTotal).toBe(0);
    const denied = await sdkError(callVod(recipe.emulator.endpoint, temporary, "SearchMedia"));
    expect([denied.statusCode, denied.code]).toEqual([403, "Forbidden.RAM"]);
    expect(denied.data.AccessDeniedDetail).toMatchObject({
      AuthAction: "vod:SearchMedia",
      PolicyType: "SessionPolicy",
    });
  });

  it("lets an assumed role assume another role that trusts it (role chaining)", async () => {
    const ram = ramClient(recipe.emulator.endpoint, recipe.emulator.rootCredentials);
    await ram.createRole(
      new $Ram.CreateRoleRequest({
        roleName: "second",
        assumeRolePolicyDocument: trustPolicyFor([`acs:ram::${recipe.emulator.accountId}:role/vodrole`]),
      }),
    );
    await ram.attachPolicyToRole(
      new $Ram.AttachPolicyToRoleRequest({
        roleName: "vodrole",
        policyType: "System",
        policyName: "AliyunSTSAssumeRoleAccess",
      }),
    );
    const first = await assumeRole(recipe);
    const second = await stsClient(recipe.emulator.endpoint, first).assumeRole(
      new $Sts.AssumeRoleRequest({
        roleArn: `acs:ram::${recipe.emulator.accountId}:role/second`,
        roleSessionName: "chained",
      }),
    );
    expect(second.body!.assumedRoleUser!.arn).toBe(
      `acs:ram::${recipe.emulator.accountId}:role/second/chained`,
    );
  });
});

describe("STS GetCallerIdentity", () => {
  it("identifies the root account as IdentityType Account with the root ARN", async () => {
    const identity = (
      await stsClient(recipe.emulator.endpoint, recipe.emulator.rootCredentials).getCallerIdentity()
    ).body!;
    const uid = recipe.emulator.accountId;
    expect([identity.identityType, identity.arn, identity.userId, identity.accountId]).toEqual([
      "Account",
      `acs:ram::${uid}:root`,
      uid,
      uid,
    ]);
  });

  it("identifies a RAM user as IdentityType RAMUser with its user ID", async () => {
    const identity = (
      await stsClient(recipe.emulator.endpoint, recipe.userKey, {
        signatureAlgorithm: "v2",
      }).getCallerIdentity()
    ).body!;
    const user = recipe.emulator.state.getUser("vod")!;
    expect([identity.identityType, identity.arn, identity.userId, identity.principalId]).toEqual([
      "RAMUser",
      `acs:ram::${recipe.emulator.accountId}:user/vod`,
      user.userId,
      user.userId,
    ]);
  });
});
