// The recipe (user `vod` with an AccessKey and AliyunSTSAssumeRoleAccess, role `vodrole` trusting
// that user, with AliyunVODFullAccess) in a fresh emulator, built by the shared fixture in
// test/helpers/recipeFixture.ts.
import * as $Sts from "@alicloud/sts20150401";
import { startEmulator, type Emulator, type EmulatorOptions } from "../../emulator";
import { setUpRecipe as buildRecipe, trustPolicyFor } from "../helpers/recipeFixture";
import { stsClient, type ClientOptions, type Keys } from "./clients";

export interface Recipe {
  emulator: Emulator;
  userKey: Keys;
  roleArn: string;
}

export { trustPolicyFor };

/** A fresh emulator, its AssumeRole quota off, holding the recipe. */
export async function setUpRecipe(options: EmulatorOptions = {}): Promise<Recipe> {
  const emulator = await startEmulator({
    ...options,
    faults: { assumeRoleQuotaPerSecond: 0, ...options.faults },
  });
  const { outputs } = await buildRecipe(emulator);
  return {
    emulator,
    userKey: { accessKeyId: outputs.accessKeyId, accessKeySecret: outputs.accessKeySecret },
    roleArn: outputs.roleArn,
  };
}

/** AssumeRole with the user's key; returns the temporary credentials as client keys. */
export async function assumeRole(
  recipe: Recipe,
  request: Partial<$Sts.AssumeRoleRequest> = {},
  options?: ClientOptions,
): Promise<Keys & { expiration: string }> {
  const response = await stsClient(recipe.emulator.endpoint, recipe.userKey, options).assumeRole(
    new $Sts.AssumeRoleRequest({ roleArn: recipe.roleArn, roleSessionName: "session-1", ...request }),
  );
  const c = response.body!.credentials!;
  return {
    accessKeyId: c.accessKeyId!,
    accessKeySecret: c.accessKeySecret!,
    securityToken: c.securityToken!,
    expiration: c.expiration!,
  };
}
