import * as $Ram from "@alicloud/ram20150501";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { callVod, popClient, ramClient, sdkError, stsClient } from "./clients";
import { assumeRole, setUpRecipe, type Recipe } from "./recipe";

let recipe: Recipe;
beforeEach(async () => {
  recipe = await setUpRecipe();
});
afterEach(async () => {
  vi.useRealTimers();
  await recipe.emulator.close();
});

describe("STS credentials (key + security token pairs)", () => {
  it("answers 400 MissingSecurityToken when an STS key is used without its token", async () => {
    const temporary = await assumeRole(recipe);
    const error = await sdkError(
      stsClient(recipe.emulator.endpoint, {
        accessKeyId: temporary.accessKeyId,
        accessKeySecret: temporary.accessKeySecret,
      }).getCallerIdentity(),
    );
    expect([error.statusCode, error.code, error.data.Message]).toEqual([
      400,
      "MissingSecurityToken",
      "SecurityToken is mandatory for this action.",
    ]);
  });

  it("answers InvalidSecurityToken.Malformed for an altered token", async () => {
    const temporary = await assumeRole(recipe);
    const altered = { ...temporary, securityToken: temporary.securityToken!.slice(0, -3) + "xyz" };
    const error = await sdkError(stsClient(recipe.emulator.endpoint, altered).getCallerIdentity());
    expect([error.statusCode, error.code, error.data.Message]).toEqual([
      400,
      "InvalidSecurityToken.Malformed",
      "Specified SecurityToken is malformed.",
    ]);
  });

  it("answers InvalidSecurityToken.MismatchWithAccessKey for another session's token", async () => {
    const first = await assumeRole(recipe, { roleSessionName: "first" });
    const second = await assumeRole(recipe, { roleSessionName: "second" });
    const error = await sdkError(
      stsClient(recipe.emulator.endpoint, {
        ...first,
        securityToken: second.securityToken,
      }).getCallerIdentity(),
    );
    expect([error.statusCode, error.code]).toEqual([400, "InvalidSecurityToken.MismatchWithAccessKey"]);
  });

  it("answers InvalidSecurityToken.MismatchWithAccessKey for a token sent with a permanent key", async () => {
    const temporary = await assumeRole(recipe);
    const error = await sdkError(
      stsClient(recipe.emulator.endpoint, {
        ...recipe.userKey,
        securityToken: temporary.securityToken,
      }).getCallerIdentity(),
    );
    expect(error.code).toBe("InvalidSecurityToken.MismatchWithAccessKey");
  });

  it("answers InvalidSecurityToken.Expired once the Expiration has passed, and not one second before", async () => {
    const temporary = await assumeRole(recipe, { durationSeconds: 900 });
    const expiresAt = Date.parse(temporary.expiration);
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(expiresAt - 1000);
    const before = await stsClient(recipe.emulator.endpoint, temporary).getCallerIdentity();
    expect(before.body!.identityType).toBe("AssumedRoleUser");
    vi.setSystemTime(expiresAt);
    const error = await sdkError(stsClient(recipe.emulator.endpoint, temporary).getCallerIdentity());
    expect([error.statusCode, error.code, error.data.Message]).toEqual([
      400,
      "InvalidSecurityToken.Expired",
      "Specified SecurityToken is expired.",
    ]);
  });

  it("keeps an older token valid after a newer one is issued", async () => {
    const older = await assumeRole(recipe, { roleSessionName: "older" });
    await assumeRole(recipe, { roleSessionName: "newer" });
    const identity = await stsClient(recipe.emulator.endpoint, older).getCallerIdentity();
    expect(identity.body!.arn).toBe(`acs:ram::${recipe.emulator.accountId}:assumed-role/vodrole/older`);
  });

  it("carries the base64 security token through pop-core's V1 GET query signing", async () => {
    const temporary = await assumeRole(recipe);
    const body = await popClient(recipe.emulator.endpoint, temporary, "2015-04-01").request(
      "GetCallerIdentity",
      {},
      { method: "GET" },
    );
    expect(body.IdentityType).toBe("AssumedRoleUser");
  });
});

describe("permanent AccessKeys", () => {
  it("answers 400 InvalidAccessKeyId.Inactive for a disabled key and accepts it again once re-enabled", async () => {
    const ram = ramClient(recipe.emulator.endpoint, recipe.emulator.rootCredentials);
    const update = (status: string) =>
      ram.updateAccessKey(
        new $Ram.UpdateAccessKeyRequest({
          userName: "vod",
          userAccessKeyId: recipe.userKey.accessKeyId,
          status,
        }),
      );
    await update("Inactive");
    const error = await sdkError(stsClient(recipe.emulator.endpoint, recipe.userKey).getCallerIdentity());
    expect([error.statusCode, error.code, error.data.Message]).toEqual([
      400,
      "InvalidAccessKeyId.Inactive",
      "Specified access key is disabled.",
    ]);
    await update("Active");
    expect(
      (await stsClient(recipe.emulator.endpoint, recipe.userKey).getCallerIdentity()).body!.identityType,
    ).toBe("RAMUser");
  });

  it("answers 404 InvalidAccessKeyId.NotFound for a deleted key", async () => {
    const ram = ramClient(recipe.emulator.endpoint, recipe.emulator.rootCredentials);
    await ram.deleteAccessKey(
      new $Ram.DeleteAccessKeyRequest({ userName: "vod", userAccessKeyId: recipe.userKey.accessKeyId }),
    );
    const error = await sdkError(stsClient(recipe.emulator.endpoint, recipe.userKey).getCallerIdentity());
    expect([error.statusCode, error.code]).toEqual([404, "InvalidAccessKeyId.NotFound"]);
  });

  it("answers SignatureDoesNotMatch for the right key ID with a wrong secret", async () => {
    const error = await sdkError(
      stsClient(recipe.emulator.endpoint, {
        accessKeyId: recipe.userKey.accessKeyId,
        accessKeySecret: "wrong-secret",
      }).getCallerIdentity(),
    );
    expect([error.statusCode, error.code]).toEqual([400, "SignatureDoesNotMatch"]);
  });

  it("refuses the permanent user key at VOD with 403 Forbidden.RAM (it holds only sts:AssumeRole)", async () => {
    const error = await sdkError(callVod(recipe.emulator.endpoint, recipe.userKey, "GetCategories"));
    expect([error.statusCode, error.code]).toEqual([403, "Forbidden.RAM"]);
    expect(error.data.HostId).toBe("vod.aliyuncs.com");
  });
});

describe("secrets stay out of error messages", () => {
  it("masks the security token in a V1 SignatureDoesNotMatch string-to-sign", async () => {
    const temporary = await assumeRole(recipe);
    const wrong = { ...temporary, accessKeySecret: "not-the-secret" };
    const error = (await sdkError(
      popClient(recipe.emulator.endpoint, wrong, "2015-04-01").request(
        "GetCallerIdentity",
        {},
        { method: "GET" },
      ),
    )) as unknown as {
      code: string;
      data: { Message: string };
    };
    expect(error.code).toBe("SignatureDoesNotMatch");
    expect(error.data.Message).toContain("SecurityToken%3D%253CSecurityToken%253E");
    expect(error.data.Message).not.toContain(
      encodeURIComponent(encodeURIComponent(temporary.securityToken!)).slice(0, 40),
    );
    expect(error.data.Message).not.toContain(temporary.accessKeySecret);
  });

  it("never puts a token or secret into any credential error body", async () => {
    const temporary = await assumeRole(recipe);
    const bodies = [
      (
        await sdkError(
          stsClient(recipe.emulator.endpoint, {
            ...temporary,
            securityToken: temporary.securityToken + "x",
          }).getCallerIdentity(),
        )
      ).data,
      (
        await sdkError(
          stsClient(recipe.emulator.endpoint, {
            ...recipe.userKey,
            securityToken: temporary.securityToken,
          }).getCallerIdentity(),
        )
      ).data,
      (
        await sdkError(
          stsClient(recipe.emulator.endpoint, { ...temporary, accessKeySecret: "bad" }).getCallerIdentity(),
        )
      ).data,
    ];
    const text = JSON.stringify(bodies);
    expect(bodies.map((b) => b.Code)).toEqual([
      "InvalidSecurityToken.Malformed",
      "InvalidSecurityToken.MismatchWithAccessKey",
      "SignatureDoesNotMatch",
    ]);
    expect(text).not.toContain(temporary.securityToken!.slice(4, 40));
    expect(text).not.toContain(temporary.accessKeySecret);
    expect(text).not.toContain(recipe.userKey.accessKeySecret);
  });
});
