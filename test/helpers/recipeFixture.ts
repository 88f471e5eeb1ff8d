import { $OpenApiUtil } from "@alicloud/openapi-core";
import RamClient, {
  AttachPolicyToRoleRequest,
  AttachPolicyToUserRequest,
  CreateAccessKeyRequest,
  CreateRoleRequest,
  CreateUserRequest,
  DeleteAccessKeyRequest,
  UpdateAccessKeyRequest,
} from "@alicloud/ram20150501";
import type { StackOutputs } from "../../infra/stackOutputs";

/** What the fixture needs from a running emulator (emulator/index.ts `startEmulator`). */
export interface EmulatorAccount {
  endpoint: string;
  accountId: string;
  rootCredentials: { accessKeyId: string; accessKeySecret: string };
}

export interface RecipeOptions {
  /** Default `vod`. */
  userName?: string;
  /** Default `vodrole`. */
  roleName?: string;
  /**
   * Who the role's trust policy names: `user` (default, the recipe: `acs:ram::<uid>:user/<userName>`),
   * `account` (`acs:ram::<uid>:root`), `none` (a trust policy naming another user), or an explicit
   * principal ARN.
   */
  trustPrincipal?: "user" | "account" | "none" | `acs:ram::${string}`;
  /** `StringEquals sts:ExternalId` condition in the trust policy. */
  trustExternalId?: string;
  /** System policies attached to the user. Default `["AliyunSTSAssumeRoleAccess"]`; `[]` = none. */
  userPolicies?: string[];
  /** System policies attached to the role. Default `["AliyunVODFullAccess"]`; `[]` = none. */
  rolePolicies?: string[];
  /** `false`: no role is created (the outputs still name it). Default true. */
  createRole?: boolean;
  /** `Inactive` disables the key after creating it. Default `Active`. */
  keyStatus?: "Active" | "Inactive";
  /** Deletes the key after creating it: the outputs keep the dead key. */
  deleteKey?: boolean;
  /** Role MaxSessionDuration, 3600–43200. */
  maxSessionDuration?: number;
  /** Output `rolePolicyScope`; default `account`. Only the output: no resource-group attachment is made. */
  rolePolicyScope?: string;
  /** Output `region`; default `cn-shanghai`. */
  region?: string;
}

export interface Recipe {
  outputs: StackOutputs & { accessKeySecret: string };
  /** The root-key RAM client used to build it, for tests that change the account afterwards. */
  ram: RamClient;
}

export function ramClientFor(emulator: EmulatorAccount, key = emulator.rootCredentials): RamClient {
  return new RamClient(
    new $OpenApiUtil.Config({
      accessKeyId: key.accessKeyId,
      accessKeySecret: key.accessKeySecret,
      endpoint: emulator.endpoint,
      protocol: "http",
    }),
  );
}

/** A trust policy allowing sts:AssumeRole to these RAM principals, with an optional Condition block. */
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

/** The recipe's trust policy, as data (the console's "current account" form is `root`). */
export function trustPolicyDocument(principals: string[], externalId?: string): string {
  return trustPolicyFor(
    principals,
    externalId ? { StringEquals: { "sts:ExternalId": externalId } } : undefined,
  );
}

/**
 * Builds the recipe in the emulator through the official RAM SDK with the root key — user, key,
 * user permission, role with its trust policy, role permission — and returns the stack outputs
 * `pulumi stack output --json --show-secrets` would print for it. Each option breaks or varies one
 * piece.
 */
export async function setUpRecipe(emulator: EmulatorAccount, options: RecipeOptions = {}): Promise<Recipe> {
  const ram = ramClientFor(emulator);
  const { accountId } = emulator;
  const userName = options.userName ?? "vod";
  const roleName = options.roleName ?? "vodrole";
  await ram.createUser(new CreateUserRequest({ userName }));
  const created = await ram.createAccessKey(new CreateAccessKeyRequest({ userName }));
  const accessKeyId = created.body?.accessKey?.accessKeyId;
  const accessKeySecret = created.body?.accessKey?.accessKeySecret;
  if (!accessKeyId || !accessKeySecret) throw new Error("emulator CreateAccessKey answered without a key");
  for (const policyName of options.userPolicies ?? ["AliyunSTSAssumeRoleAccess"]) {
    await ram.attachPolicyToUser(
      new AttachPolicyToUserRequest({ policyName, policyType: "System", userName }),
    );
  }
  if (options.createRole ?? true) {
    const trust = options.trustPrincipal ?? "user";
    const principal =
      trust === "user"
        ? `acs:ram::${accountId}:user/${userName}`
        : trust === "account"
          ? `acs:ram::${accountId}:root`
          : trust === "none"
            ? `acs:ram::${accountId}:user/someone-else`
            : trust;
    await ram.createRole(
      new CreateRoleRequest({
        roleName,
        assumeRolePolicyDocument: trustPolicyDocument([principal], options.trustExternalId),
        ...(options.maxSessionDuration ? { maxSessionDuration: options.maxSessionDuration } : {}),
      }),
    );
    for (const policyName of options.rolePolicies ?? ["AliyunVODFullAccess"]) {
      await ram.attachPolicyToRole(
        new AttachPolicyToRoleRequest({ policyName, policyType: "System", roleName }),
      );
    }
  }
  if (options.keyStatus === "Inactive") {
    await ram.updateAccessKey(
      new UpdateAccessKeyRequest({ userName, userAccessKeyId: accessKeyId, status: "Inactive" }),
    );
  }
  if (options.deleteKey) {
    await ram.deleteAccessKey(new DeleteAccessKeyRequest({ userName, userAccessKeyId: accessKeyId }));
  }
  return {
    ram,
    outputs: {
      accountId,
      userName,
      accessKeyId,
      accessKeySecret,
      roleName,
      roleArn: `acs:ram::${accountId}:role/${roleName}`,
      region: options.region ?? "cn-shanghai",
      rolePolicyScope: options.rolePolicyScope ?? "account",
    },
  };
}
