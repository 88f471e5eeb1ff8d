import * as pulumi from "@pulumi/pulumi";
import { beforeAll, describe, expect, it } from "vitest";
import { parseSettings } from "../../infra/config";
import { VodStsAccess, vodStsAccessArgs } from "../../infra/vodStsAccess";
import { TEST_ACCOUNT_ID } from "../helpers/program";

beforeAll(async () => {
  await pulumi.runtime.setMocks(
    {
      newResource: (args) => ({ id: `${args.name}-id`, state: args.inputs }),
      call: (args) => {
        throw new Error(`unexpected invoke ${args.token}`);
      },
    },
    "vod-sts",
    "dev",
    false,
  );
});

const BASE = {
  region: "cn-shanghai",
  userName: "vod",
  roleName: "vodrole",
  roleDescription: "d",
  maxSessionDuration: "3600",
  trust: '["user"]',
  externalId: "",
  allowedSourceIps: "[]",
  assumeRolePermission: "system",
  userPolicies: '["AliyunSTSAssumeRoleAccess"]',
  userPolicyScope: "account",
  rolePolicies: '["AliyunVODFullAccess"]',
  rolePolicyScope: "account",
  allowHighRiskPolicies: "false",
  accessKeys: '["primary"]',
  pgpKey: "",
  tags: "[]",
};

/** Resource options each child received, recorded by a component-level transformation. */
function protectionOf(protect: "true" | "false"): Promise<Record<string, boolean | undefined>> {
  const seen: Record<string, boolean | undefined> = {};
  const access = new VodStsAccess(
    `t-${protect}`,
    { ...vodStsAccessArgs(parseSettings({ ...BASE, protect })), accountId: TEST_ACCOUNT_ID },
    {
      transformations: [
        (args) => {
          if (args.type.startsWith("alicloud:")) seen[args.type] = args.opts.protect;
          return undefined;
        },
      ],
    },
  );
  return new Promise((resolve) => access.roleArn.apply(() => resolve(seen)));
}

describe("protect", () => {
  it("protect=true protects the user, its AccessKey and the role, not the attachments", async () => {
    expect(await protectionOf("true")).toEqual({
      "alicloud:ram/user:User": true,
      "alicloud:ram/accessKey:AccessKey": true,
      "alicloud:ram/role:Role": true,
      "alicloud:ram/userPolicyAttachment:UserPolicyAttachment": undefined,
      "alicloud:ram/rolePolicyAttachment:RolePolicyAttachment": undefined,
    });
  });

  it("protect=false (the default) protects nothing", async () => {
    const seen = await protectionOf("false");
    expect(Object.values(seen).filter((p) => p === true)).toEqual([]);
    expect(Object.keys(seen)).toHaveLength(5);
  });
});
