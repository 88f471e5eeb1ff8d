import * as $Rm from "@alicloud/resourcemanager20200331";
import * as $Ram from "@alicloud/ram20150501";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { callVod, popClient, ramClient, rmClient, sdkError } from "./clients";
import { assumeRole, setUpRecipe, type Recipe } from "./recipe";

let recipe: Recipe;
beforeEach(async () => {
  recipe = await setUpRecipe({ region: "cn-beijing" });
});
afterEach(async () => {
  await recipe.emulator.close();
});

describe("VOD", () => {
  it("answers GetCategories at the top level (CateId -1) for the role's temporary credentials", async () => {
    const temporary = await assumeRole(recipe);
    const body = await callVod(recipe.emulator.endpoint, temporary, "GetCategories", {
      CateId: "-1",
      PageSize: "10",
    });
    expect(body.SubTotal).toBe(0);
    expect(body.Category).toMatchObject({ CateId: -1 });
    expect(body.SubCategories).toEqual({ Category: [] });
  });

  it("answers GetCategories through pop-core V1 GET and POST", async () => {
    const temporary = await assumeRole(recipe);
    const pop = popClient(recipe.emulator.endpoint, temporary, "2017-03-21");
    expect((await pop.request("GetCategories", {}, { method: "GET" })).SubTotal).toBe(0);
    expect((await pop.request("GetCategories", { PageSize: 5 }, { method: "POST" })).SubTotal).toBe(0);
  });

  it("refuses PageSize above 100 naming the parameter and the range", async () => {
    const temporary = await assumeRole(recipe);
    const error = await sdkError(
      callVod(recipe.emulator.endpoint, temporary, "GetCategories", { PageSize: "101" }),
    );
    expect([error.statusCode, error.code, error.data.Message]).toEqual([
      400,
      "InvalidParameter.PageSize",
      'The parameter PageSize is wrongly formed: "101"; allowed: an integer 1..100.',
    ]);
  });

  it("returns a deterministic base64 JSON UploadAddress and UploadAuth from CreateUploadVideo, then finds the video with SearchMedia", async () => {
    const temporary = await assumeRole(recipe);
    const created = await callVod(recipe.emulator.endpoint, temporary, "CreateUploadVideo", {
      Title: "intro",
      FileName: "intro.mp4",
    });
    expect(created.VideoId).toMatch(/^[0-9a-f]{32}$/);
    const address = JSON.parse(Buffer.from(String(created.UploadAddress), "base64").toString("utf8"));
    expect(address.Endpoint).toBe("https://oss-cn-beijing.aliyuncs.com");
    expect(address.FileName).toMatch(/^sv\/[0-9a-f]{8}-[0-9a-f]{8}\/[0-9a-f]{8}\.mp4$/);
    const auth = JSON.parse(Buffer.from(String(created.UploadAuth), "base64").toString("utf8"));
    expect(auth.AccessKeyId).toMatch(/^STS\./);
    expect(auth.Region).toBe("cn-beijing");
    const found = await callVod(recipe.emulator.endpoint, temporary, "SearchMedia", {
      Match: "Title in ('intro')",
    });
    expect(found.Total).toBe(1);
    expect((found.MediaList as { MediaId: string }[])[0].MediaId).toBe(created.VideoId);
  });

  it("answers MissingTitle when CreateUploadVideo has no Title", async () => {
    const temporary = await assumeRole(recipe);
    const error = await sdkError(
      callVod(recipe.emulator.endpoint, temporary, "CreateUploadVideo", { FileName: "a.mp4" }),
    );
    expect([error.statusCode, error.code]).toEqual([400, "MissingTitle"]);
  });

  it("allows read-only VOD calls but refuses CreateUploadVideo with Forbidden.RAM under AliyunVODReadOnlyAccess", async () => {
    const ram = ramClient(recipe.emulator.endpoint, recipe.emulator.rootCredentials);
    await ram.detachPolicyFromRole(
      new $Ram.DetachPolicyFromRoleRequest({
        roleName: "vodrole",
        policyType: "System",
        policyName: "AliyunVODFullAccess",
      }),
    );
    await ram.attachPolicyToRole(
      new $Ram.AttachPolicyToRoleRequest({
        roleName: "vodrole",
        policyType: "System",
        policyName: "AliyunVODReadOnlyAccess",
      }),
    );
    const temporary = await assumeRole(recipe);
    expect((await callVod(recipe.emulator.endpoint, temporary, "SearchMedia")).Total).toBe(0);
    const error = await sdkError(
      callVod(recipe.emulator.endpoint, temporary, "CreateUploadVideo", { Title: "t", FileName: "a.mp4" }),
    );
    expect([error.statusCode, error.code]).toEqual([403, "Forbidden.RAM"]);
    expect(error.data.Message).toBe(
      "User not authorized to operate on the specified resource, or this API doesn't support RAM.",
    );
  });

  it("refuses the temporary credentials outside VOD (RAM CreateUser) with NoPermission", async () => {
    const temporary = await assumeRole(recipe);
    const error = await sdkError(
      ramClient(recipe.emulator.endpoint, temporary).createUser(
        new $Ram.CreateUserRequest({ userName: "x1" }),
      ),
    );
    expect([error.statusCode, error.code]).toEqual([403, "NoPermission"]);
  });
});

describe("ResourceManager policy attachments", () => {
  const rolePrincipal = () => `vodrole@role.${recipe.emulator.accountId}.onaliyunservice.com`;

  async function moveRoleGrantTo(resourceGroupId: string): Promise<void> {
    const ram = ramClient(recipe.emulator.endpoint, recipe.emulator.rootCredentials);
    await ram.detachPolicyFromRole(
      new $Ram.DetachPolicyFromRoleRequest({
        roleName: "vodrole",
        policyType: "System",
        policyName: "AliyunVODFullAccess",
      }),
    );
    await rmClient(recipe.emulator.endpoint, recipe.emulator.rootCredentials).attachPolicy(
      new $Rm.AttachPolicyRequest({
        policyName: "AliyunVODFullAccess",
        policyType: "System",
        principalType: "ServiceRole",
        principalName: rolePrincipal(),
        resourceGroupId,
      }),
    );
  }

  it("grants at account scope when ResourceGroupId is the account ID", async () => {
    await moveRoleGrantTo(recipe.emulator.accountId);
    const temporary = await assumeRole(recipe);
    expect((await callVod(recipe.emulator.endpoint, temporary, "GetCategories")).SubTotal).toBe(0);
  });

  it("never allows the account-level GetCategories through a resource-group grant", async () => {
    await moveRoleGrantTo("rg-aek2abc123");
    const temporary = await assumeRole(recipe);
    const error = await sdkError(callVod(recipe.emulator.endpoint, temporary, "GetCategories"));
    expect([error.statusCode, error.code]).toEqual([403, "Forbidden.RAM"]);
  });

  it("lists the attachment with its principal and group, and detaches it", async () => {
    await moveRoleGrantTo("rg-aek2abc123");
    const rm = rmClient(recipe.emulator.endpoint, recipe.emulator.rootCredentials);
    const listed = (
      await rm.listPolicyAttachments(
        new $Rm.ListPolicyAttachmentsRequest({ resourceGroupId: "rg-aek2abc123" }),
      )
    ).body!;
    expect(listed.totalCount).toBe(1);
    const row = listed.policyAttachments!.policyAttachment![0];
    expect([row.policyName, row.principalType, row.principalName, row.resourceGroupId]).toEqual([
      "AliyunVODFullAccess",
      "ServiceRole",
      rolePrincipal(),
      "rg-aek2abc123",
    ]);
    await rm.detachPolicy(
      new $Rm.DetachPolicyRequest({
        policyName: "AliyunVODFullAccess",
        policyType: "System",
        principalType: "ServiceRole",
        principalName: rolePrincipal(),
        resourceGroupId: "rg-aek2abc123",
      }),
    );
    expect(
      (
        await rm.listPolicyAttachments(
          new $Rm.ListPolicyAttachmentsRequest({ resourceGroupId: "rg-aek2abc123" }),
        )
      ).body!.totalCount,
    ).toBe(0);
  });

  it("shows RAM account-scope attachments in ListPolicyAttachments for the account ID", async () => {
    const rm = rmClient(recipe.emulator.endpoint, recipe.emulator.rootCredentials);
    const listed = (
      await rm.listPolicyAttachments(
        new $Rm.ListPolicyAttachmentsRequest({
          resourceGroupId: recipe.emulator.accountId,
          principalType: "IMSUser",
        }),
      )
    ).body!;
    expect(listed.policyAttachments!.policyAttachment!.map((a) => [a.policyName, a.principalName])).toEqual([
      ["AliyunSTSAssumeRoleAccess", `vod@${recipe.emulator.accountId}.onaliyun.com`],
    ]);
  });

  it("refuses a PrincipalName of another account, naming the expected form", async () => {
    const error = await sdkError(
      rmClient(recipe.emulator.endpoint, recipe.emulator.rootCredentials).attachPolicy(
        new $Rm.AttachPolicyRequest({
          policyName: "AliyunVODFullAccess",
          policyType: "System",
          principalType: "IMSUser",
          principalName: "vod@1111111111111111.onaliyun.com",
          resourceGroupId: recipe.emulator.accountId,
        }),
      ),
    );
    expect([error.statusCode, error.code]).toEqual([400, "InvalidParameter.PrincipalName"]);
    expect(error.data.Message).toContain(`allowed: <user>@${recipe.emulator.accountId}.onaliyun.com`);
    expect(error.data.HostId).toBe("resourcemanager.aliyuncs.com");
  });
});
