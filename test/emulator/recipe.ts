// The recipe set up in an emulator through the official RAM SDK with the root key: user `vod`
// with an AccessKey and AliyunSTSAssumeRoleAccess, role `vodrole` trusting that user, with
// AliyunVODFullAccess (DESIGN.md "Resources").
import * as $Ram from "@alicloud/ram20150501";
import * as $Sts from "@alicloud/sts20150401";
import { startEmulator, type Emulator, type EmulatorOptions } from "../../emulator";
import { ramClient, stsClient, type ClientOptions, type Keys } from "./clients";

export interface Recipe {
  emulator: Emulator;
  userKey: Keys;
  roleArn: string;
}

export function trustPolicyFor(principals: string[], condition?: Record<string, unknown>): string {
  return JSON.stringify({
    Version: "1",
    Statement: [
      {
        Effect: "Allow",
        Action: "sts:AssumeRole",
        Principal: { RAM: principals },
        ...(condition ? { Condition: condition } : {}),
      },
    ],
  });
}

export async function setUpRecipe(options: EmulatorOptions = {}): Promise<Recipe> {
  const emulator = await startEmulator({
    ...options,
    faults: { assumeRoleQuotaPerSecond: 0, ...options.faults },
  });
  const ram = ramClient(emulator.endpoint, emulator.rootCredentials);
  await ram.createUser(new $Ram.CreateUserRequest({ userName: "vod" }));
  const key = await ram.createAccessKey(new $Ram.CreateAccessKeyRequest({ userName: "vod" }));
  await ram.attachPolicyToUser(
    new $Ram.AttachPolicyToUserRequest({
      userName: "vod",
      policyType: "System",
      policyName: "AliyunSTSAssumeRoleAccess",
    }),
  );
  const role = await ram.createRole(
    new $Ram.CreateRoleRequest({
      roleName: "vodrole",
      assumeRolePolicyDocument: trustPolicyFor([`acs:ram::${emulator.accountId}:user/vod`]),
    }),
  );
  await ram.attachPolicyToRole(
    new $Ram.AttachPolicyToRoleRequest({
      roleName: "vodrole",
      policyType: "System",
      policyName: "AliyunVODFullAccess",
    }),
  );
  return {
    emulator,
    userKey: {
      accessKeyId: key.body!.accessKey!.accessKeyId!,
      accessKeySecret: key.body!.accessKey!.accessKeySecret!,
    },
    roleArn: role.body!.role!.arn!,
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
