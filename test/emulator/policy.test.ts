import { describe, expect, it } from "vitest";
import {
  evaluateIdentityPolicies,
  evaluateSession,
  matchesWildcard,
  type AuthzRequest,
  type Decision,
  type PolicyDocument,
  type PolicyStatement,
} from "../../emulator/policy";

const policy = (...statements: PolicyStatement[]): PolicyDocument => ({
  Version: "1",
  Statement: statements,
});
const request = (action: string, resource = "*"): AuthzRequest => ({ action, resource, context: {} });
const ROLE_ARN = "acs:ram::1234567890123456:role/vodrole";

describe("evaluateIdentityPolicies", () => {
  const cases: { name: string; documents: PolicyDocument[]; request: AuthzRequest; expected: Decision }[] = [
    {
      name: "an Allow on the action and resource allows",
      documents: [policy({ Effect: "Allow", Action: "vod:GetCategories", Resource: "*" })],
      request: request("vod:GetCategories"),
      expected: "Allow",
    },
    {
      name: "no statement naming the action is an implicit deny",
      documents: [policy({ Effect: "Allow", Action: "vod:GetCategories", Resource: "*" })],
      request: request("vod:CreateUploadVideo"),
      expected: "ImplicitDeny",
    },
    {
      name: "no policies at all is an implicit deny",
      documents: [],
      request: request("vod:GetCategories"),
      expected: "ImplicitDeny",
    },
    {
      name: "an explicit Deny beats an Allow in the same policy",
      documents: [
        policy(
          { Effect: "Allow", Action: "vod:*", Resource: "*" },
          { Effect: "Deny", Action: "vod:CreateUploadVideo", Resource: "*" },
        ),
      ],
      request: request("vod:CreateUploadVideo"),
      expected: "ExplicitDeny",
    },
    {
      name: "an explicit Deny in one policy beats an Allow in another",
      documents: [
        policy({ Effect: "Deny", Action: "sts:AssumeRole", Resource: ROLE_ARN }),
        policy({ Effect: "Allow", Action: "*", Resource: "*" }),
      ],
      request: request("sts:AssumeRole", ROLE_ARN),
      expected: "ExplicitDeny",
    },
    {
      name: "a Deny that does not match the action leaves the Allow standing",
      documents: [
        policy(
          { Effect: "Allow", Action: "vod:*", Resource: "*" },
          { Effect: "Deny", Action: "vod:Delete*", Resource: "*" },
        ),
      ],
      request: request("vod:GetCategories"),
      expected: "Allow",
    },
    {
      name: "action wildcard vod:Get* covers vod:GetCategories",
      documents: [policy({ Effect: "Allow", Action: "vod:Get*", Resource: "*" })],
      request: request("vod:GetCategories"),
      expected: "Allow",
    },
    {
      name: "action wildcard vod:Get* does not cover vod:CreateUploadVideo",
      documents: [policy({ Effect: "Allow", Action: "vod:Get*", Resource: "*" })],
      request: request("vod:CreateUploadVideo"),
      expected: "ImplicitDeny",
    },
    {
      name: "actions compare case-insensitively (policy VOD:getcategories, request vod:GetCategories)",
      documents: [policy({ Effect: "Allow", Action: "VOD:getcategories", Resource: "*" })],
      request: request("vod:GetCategories"),
      expected: "Allow",
    },
    {
      name: "action wildcard ? matches exactly one character",
      documents: [policy({ Effect: "Allow", Action: "vod:GetCategor?es", Resource: "*" })],
      request: request("vod:GetCategories"),
      expected: "Allow",
    },
    {
      name: "action wildcard ? does not match zero characters",
      documents: [policy({ Effect: "Allow", Action: "vod:GetCategories?", Resource: "*" })],
      request: request("vod:GetCategories"),
      expected: "ImplicitDeny",
    },
    {
      name: "a list of actions allows any of them",
      documents: [
        policy({ Effect: "Allow", Action: ["vod:SearchMedia", "vod:GetCategories"], Resource: "*" }),
      ],
      request: request("vod:GetCategories"),
      expected: "Allow",
    },
    {
      name: "the service prefix must match: vod:* does not cover ram:CreateUser",
      documents: [policy({ Effect: "Allow", Action: "vod:*", Resource: "*" })],
      request: request("ram:CreateUser"),
      expected: "ImplicitDeny",
    },
    {
      name: "resource wildcard role/vod* covers the vodrole ARN",
      documents: [
        policy({
          Effect: "Allow",
          Action: "sts:AssumeRole",
          Resource: "acs:ram::1234567890123456:role/vod*",
        }),
      ],
      request: request("sts:AssumeRole", ROLE_ARN),
      expected: "Allow",
    },
    {
      name: "resource of another account is not covered",
      documents: [policy({ Effect: "Allow", Action: "sts:AssumeRole", Resource: "acs:ram::999:role/*" })],
      request: request("sts:AssumeRole", ROLE_ARN),
      expected: "ImplicitDeny",
    },
    {
      name: "resources compare case-sensitively (role/VODROLE does not cover role/vodrole)",
      documents: [
        policy({
          Effect: "Allow",
          Action: "sts:AssumeRole",
          Resource: "acs:ram::1234567890123456:role/VODROLE",
        }),
      ],
      request: request("sts:AssumeRole", ROLE_ARN),
      expected: "ImplicitDeny",
    },
    {
      name: "NotAction allows every action except the listed ones (allowed case)",
      documents: [policy({ Effect: "Allow", NotAction: "ram:*", Resource: "*" })],
      request: request("vod:GetCategories"),
      expected: "Allow",
    },
    {
      name: "NotAction allows every action except the listed ones (excluded case)",
      documents: [policy({ Effect: "Allow", NotAction: ["ram:*", "sts:*"], Resource: "*" })],
      request: request("sts:AssumeRole", ROLE_ARN),
      expected: "ImplicitDeny",
    },
    {
      name: "Deny with NotAction denies everything outside the list",
      documents: [
        policy(
          { Effect: "Allow", Action: "*", Resource: "*" },
          { Effect: "Deny", NotAction: "vod:*", Resource: "*" },
        ),
      ],
      request: request("ram:CreateUser"),
      expected: "ExplicitDeny",
    },
    {
      name: "NotResource allows every resource except the listed ones (excluded case)",
      documents: [
        policy({ Effect: "Allow", Action: "sts:AssumeRole", NotResource: "acs:ram::*:role/admin*" }),
      ],
      request: request("sts:AssumeRole", "acs:ram::1234567890123456:role/admin-ops"),
      expected: "ImplicitDeny",
    },
    {
      name: "NotResource allows every resource except the listed ones (allowed case)",
      documents: [
        policy({ Effect: "Allow", Action: "sts:AssumeRole", NotResource: "acs:ram::*:role/admin*" }),
      ],
      request: request("sts:AssumeRole", ROLE_ARN),
      expected: "Allow",
    },
    {
      name: "an Allow whose condition fails does not allow",
      documents: [
        policy({
          Effect: "Allow",
          Action: "vod:*",
          Resource: "*",
          Condition: { IpAddress: { "acs:SourceIp": "10.0.0.0/8" } },
        }),
      ],
      request: { action: "vod:GetCategories", resource: "*", context: { "acs:SourceIp": "127.0.0.1" } },
      expected: "ImplicitDeny",
    },
    {
      name: "a Deny whose condition fails does not deny",
      documents: [
        policy(
          { Effect: "Allow", Action: "vod:*", Resource: "*" },
          {
            Effect: "Deny",
            Action: "vod:*",
            Resource: "*",
            Condition: { Bool: { "acs:SecureTransport": "false" } },
          },
        ),
      ],
      request: { action: "vod:GetCategories", resource: "*", context: { "acs:SecureTransport": true } },
      expected: "Allow",
    },
    {
      name: "a Deny whose condition holds denies",
      documents: [
        policy(
          { Effect: "Allow", Action: "vod:*", Resource: "*" },
          {
            Effect: "Deny",
            Action: "vod:*",
            Resource: "*",
            Condition: { Bool: { "acs:SecureTransport": "false" } },
          },
        ),
      ],
      request: { action: "vod:GetCategories", resource: "*", context: { "acs:SecureTransport": false } },
      expected: "ExplicitDeny",
    },
  ];

  it.each(cases)("$name → $expected", ({ documents, request: authzRequest, expected }) => {
    expect(evaluateIdentityPolicies(documents, authzRequest)).toBe(expected);
  });
});

describe("evaluateSession", () => {
  const rolePolicies = [policy({ Effect: "Allow", Action: "vod:*", Resource: "*" })];
  const readOnlySession = policy({ Effect: "Allow", Action: "vod:Get*", Resource: "*" });
  const cases: {
    name: string;
    role: PolicyDocument[];
    session: PolicyDocument | undefined;
    action: string;
    expected: Decision;
  }[] = [
    {
      name: "no session policy: the role's Allow stands",
      role: rolePolicies,
      session: undefined,
      action: "vod:CreateUploadVideo",
      expected: "Allow",
    },
    {
      name: "role vod:* ∩ session vod:Get* allows GetCategories",
      role: rolePolicies,
      session: readOnlySession,
      action: "vod:GetCategories",
      expected: "Allow",
    },
    {
      name: "role vod:* ∩ session vod:Get* refuses CreateUploadVideo",
      role: rolePolicies,
      session: readOnlySession,
      action: "vod:CreateUploadVideo",
      expected: "ImplicitDeny",
    },
    {
      name: "a session policy cannot widen the role: session * does not grant ram:CreateUser",
      role: rolePolicies,
      session: policy({ Effect: "Allow", Action: "*", Resource: "*" }),
      action: "ram:CreateUser",
      expected: "ImplicitDeny",
    },
    {
      name: "an explicit Deny in the session policy wins over both Allows",
      role: rolePolicies,
      session: policy(
        { Effect: "Allow", Action: "vod:*", Resource: "*" },
        { Effect: "Deny", Action: "vod:GetCategories", Resource: "*" },
      ),
      action: "vod:GetCategories",
      expected: "ExplicitDeny",
    },
    {
      name: "an explicit Deny in the role's policies wins even when the session allows",
      role: [...rolePolicies, policy({ Effect: "Deny", Action: "vod:GetCategories", Resource: "*" })],
      session: readOnlySession,
      action: "vod:GetCategories",
      expected: "ExplicitDeny",
    },
  ];

  it.each(cases)("$name → $expected", ({ role, session, action, expected }) => {
    expect(evaluateSession(role, session, request(action))).toBe(expected);
  });
});

describe("matchesWildcard", () => {
  const cases: [pattern: string, value: string, ignoreCase: boolean, expected: boolean][] = [
    ["*", "", false, true],
    ["a*c", "abbbc", false, true],
    ["a*c", "abbbd", false, false],
    ["a.c", "abc", false, false],
    ["a(b)+", "a(b)+", false, true],
    ["A*", "abc", true, true],
    ["A*", "abc", false, false],
    ["ro?e/*", "role/vodrole", false, true],
  ];
  it.each(cases)("pattern %s against %s (ignoreCase %s) is %s", (pattern, value, ignoreCase, expected) => {
    expect(matchesWildcard(pattern, value, ignoreCase)).toBe(expected);
  });
});
