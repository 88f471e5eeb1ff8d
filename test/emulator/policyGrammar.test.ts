import { describe, expect, it } from "vitest";
import { parsePolicyDocument, POLICY_SIZE_LIMITS, type PolicyKind } from "../../emulator/policy";

const doc = (...statements: unknown[]): string => JSON.stringify({ Version: "1", Statement: statements });
const allowVod = { Effect: "Allow", Action: "vod:*", Resource: "*" };
const trustUser = {
  Effect: "Allow",
  Action: "sts:AssumeRole",
  Principal: { RAM: ["acs:ram::1234567890123456:user/vod"] },
};

describe("parsePolicyDocument refuses bad documents with the exact reason", () => {
  const cases: { name: string; text: string; kind: PolicyKind; reason: string }[] = [
    {
      name: "text that is not JSON",
      text: "{Version:1",
      kind: "identity",
      reason: "Policy document is not valid JSON",
    },
    { name: "a JSON array", text: "[]", kind: "identity", reason: "Policy document must be a JSON object" },
    {
      name: "an unknown top-level element",
      text: JSON.stringify({ Version: "1", Statement: [allowVod], Id: "x" }),
      kind: "identity",
      reason: 'Policy document has unknown element "Id"; allowed: Version, Statement',
    },
    {
      name: "the AWS version string",
      text: JSON.stringify({ Version: "2012-10-17", Statement: [allowVod] }),
      kind: "identity",
      reason: 'Version must be "1", got "2012-10-17"',
    },
    {
      name: "a numeric version",
      text: JSON.stringify({ Version: 1, Statement: [allowVod] }),
      kind: "identity",
      reason: 'Version must be "1", got 1',
    },
    {
      name: "a missing Statement",
      text: JSON.stringify({ Version: "1" }),
      kind: "identity",
      reason: "Statement must be a non-empty list of statements",
    },
    {
      name: "an empty Statement list",
      text: doc(),
      kind: "identity",
      reason: "Statement must be a non-empty list of statements",
    },
    {
      name: "a statement that is a string",
      text: doc("Allow"),
      kind: "identity",
      reason: "Statement[0] must be an object",
    },
    {
      name: "a lower-case effect",
      text: doc({ ...allowVod, Effect: "allow" }),
      kind: "identity",
      reason: 'Statement[0].Effect must be Allow or Deny, got "allow"',
    },
    {
      name: "a missing effect",
      text: doc({ Action: "vod:*", Resource: "*" }),
      kind: "identity",
      reason: "Statement[0] must have Effect (Allow or Deny)",
    },
    {
      name: "an unknown statement element",
      text: doc({ ...allowVod, Actions: "vod:*" }),
      kind: "identity",
      reason:
        'Statement[0] has unknown element "Actions"; allowed: Sid, Effect, Action, NotAction, Resource, NotResource, Principal, Condition',
    },
    {
      name: "a missing action (second statement)",
      text: doc(allowVod, { Effect: "Allow", Resource: "*" }),
      kind: "identity",
      reason: "Statement[1] must have Action or NotAction",
    },
    {
      name: "both Action and NotAction",
      text: doc({ ...allowVod, NotAction: "ram:*" }),
      kind: "identity",
      reason: "Statement[0] cannot have both Action and NotAction",
    },
    {
      name: "an empty action list",
      text: doc({ ...allowVod, Action: [] }),
      kind: "identity",
      reason: "Statement[0].Action must be a non-empty string or a non-empty list of non-empty strings",
    },
    {
      name: "an action without a service",
      text: doc({ ...allowVod, Action: ["vod:Get*", "GetCategories"] }),
      kind: "identity",
      reason: 'Statement[0].Action[1] "GetCategories" must be "*" or "<service>:<action>"',
    },
    {
      name: "a missing resource",
      text: doc({ Effect: "Allow", Action: "vod:*" }),
      kind: "identity",
      reason: "Statement[0] must have Resource or NotResource",
    },
    {
      name: "both Resource and NotResource",
      text: doc({ ...allowVod, NotResource: "acs:vod:*" }),
      kind: "identity",
      reason: "Statement[0] cannot have both Resource and NotResource",
    },
    {
      name: "a numeric resource",
      text: doc({ ...allowVod, Resource: 5 }),
      kind: "identity",
      reason: "Statement[0].Resource must be a non-empty string or a non-empty list of non-empty strings",
    },
    {
      name: "a Principal in an identity policy",
      text: doc({ ...allowVod, Principal: { RAM: "acs:ram::1:root" } }),
      kind: "identity",
      reason: "Statement[0].Principal is not allowed in an identity policy",
    },
    {
      name: "a Principal in a session policy",
      text: doc({ ...allowVod, Principal: "*" }),
      kind: "session",
      reason: "Statement[0].Principal is not allowed in a session policy",
    },
    {
      name: "an unknown condition operator",
      text: doc({ ...allowVod, Condition: { StringMatches: { "sts:ExternalId": "a" } } }),
      kind: "identity",
      reason:
        'Statement[0].Condition operator "StringMatches" is not supported; supported: StringEquals, StringNotEquals, StringEqualsIgnoreCase, StringNotEqualsIgnoreCase, StringLike, StringNotLike, NumericEquals, NumericNotEquals, NumericLessThan, NumericLessThanEquals, NumericGreaterThan, NumericGreaterThanEquals, DateEquals, DateNotEquals, DateLessThan, DateLessThanEquals, DateGreaterThan, DateGreaterThanEquals, Bool, IpAddress, NotIpAddress',
    },
    {
      name: "a Condition that is a list",
      text: doc({ ...allowVod, Condition: [] }),
      kind: "identity",
      reason: "Statement[0].Condition must be an object of condition operators",
    },
    {
      name: "an operator with no keys",
      text: doc({ ...allowVod, Condition: { StringEquals: {} } }),
      kind: "identity",
      reason: "Statement[0].Condition.StringEquals must map condition keys to values",
    },
    {
      name: "a condition value that is an object",
      text: doc({ ...allowVod, Condition: { StringEquals: { "sts:ExternalId": { a: 1 } } } }),
      kind: "identity",
      reason:
        'Statement[0].Condition.StringEquals["sts:ExternalId"] must be a string, number, boolean or a non-empty list of them',
    },
    {
      name: "an IpAddress value that is not an address",
      text: doc({ ...allowVod, Condition: { IpAddress: { "acs:SourceIp": ["10.0.0.0/8", "10.0.0"] } } }),
      kind: "identity",
      reason:
        'Statement[0].Condition.IpAddress["acs:SourceIp"] value "10.0.0" must be an IP address or CIDR block',
    },
    {
      name: "an IPv4 prefix over 32",
      text: doc({ ...allowVod, Condition: { NotIpAddress: { "acs:SourceIp": "10.0.0.0/33" } } }),
      kind: "identity",
      reason:
        'Statement[0].Condition.NotIpAddress["acs:SourceIp"] value "10.0.0.0/33" must be an IP address or CIDR block',
    },
    {
      name: "a Bool value that is not a boolean",
      text: doc({ ...allowVod, Condition: { Bool: { "acs:SecureTransport": "yes" } } }),
      kind: "identity",
      reason: 'Statement[0].Condition.Bool["acs:SecureTransport"] value "yes" must be true or false',
    },
    {
      name: "a Numeric value that is not a number",
      text: doc({ ...allowVod, Condition: { NumericLessThan: { "test:Count": "ten" } } }),
      kind: "identity",
      reason: 'Statement[0].Condition.NumericLessThan["test:Count"] value "ten" must be a number',
    },
    {
      name: "a trust statement without Principal",
      text: doc({ Effect: "Allow", Action: "sts:AssumeRole" }),
      kind: "trust",
      reason: "Statement[0] must have Principal in a trust policy",
    },
    {
      name: "a trust statement with a VOD action",
      text: doc({ ...trustUser, Action: "vod:*" }),
      kind: "trust",
      reason:
        'Statement[0].Action "vod:*" is not allowed in a trust policy; allowed: sts:AssumeRole, sts:*, *',
    },
    {
      name: "a trust statement with NotAction",
      text: doc({ Effect: "Allow", NotAction: "vod:*", Principal: trustUser.Principal }),
      kind: "trust",
      reason: "Statement[0].NotAction is not allowed in a trust policy; use Action sts:AssumeRole",
    },
    {
      name: "an AWS principal type",
      text: doc({ ...trustUser, Principal: { AWS: "arn:aws:iam::1:root" } }),
      kind: "trust",
      reason: 'Statement[0].Principal has unknown type "AWS"; allowed: RAM, Service, Federated',
    },
    {
      name: "an empty Principal object",
      text: doc({ ...trustUser, Principal: {} }),
      kind: "trust",
      reason: 'Statement[0].Principal must be "*" or an object with RAM, Service, Federated',
    },
    {
      name: "a malformed RAM principal",
      text: doc({
        ...trustUser,
        Principal: { RAM: ["acs:ram::1234567890123456:user/vod", "acs:ram::abc:root"] },
      }),
      kind: "trust",
      reason:
        'Statement[0].Principal.RAM[1] "acs:ram::abc:root" must be "acs:ram::<accountId>:root", "acs:ram::<accountId>:user/<name>" or "acs:ram::<accountId>:role/<name>"',
    },
  ];

  it.each(cases)("$name ($kind) → $reason", ({ text, kind, reason }) => {
    expect(parsePolicyDocument(text, kind)).toEqual({ ok: false, reason });
  });
});

describe("parsePolicyDocument accepts good documents", () => {
  it("returns the parsed identity document with string and list forms kept", () => {
    const text = doc({ Effect: "Allow", Action: ["vod:Get*", "vod:List*"], Resource: "*" });
    expect(parsePolicyDocument(text, "identity")).toEqual({
      ok: true,
      document: {
        Version: "1",
        Statement: [{ Effect: "Allow", Action: ["vod:Get*", "vod:List*"], Resource: "*" }],
      },
    });
  });

  it("accepts a trust policy without Resource and with a Service principal", () => {
    const text = doc({
      Effect: "Allow",
      Action: "sts:AssumeRole",
      Principal: { Service: ["ecs.aliyuncs.com"] },
    });
    expect(parsePolicyDocument(text, "trust").ok).toBe(true);
  });

  it("accepts the recipe's trust policy with an ExternalId condition", () => {
    const text = doc({ ...trustUser, Condition: { StringEquals: { "sts:ExternalId": "abcd1234" } } });
    const result = parsePolicyDocument(text, "trust");
    expect(result.ok && result.document.Statement[0]?.Condition).toEqual({
      StringEquals: { "sts:ExternalId": "abcd1234" },
    });
  });

  it("turns numeric condition values into strings", () => {
    const text = doc({ ...allowVod, Condition: { NumericLessThan: { "test:Count": [10, "20"] } } });
    const result = parsePolicyDocument(text, "identity");
    expect(result.ok && result.document.Statement[0]?.Condition).toEqual({
      NumericLessThan: { "test:Count": ["10", "20"] },
    });
  });
});

describe("parsePolicyDocument size limits", () => {
  // Pads a valid document with whitespace to exactly `bytes` bytes.
  const sized = (bytes: number): string => {
    const base = doc(allowVod);
    return base.slice(0, -1) + " ".repeat(bytes - base.length) + "}";
  };

  it.each([
    ["identity", 6144, 6145, "a custom policy allows at most 6144 bytes"],
    ["session", 2048, 2049, "a session policy allows at most 2048 bytes"],
  ] as const)("%s: %i bytes pass, %i bytes are refused as too large", (kind, fits, tooBig, tail) => {
    expect(POLICY_SIZE_LIMITS[kind]).toBe(fits);
    expect(sized(fits)).toHaveLength(fits);
    expect(parsePolicyDocument(sized(fits), kind).ok).toBe(true);
    expect(parsePolicyDocument(sized(tooBig), kind)).toEqual({
      ok: false,
      tooLarge: true,
      reason: `Policy document is ${tooBig} bytes; ${tail}`,
    });
  });

  it("counts UTF-8 bytes, not characters (a session policy of 1100 two-byte characters is refused)", () => {
    const text = doc({ ...allowVod, Sid: "é".repeat(1100) });
    const result = parsePolicyDocument(text, "session");
    expect(result).toEqual({
      ok: false,
      tooLarge: true,
      reason: `Policy document is ${Buffer.byteLength(text)} bytes; a session policy allows at most 2048 bytes`,
    });
  });
});
