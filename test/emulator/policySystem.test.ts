import { describe, expect, it } from "vitest";
import { evaluateIdentityPolicies, parsePolicyDocument, SYSTEM_POLICIES } from "../../emulator/policy";

const ROLE_ARN = "acs:ram::1234567890123456:role/vodrole";
const documentOf = (name: string) => {
  const policy = SYSTEM_POLICIES[name];
  if (!policy) throw new Error(`no system policy ${name}`);
  return policy.document;
};

describe("SYSTEM_POLICIES", () => {
  it("preloads exactly the policies the emulator needs", () => {
    expect(Object.keys(SYSTEM_POLICIES).sort()).toEqual([
      "AdministratorAccess",
      "AliyunRAMFullAccess",
      "AliyunSTSAssumeRoleAccess",
      "AliyunVODFullAccess",
      "AliyunVODPlayAuth",
      "AliyunVODReadOnlyAccess",
      "AliyunVODUploadAuth",
      "ReadOnlyAccess",
    ]);
  });

  it.each(Object.keys(SYSTEM_POLICIES))("%s passes the identity grammar and the 6144-byte limit", (name) => {
    const text = JSON.stringify(documentOf(name));
    expect(parsePolicyDocument(text, "identity")).toEqual({ ok: true, document: documentOf(name) });
  });

  it("AliyunSTSAssumeRoleAccess is the published document", () => {
    expect(documentOf("AliyunSTSAssumeRoleAccess")).toEqual({
      Version: "1",
      Statement: [{ Action: "sts:AssumeRole", Effect: "Allow", Resource: "*" }],
    });
  });

  const decisions: [policy: string, action: string, resource: string, expected: string][] = [
    ["AliyunSTSAssumeRoleAccess", "sts:AssumeRole", ROLE_ARN, "Allow"],
    ["AliyunSTSAssumeRoleAccess", "sts:AssumeRole", "acs:ram::999:role/any-other-role", "Allow"],
    ["AliyunSTSAssumeRoleAccess", "vod:GetCategories", "*", "ImplicitDeny"],
    ["AliyunVODReadOnlyAccess", "vod:GetCategories", "*", "Allow"],
    ["AliyunVODReadOnlyAccess", "vod:SearchMedia", "*", "Allow"],
    ["AliyunVODReadOnlyAccess", "vod:CreateUploadVideo", "*", "ImplicitDeny"],
    ["AliyunVODFullAccess", "vod:CreateUploadVideo", "*", "Allow"],
    ["AliyunVODFullAccess", "ram:ListUsers", "*", "ImplicitDeny"],
    ["AliyunVODFullAccess", "sts:AssumeRole", ROLE_ARN, "ImplicitDeny"],
    ["AliyunVODUploadAuth", "vod:CreateUploadVideo", "*", "Allow"],
    ["AliyunVODUploadAuth", "vod:GetCategories", "*", "ImplicitDeny"],
    ["AliyunVODPlayAuth", "vod:GetPlayInfo", "*", "Allow"],
    ["AliyunVODPlayAuth", "vod:CreateUploadVideo", "*", "ImplicitDeny"],
    ["AdministratorAccess", "ram:CreateUser", "*", "Allow"],
    ["AliyunRAMFullAccess", "ram:CreateUser", "*", "Allow"],
    ["AliyunRAMFullAccess", "vod:GetCategories", "*", "ImplicitDeny"],
    ["ReadOnlyAccess", "vod:GetCategories", "*", "Allow"],
    ["ReadOnlyAccess", "vod:CreateUploadVideo", "*", "ImplicitDeny"],
    ["ReadOnlyAccess", "sts:AssumeRole", ROLE_ARN, "ImplicitDeny"],
  ];
  it.each(decisions)("%s on %s (%s) → %s", (policy, action, resource, expected) => {
    expect(evaluateIdentityPolicies([documentOf(policy)], { action, resource, context: {} })).toBe(expected);
  });
});
