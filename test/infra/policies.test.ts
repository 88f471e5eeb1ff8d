import { describe, expect, it } from "vitest";
import {
  isHighRiskDocument,
  type PolicyDocument,
  scopedAssumeRolePolicy,
  serializePolicy,
  trustPolicy,
  vodSessionPolicy,
} from "../../infra/policies";

const allow = (Action: string | string[]): PolicyDocument => ({
  Version: "1",
  Statement: [{ Effect: "Allow", Action, Resource: "*" }],
});

describe("vodSessionPolicy narrows a token to the presets' actions", () => {
  it.each([
    [["full"], ["vod:*"]],
    [["readonly"], ["vod:Get*", "vod:List*", "vod:Search*", "vod:Describe*"]],
    [["upload"], ["vod:CreateUploadVideo", "vod:RefreshUploadVideo", "vod:CreateUploadImage"]],
    [["upload", "full"], ["vod:*"]],
    [
      ["play", "play"],
      ["vod:GetPlayInfo", "vod:GetVideoPlayAuth", "vod:GetVideoPlayInfo", "vod:GetVideoInfo"],
    ],
  ] as const)("%j → %j", (presets, actions) => {
    expect(vodSessionPolicy(presets)).toEqual({
      Version: "1",
      Statement: [{ Effect: "Allow", Action: actions, Resource: "*" }],
    });
  });

  it("refuses an empty preset list", () => {
    expect(() => vodSessionPolicy([])).toThrowError("vodSessionPolicy: at least one VOD preset is required");
  });
});

const denyAll: PolicyDocument = { Version: "1", Statement: [{ Effect: "Deny", Action: "*", Resource: "*" }] };

describe("isHighRiskDocument flags what the console flags", () => {
  it.each([
    [allow("*"), true],
    [allow("*:*"), true],
    [allow(["vod:*", "RAM:*"]), true],
    [allow("ram:GetUser"), false],
    [allow("vod:*"), false],
    [denyAll, false],
  ])("%j → %s", (doc, risky) => {
    expect(isHighRiskDocument(doc)).toBe(risky);
  });
});

describe("serializePolicy has one canonical form", () => {
  it("orders statement keys and sorts and dedupes principals whatever the input order", () => {
    const a = serializePolicy({
      Version: "1",
      Statement: [{ Principal: { RAM: ["b", "a", "b"] }, Action: "sts:AssumeRole", Effect: "Allow" }],
    });
    expect(a).toBe(
      '{"Version":"1","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole","Principal":{"RAM":["a","b"]}}]}',
    );
  });

  it("sorts condition operators and keys", () => {
    const doc = trustPolicy(
      "1234567890123456",
      "vod",
      { createdUser: true, currentAccount: false, otherAccounts: [], principals: [] },
      { externalId: "x1", allowedSourceIps: ["10.0.0.0/8"] },
    );
    expect(serializePolicy(doc)).toContain(
      '"Condition":{"IpAddress":{"acs:SourceIp":["10.0.0.0/8"]},"StringEquals":{"sts:ExternalId":"x1"}}',
    );
  });
});

it("scopedAssumeRolePolicy allows sts:AssumeRole on the one role ARN", () => {
  expect(scopedAssumeRolePolicy("1234567890123456", "vodrole")).toEqual({
    Version: "1",
    Statement: [
      { Effect: "Allow", Action: "sts:AssumeRole", Resource: "acs:ram::1234567890123456:role/vodrole" },
    ],
  });
});
