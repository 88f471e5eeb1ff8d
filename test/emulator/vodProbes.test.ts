import * as $Ram from "@alicloud/ram20150501";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { callVod, ramClient, sdkError } from "./clients";
import { assumeRole, setUpRecipe, type Recipe } from "./recipe";

let recipe: Recipe;
beforeEach(async () => {
  recipe = await setUpRecipe();
});
afterEach(async () => {
  await recipe.emulator.close();
});

describe("VOD RefreshUploadVideo and GetPlayInfo: authorization comes before the video lookup", () => {
  it.each([["RefreshUploadVideo"], ["GetPlayInfo"]])(
    "%s of an unknown video answers 404 InvalidVideo.NotFound to an allowed caller",
    async (action) => {
      const temporary = await assumeRole(recipe);
      const error = await sdkError(
        callVod(recipe.emulator.endpoint, temporary, action, { VideoId: "0".repeat(32) }),
      );
      expect([error.statusCode, error.code, error.data.Message]).toEqual([
        404,
        "InvalidVideo.NotFound",
        `The video does not exist. (VideoId ${"0".repeat(32)})`,
      ]);
    },
  );

  it.each([["RefreshUploadVideo"], ["GetPlayInfo"]])(
    "%s answers 403 Forbidden.RAM to a role without VOD permissions, whatever the video",
    async (action) => {
      const ram = ramClient(recipe.emulator.endpoint, recipe.emulator.rootCredentials);
      await ram.detachPolicyFromRole(
        new $Ram.DetachPolicyFromRoleRequest({
          roleName: "vodrole",
          policyType: "System",
          policyName: "AliyunVODFullAccess",
        }),
      );
      const temporary = await assumeRole(recipe);
      const error = await sdkError(
        callVod(recipe.emulator.endpoint, temporary, action, { VideoId: "0".repeat(32) }),
      );
      expect([error.statusCode, error.code]).toEqual([403, "Forbidden.RAM"]);
    },
  );

  it("RefreshUploadVideo of a video created here returns a fresh upload ticket for it", async () => {
    const temporary = await assumeRole(recipe);
    const created = await callVod(recipe.emulator.endpoint, temporary, "CreateUploadVideo", {
      Title: "t",
      FileName: "a.mp4",
    });
    const refreshed = await callVod(recipe.emulator.endpoint, temporary, "RefreshUploadVideo", {
      VideoId: String(created.VideoId),
    });
    expect(refreshed.VideoId).toBe(created.VideoId);
    expect(refreshed.UploadAddress).toBe(created.UploadAddress);
  });

  it("GetPlayInfo of a video still uploading answers 404 InvalidVideo.NoneStream", async () => {
    const temporary = await assumeRole(recipe);
    const created = await callVod(recipe.emulator.endpoint, temporary, "CreateUploadVideo", {
      Title: "t",
      FileName: "a.mp4",
    });
    const error = await sdkError(
      callVod(recipe.emulator.endpoint, temporary, "GetPlayInfo", { VideoId: String(created.VideoId) }),
    );
    expect([error.statusCode, error.code]).toEqual([404, "InvalidVideo.NoneStream"]);
  });

  it("refuses a missing VideoId with MissingVideoId", async () => {
    const temporary = await assumeRole(recipe);
    const error = await sdkError(callVod(recipe.emulator.endpoint, temporary, "GetPlayInfo"));
    expect([error.statusCode, error.code]).toEqual([400, "MissingVideoId"]);
  });
});
