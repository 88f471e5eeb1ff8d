import { describe, expect, it } from "vitest";
import {
  evaluateTrustPolicy,
  parsePolicyDocument,
  type ConditionContext,
  type Decision,
  type PolicyDocument,
  type Principal,
} from "../../emulator/policy";

const ACCOUNT = "1234567890123456";
const OTHER = "6543210987654321";

const trust = (principal: unknown, extra: Record<string, unknown> = {}): PolicyDocument => {
  const text = JSON.stringify({
    Version: "1",
    Statement: [{ Effect: "Allow", Action: "sts:AssumeRole", Principal: principal, ...extra }],
  });
  const result = parsePolicyDocument(text, "trust");
  if (!result.ok) throw new Error(result.reason);
  return result.document;
};

const vodUser: Principal = { kind: "RAMUser", accountId: ACCOUNT, userName: "vod" };
const otherUser: Principal = { kind: "RAMUser", accountId: ACCOUNT, userName: "ops" };
const foreignUser: Principal = { kind: "RAMUser", accountId: OTHER, userName: "vod" };
const ciSession: Principal = { kind: "AssumedRoleUser", accountId: ACCOUNT, roleName: "ci-deployer" };

describe("evaluateTrustPolicy: principals", () => {
  const cases: { name: string; trust: PolicyDocument; principal: Principal; expected: Decision }[] = [
    {
      name: "root of the same account admits its RAM user",
      trust: trust({ RAM: `acs:ram::${ACCOUNT}:root` }),
      principal: vodUser,
      expected: "Allow",
    },
    {
      name: "root of the same account admits a session of its role",
      trust: trust({ RAM: `acs:ram::${ACCOUNT}:root` }),
      principal: ciSession,
      expected: "Allow",
    },
    {
      name: "root of another account refuses this account's user",
      trust: trust({ RAM: [`acs:ram::${OTHER}:root`] }),
      principal: vodUser,
      expected: "ImplicitDeny",
    },
    {
      name: "root of another account admits that account's user",
      trust: trust({ RAM: [`acs:ram::${OTHER}:root`] }),
      principal: foreignUser,
      expected: "Allow",
    },
    {
      name: "user/vod admits the user vod",
      trust: trust({ RAM: `acs:ram::${ACCOUNT}:user/vod` }),
      principal: vodUser,
      expected: "Allow",
    },
    {
      name: "user/vod refuses another user of the account",
      trust: trust({ RAM: `acs:ram::${ACCOUNT}:user/vod` }),
      principal: otherUser,
      expected: "ImplicitDeny",
    },
    {
      name: "user/vod refuses a user named vod in another account",
      trust: trust({ RAM: `acs:ram::${ACCOUNT}:user/vod` }),
      principal: foreignUser,
      expected: "ImplicitDeny",
    },
    {
      name: "user names compare case-insensitively (user/VOD admits vod)",
      trust: trust({ RAM: `acs:ram::${ACCOUNT}:user/VOD` }),
      principal: vodUser,
      expected: "Allow",
    },
    {
      name: "role/ci-deployer admits a session of that role",
      trust: trust({ RAM: `acs:ram::${ACCOUNT}:role/ci-deployer` }),
      principal: ciSession,
      expected: "Allow",
    },
    {
      name: "role/ci-deployer refuses a RAM user",
      trust: trust({ RAM: `acs:ram::${ACCOUNT}:role/ci-deployer` }),
      principal: vodUser,
      expected: "ImplicitDeny",
    },
    {
      name: "user/ci-deployer does not admit a session of role ci-deployer",
      trust: trust({ RAM: `acs:ram::${ACCOUNT}:user/ci-deployer` }),
      principal: ciSession,
      expected: "ImplicitDeny",
    },
    {
      name: "a Service principal refuses a RAM user",
      trust: trust({ Service: ["ecs.aliyuncs.com"] }),
      principal: vodUser,
      expected: "ImplicitDeny",
    },
    {
      name: "a Federated principal refuses a RAM user",
      trust: trust({ Federated: [`acs:ram::${ACCOUNT}:saml-provider/idp`] }),
      principal: vodUser,
      expected: "ImplicitDeny",
    },
    {
      name: "a list with several principals admits any of them",
      trust: trust({ RAM: [`acs:ram::${OTHER}:root`, `acs:ram::${ACCOUNT}:user/vod`] }),
      principal: vodUser,
      expected: "Allow",
    },
  ];

  it.each(cases)("$name → $expected", ({ trust: document, principal, expected }) => {
    expect(evaluateTrustPolicy(document, principal, {})).toBe(expected);
  });
});

describe("evaluateTrustPolicy: conditions and Deny", () => {
  const withExternalId = trust(
    { RAM: `acs:ram::${ACCOUNT}:root` },
    { Condition: { StringEquals: { "sts:ExternalId": "abcd1234" } } },
  );
  const cases: { name: string; context: ConditionContext; expected: Decision }[] = [
    {
      name: "the right ExternalId is admitted",
      context: { "sts:ExternalId": "abcd1234" },
      expected: "Allow",
    },
    {
      name: "a wrong ExternalId is refused",
      context: { "sts:ExternalId": "wrong" },
      expected: "ImplicitDeny",
    },
    { name: "a missing ExternalId is refused", context: {}, expected: "ImplicitDeny" },
  ];
  it.each(cases)("ExternalId condition: $name → $expected", ({ context, expected }) => {
    expect(evaluateTrustPolicy(withExternalId, vodUser, context)).toBe(expected);
  });

  it.each([
    ["127.0.0.1", "Allow"],
    ["203.0.113.9", "ImplicitDeny"],
  ] as const)("source IP condition: a caller from %s → %s", (ip, expected) => {
    const document = trust(
      { RAM: `acs:ram::${ACCOUNT}:user/vod` },
      { Condition: { IpAddress: { "acs:SourceIp": "127.0.0.0/8" } } },
    );
    expect(evaluateTrustPolicy(document, vodUser, { "acs:SourceIp": ip })).toBe(expected);
  });

  it("an explicit Deny for the user wins over the account-wide Allow → ExplicitDeny", () => {
    const document: PolicyDocument = {
      Version: "1",
      Statement: [
        { Effect: "Allow", Action: "sts:AssumeRole", Principal: { RAM: `acs:ram::${ACCOUNT}:root` } },
        { Effect: "Deny", Action: "sts:AssumeRole", Principal: { RAM: `acs:ram::${ACCOUNT}:user/vod` } },
      ],
    };
    expect(evaluateTrustPolicy(document, vodUser, {})).toBe("ExplicitDeny");
    expect(evaluateTrustPolicy(document, otherUser, {})).toBe("Allow");
  });

  it("Action sts:* in a trust policy covers sts:AssumeRole → Allow", () => {
    const document = trust({ RAM: `acs:ram::${ACCOUNT}:user/vod` }, { Action: "sts:*" });
    expect(evaluateTrustPolicy(document, vodUser, {})).toBe("Allow");
  });
});
