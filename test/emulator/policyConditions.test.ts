import { describe, expect, it } from "vitest";
import { conditionsHold, evaluateIdentityPolicies, type ConditionContext } from "../../emulator/policy";

type Condition = Record<string, Record<string, string | string[] | boolean | boolean[]>>;

describe("condition operators: match, mismatch, missing key", () => {
  const cases: { name: string; condition: Condition; context: ConditionContext; expected: boolean }[] = [
    // StringEquals
    {
      name: "StringEquals matches the exact value",
      condition: { StringEquals: { "sts:ExternalId": "abc" } },
      context: { "sts:ExternalId": "abc" },
      expected: true,
    },
    {
      name: "StringEquals is case-sensitive",
      condition: { StringEquals: { "sts:ExternalId": "abc" } },
      context: { "sts:ExternalId": "ABC" },
      expected: false,
    },
    {
      name: "StringEquals with a missing key is false",
      condition: { StringEquals: { "sts:ExternalId": "abc" } },
      context: {},
      expected: false,
    },
    {
      name: "StringEquals with several values matches any of them (OR)",
      condition: { StringEquals: { "sts:ExternalId": ["x", "abc"] } },
      context: { "sts:ExternalId": "abc" },
      expected: true,
    },
    // StringNotEquals
    {
      name: "StringNotEquals holds for another value",
      condition: { StringNotEquals: { "sts:ExternalId": "abc" } },
      context: { "sts:ExternalId": "xyz" },
      expected: true,
    },
    {
      name: "StringNotEquals fails for the listed value",
      condition: { StringNotEquals: { "sts:ExternalId": ["x", "abc"] } },
      context: { "sts:ExternalId": "abc" },
      expected: false,
    },
    {
      name: "StringNotEquals with a missing key holds",
      condition: { StringNotEquals: { "sts:ExternalId": "abc" } },
      context: {},
      expected: true,
    },
    // StringEqualsIgnoreCase / StringNotEqualsIgnoreCase
    {
      name: "StringEqualsIgnoreCase ignores case",
      condition: { StringEqualsIgnoreCase: { "sts:ExternalId": "AbC" } },
      context: { "sts:ExternalId": "aBc" },
      expected: true,
    },
    {
      name: "StringEqualsIgnoreCase fails for another value",
      condition: { StringEqualsIgnoreCase: { "sts:ExternalId": "abc" } },
      context: { "sts:ExternalId": "abd" },
      expected: false,
    },
    {
      name: "StringEqualsIgnoreCase with a missing key is false",
      condition: { StringEqualsIgnoreCase: { "sts:ExternalId": "abc" } },
      context: {},
      expected: false,
    },
    {
      name: "StringNotEqualsIgnoreCase fails for the value in another case",
      condition: { StringNotEqualsIgnoreCase: { "sts:ExternalId": "ABC" } },
      context: { "sts:ExternalId": "abc" },
      expected: false,
    },
    // StringLike / StringNotLike
    {
      name: "StringLike matches a * pattern",
      condition: { StringLike: { "sts:ExternalId": "team-*" } },
      context: { "sts:ExternalId": "team-video" },
      expected: true,
    },
    {
      name: "StringLike matches a ? pattern",
      condition: { StringLike: { "sts:ExternalId": "id-??" } },
      context: { "sts:ExternalId": "id-42" },
      expected: true,
    },
    {
      name: "StringLike fails outside the pattern",
      condition: { StringLike: { "sts:ExternalId": "team-*" } },
      context: { "sts:ExternalId": "ops-video" },
      expected: false,
    },
    {
      name: "StringLike with a missing key is false",
      condition: { StringLike: { "sts:ExternalId": "*" } },
      context: {},
      expected: false,
    },
    {
      name: "StringNotLike holds outside the pattern",
      condition: { StringNotLike: { "sts:ExternalId": "team-*" } },
      context: { "sts:ExternalId": "ops" },
      expected: true,
    },
    {
      name: "StringNotLike fails inside the pattern",
      condition: { StringNotLike: { "sts:ExternalId": "team-*" } },
      context: { "sts:ExternalId": "team-a" },
      expected: false,
    },
    {
      name: "StringNotLike with a missing key holds",
      condition: { StringNotLike: { "sts:ExternalId": "team-*" } },
      context: {},
      expected: true,
    },
    // Bool
    {
      name: "Bool true matches a true request value",
      condition: { Bool: { "acs:SecureTransport": "true" } },
      context: { "acs:SecureTransport": true },
      expected: true,
    },
    {
      name: "Bool true fails for a false request value",
      condition: { Bool: { "acs:SecureTransport": "true" } },
      context: { "acs:SecureTransport": false },
      expected: false,
    },
    {
      name: "Bool accepts a JSON boolean in the policy",
      condition: { Bool: { "acs:MFAPresent": false } },
      context: { "acs:MFAPresent": false },
      expected: true,
    },
    {
      name: "Bool with a missing key is false",
      condition: { Bool: { "acs:MFAPresent": "true" } },
      context: {},
      expected: false,
    },
    // IpAddress / NotIpAddress
    {
      name: "IpAddress matches an address inside the CIDR block",
      condition: { IpAddress: { "acs:SourceIp": "127.0.0.0/8" } },
      context: { "acs:SourceIp": "127.0.0.1" },
      expected: true,
    },
    {
      name: "IpAddress fails for an address outside the CIDR block",
      condition: { IpAddress: { "acs:SourceIp": "10.0.0.0/8" } },
      context: { "acs:SourceIp": "127.0.0.1" },
      expected: false,
    },
    {
      name: "IpAddress with a bare address is that /32 only (in)",
      condition: { IpAddress: { "acs:SourceIp": "192.168.1.10" } },
      context: { "acs:SourceIp": "192.168.1.10" },
      expected: true,
    },
    {
      name: "IpAddress with a bare address is that /32 only (out)",
      condition: { IpAddress: { "acs:SourceIp": "192.168.1.10" } },
      context: { "acs:SourceIp": "192.168.1.11" },
      expected: false,
    },
    {
      name: "IpAddress /24 covers the last address of the block",
      condition: { IpAddress: { "acs:SourceIp": "192.168.1.0/24" } },
      context: { "acs:SourceIp": "192.168.1.255" },
      expected: true,
    },
    {
      name: "IpAddress /24 refuses the next block",
      condition: { IpAddress: { "acs:SourceIp": "192.168.1.0/24" } },
      context: { "acs:SourceIp": "192.168.2.0" },
      expected: false,
    },
    {
      name: "IpAddress with several blocks matches any (OR)",
      condition: { IpAddress: { "acs:SourceIp": ["10.0.0.0/8", "127.0.0.1"] } },
      context: { "acs:SourceIp": "127.0.0.1" },
      expected: true,
    },
    {
      name: "IpAddress matches IPv6 inside the block",
      condition: { IpAddress: { "acs:SourceIp": "2001:db8::/32" } },
      context: { "acs:SourceIp": "2001:db8::1" },
      expected: true,
    },
    {
      name: "IpAddress refuses IPv6 outside the block",
      condition: { IpAddress: { "acs:SourceIp": "2001:db8::/32" } },
      context: { "acs:SourceIp": "2001:db9::1" },
      expected: false,
    },
    {
      name: "IpAddress reads an IPv4-mapped IPv6 peer as IPv4",
      condition: { IpAddress: { "acs:SourceIp": "127.0.0.1" } },
      context: { "acs:SourceIp": "::ffff:127.0.0.1" },
      expected: true,
    },
    {
      name: "IpAddress with a missing key is false",
      condition: { IpAddress: { "acs:SourceIp": "0.0.0.0/0" } },
      context: {},
      expected: false,
    },
    {
      name: "IpAddress with a request value that is not an IP is false",
      condition: { IpAddress: { "acs:SourceIp": "0.0.0.0/0" } },
      context: { "acs:SourceIp": "localhost" },
      expected: false,
    },
    {
      name: "NotIpAddress holds outside the block",
      condition: { NotIpAddress: { "acs:SourceIp": "10.0.0.0/8" } },
      context: { "acs:SourceIp": "127.0.0.1" },
      expected: true,
    },
    {
      name: "NotIpAddress fails inside the block",
      condition: { NotIpAddress: { "acs:SourceIp": "127.0.0.0/8" } },
      context: { "acs:SourceIp": "127.0.0.1" },
      expected: false,
    },
    {
      name: "NotIpAddress with a missing key holds",
      condition: { NotIpAddress: { "acs:SourceIp": "127.0.0.0/8" } },
      context: {},
      expected: true,
    },
    // Numeric and Date
    {
      name: "NumericLessThan holds for a smaller number",
      condition: { NumericLessThan: { "test:Count": "10" } },
      context: { "test:Count": "9" },
      expected: true,
    },
    {
      name: "NumericLessThan fails for an equal number",
      condition: { NumericLessThan: { "test:Count": "10" } },
      context: { "test:Count": "10" },
      expected: false,
    },
    {
      name: "NumericEquals fails for a non-numeric request value",
      condition: { NumericEquals: { "test:Count": "10" } },
      context: { "test:Count": "ten" },
      expected: false,
    },
    {
      name: "NumericGreaterThanEquals with a missing key is false",
      condition: { NumericGreaterThanEquals: { "test:Count": "1" } },
      context: {},
      expected: false,
    },
    {
      name: "DateLessThan holds before the date",
      condition: { DateLessThan: { "acs:CurrentTime": "2030-01-01T00:00:00Z" } },
      context: { "acs:CurrentTime": "2026-12-04T15:00:00Z" },
      expected: true,
    },
    {
      name: "DateLessThan fails after the date",
      condition: { DateLessThan: { "acs:CurrentTime": "2020-01-01T00:00:00Z" } },
      context: { "acs:CurrentTime": "2026-12-04T15:00:00Z" },
      expected: false,
    },
    // Combination rules
    {
      name: "two keys under one operator must both hold (AND), second fails",
      condition: { StringEquals: { "sts:ExternalId": "abc", "test:Team": "video" } },
      context: { "sts:ExternalId": "abc", "test:Team": "ops" },
      expected: false,
    },
    {
      name: "two keys under one operator must both hold (AND), both hold",
      condition: { StringEquals: { "sts:ExternalId": "abc", "test:Team": "video" } },
      context: { "sts:ExternalId": "abc", "test:Team": "video" },
      expected: true,
    },
    {
      name: "two operators must both hold (AND)",
      condition: { StringEquals: { "sts:ExternalId": "abc" }, IpAddress: { "acs:SourceIp": "10.0.0.0/8" } },
      context: { "sts:ExternalId": "abc", "acs:SourceIp": "127.0.0.1" },
      expected: false,
    },
    {
      name: "condition key names compare case-insensitively",
      condition: { StringEquals: { "STS:EXTERNALID": "abc" } },
      context: { "sts:ExternalId": "abc" },
      expected: true,
    },
    {
      name: "an operator not in the grammar never holds",
      condition: { StringEqualsIfExists: { "sts:ExternalId": "abc" } },
      context: { "sts:ExternalId": "abc" },
      expected: false,
    },
  ];

  it.each(cases)("$name → $expected", ({ condition, context, expected }) => {
    expect(conditionsHold(condition, context)).toBe(expected);
  });
});

describe("conditions inside a policy decision", () => {
  const sourceIpPolicy = {
    Version: "1" as const,
    Statement: [
      {
        Effect: "Allow" as const,
        Action: "vod:*",
        Resource: "*",
        Condition: { IpAddress: { "acs:SourceIp": ["192.168.0.0/16", "127.0.0.1"] } },
      },
    ],
  };
  it.each([
    ["127.0.0.1", "Allow"],
    ["192.168.44.2", "Allow"],
    ["8.8.8.8", "ImplicitDeny"],
  ])("a caller from %s gets %s under an acs:SourceIp allow-list", (ip, expected) => {
    expect(
      evaluateIdentityPolicies([sourceIpPolicy], {
        action: "vod:GetCategories",
        resource: "*",
        context: { "acs:SourceIp": ip },
      }),
    ).toBe(expected);
  });
});
