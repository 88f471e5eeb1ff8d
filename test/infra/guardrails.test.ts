import { describe, expect, it } from "vitest";
import { parseSettings, type RawSettings, SettingsError } from "../../infra/config";
import { loadStackConfig } from "../../local/stackConfig";
import { runRefusedProgram } from "../helpers/program";

/** The dev stack's raw config (project defaults + Pulumi.dev.yaml) with `key=value` overrides. */
function rawWith(overrides: string[]): RawSettings {
  const { values } = loadStackConfig("dev", overrides);
  const raw: Record<string, string> = {};
  for (const [key, value] of Object.entries(values)) {
    if (key.startsWith("vod-sts:")) raw[key.slice("vod-sts:".length)] = value;
  }
  if (values["alicloud:region"] !== undefined) raw.region = values["alicloud:region"];
  return raw;
}

function problemsOf(raw: RawSettings): readonly string[] {
  try {
    parseSettings(raw);
  } catch (error) {
    if (error instanceof SettingsError) return error.problems;
    throw error;
  }
  throw new Error("expected the settings to be refused");
}

const ADMIN_DOC = JSON.stringify({
  Version: "1",
  Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }],
});
const RAM_DOC = JSON.stringify({
  Version: "1",
  Statement: [{ Effect: "Allow", Action: ["ram:*"], Resource: "*" }],
});

describe("every bad setting is refused with a message naming the key, the value and what is allowed", () => {
  it.each([
    ["userName=", "vod-sts:userName: \"\" is not allowed: use 1–64 letters, digits, '.', '_' or '-'"],
    [
      "userName=vod user",
      "vod-sts:userName: \"vod user\" is not allowed: use 1–64 letters, digits, '.', '_' or '-'",
    ],
    [
      `userName=${"u".repeat(65)}`,
      `vod-sts:userName: "${"u".repeat(65)}" is not allowed: use 1–64 letters, digits, '.', '_' or '-'`,
    ],
    [
      "roleName=vod_role",
      "vod-sts:roleName: \"vod_role\" is not allowed: use 1–64 letters, digits, '.' or '-'",
    ],
    [
      "maxSessionDuration=3599",
      'vod-sts:maxSessionDuration: "3599" is not allowed: use a whole number of seconds from 3600 to 43200',
    ],
    [
      "maxSessionDuration=43201",
      'vod-sts:maxSessionDuration: "43201" is not allowed: use a whole number of seconds from 3600 to 43200',
    ],
    [
      "maxSessionDuration=1h",
      'vod-sts:maxSessionDuration: "1h" is not allowed: use a whole number of seconds from 3600 to 43200',
    ],
    [
      "trust=[]",
      "vod-sts:trust: is empty: name at least one principal who may assume the role (`user`, `account`, an account ID or a RAM ARN)",
    ],
    ["trust=12345", 'vod-sts:trust: "12345" is not an account ID: Alibaba Cloud account IDs have 16 digits'],
    [
      "trust=acs:ram::123:user/vod",
      'vod-sts:trust: "acs:ram::123:user/vod" is not allowed: use "user" (the created user), "account" (every RAM identity of this account), a 16-digit account ID, or acs:ram::<16-digit account>:user/<name> or :role/<name>',
    ],
    [
      "trust=everyone",
      'vod-sts:trust: "everyone" is not allowed: use "user" (the created user), "account" (every RAM identity of this account), a 16-digit account ID, or acs:ram::<16-digit account>:user/<name> or :role/<name>',
    ],
    [
      "trust=not json [",
      'vod-sts:trust: "not json [" is not allowed: use "user" (the created user), "account" (every RAM identity of this account), a 16-digit account ID, or acs:ram::<16-digit account>:user/<name> or :role/<name>',
    ],
    [
      "rolePolicies=AdministratorAccess",
      'vod-sts:rolePolicies: "AdministratorAccess" is high-risk (full control of resources or of RAM): refused unless vod-sts:allowHighRiskPolicies is true',
    ],
    [
      "userPolicies=AliyunRAMFullAccess",
      'vod-sts:userPolicies: "AliyunRAMFullAccess" is high-risk (full control of resources or of RAM): refused unless vod-sts:allowHighRiskPolicies is true',
    ],
    [
      `rolePolicies=${JSON.stringify([ADMIN_DOC])}`,
      'vod-sts:rolePolicies: custom policy allowing ["*"] is high-risk (full control of resources or of RAM): refused unless vod-sts:allowHighRiskPolicies is true',
    ],
    [
      `userPolicies=${JSON.stringify([RAM_DOC])}`,
      'vod-sts:userPolicies: custom policy allowing ["ram:*"] is high-risk (full control of resources or of RAM): refused unless vod-sts:allowHighRiskPolicies is true',
    ],
    [
      'rolePolicies=["{\\"Version\\":\\"1\\",\\"Statement\\":[{\\"Effect\\":\\"Permit\\",\\"Action\\":\\"vod:*\\",\\"Resource\\":\\"*\\"}]}"]',
      'vod-sts:rolePolicies: custom policy Statement[0].Effect must be "Allow" or "Deny"',
    ],
    [
      'rolePolicies=["{not json"]',
      'vod-sts:rolePolicies: custom policy "{not json" is not valid JSON: write it as {"Version":"1","Statement":[…]}',
    ],
    [
      "rolePolicies=Aliyun VOD",
      "vod-sts:rolePolicies: \"Aliyun VOD\" is not allowed: use a system policy name (letters, digits, '-'), a VOD preset (full, readonly, upload, play), or a custom policy document as JSON",
    ],
    [
      "rolePolicies=[]",
      "vod-sts:rolePolicies: is empty: the role needs at least one policy (the recipe uses AliyunVODFullAccess)",
    ],
    ["rolePolicies=full,AliyunVODFullAccess", 'vod-sts:rolePolicies: "AliyunVODFullAccess" is listed twice'],
    [
      "userPolicyScope=rg-aek2abc3def4",
      'vod-sts:userPolicyScope: "rg-aek2abc3def4" is not allowed: the user\'s permissions must be granted at "account" scope — RAM roles are account-level resources, so a resource-group grant can never allow sts:AssumeRole',
    ],
    [
      "rolePolicyScope=my-group",
      'vod-sts:rolePolicyScope: "my-group" is not allowed: use "account" or a resource group ID such as rg-aek2abc3def4',
    ],
    [
      "assumeRolePermission=any",
      'vod-sts:assumeRolePermission: "any" is not allowed: use "system" (AliyunSTSAssumeRoleAccess) or "scoped" (AssumeRole on this role only)',
    ],
    [
      "externalId=x",
      'vod-sts:externalId: "x" is not allowed: use 2–1224 characters of letters, digits and + = , . @ : / - _',
    ],
    [
      "allowedSourceIps=10.0.0.0/33",
      'vod-sts:allowedSourceIps: "10.0.0.0/33" is not an IPv4/IPv6 address or CIDR block (e.g. 203.0.113.0/24)',
    ],
    [
      "allowedSourceIps=localhost",
      'vod-sts:allowedSourceIps: "localhost" is not an IPv4/IPv6 address or CIDR block (e.g. 203.0.113.0/24)',
    ],
    [
      "accessKeys=a,b,c",
      'vod-sts:accessKeys: ["a","b","c"] is not allowed: list one key label, or two while rotating (RAM allows 2 AccessKeys per user)',
    ],
    [
      "accessKeys=[]",
      "vod-sts:accessKeys: [] is not allowed: list one key label, or two while rotating (RAM allows 2 AccessKeys per user)",
    ],
    [
      "accessKeys=Primary",
      "vod-sts:accessKeys: label \"Primary\" is not allowed: use 1–32 lower-case letters, digits or '-'",
    ],
    ["accessKeys=a,a", "vod-sts:accessKeys: a label is listed twice"],
    [
      "pgpKey=-----BEGIN PGP PUBLIC KEY BLOCK-----",
      "vod-sts:pgpKey: is not allowed: use a base64-encoded PGP public key (not ASCII-armored) or keybase:<username>",
    ],
    ["protect=yes", 'vod-sts:protect: "yes" is not allowed: use true or false'],
    ["allowHighRiskPolicies=1", 'vod-sts:allowHighRiskPolicies: "1" is not allowed: use true or false'],
    [
      "tags=aliyun:owner=me",
      'vod-sts:tags: "aliyun:owner=me" is not allowed: use key=value, key 1–128 characters not starting with "aliyun" or "acs:", value up to 128',
    ],
    [
      "tags=novalue",
      'vod-sts:tags: "novalue" is not allowed: use key=value, key 1–128 characters not starting with "aliyun" or "acs:", value up to 128',
    ],
    ["alicloud:region=Shanghai", 'alicloud:region: "Shanghai" is not a region ID such as cn-shanghai'],
  ])("%s → %s", (override, message) => {
    expect(problemsOf(rawWith([override]))).toEqual([message]);
  });

  it("reports every problem at once, one line each, in one error", () => {
    expect(() =>
      parseSettings(rawWith(["userName=a b", "roleName=c_d", "maxSessionDuration=1"])),
    ).toThrowError(
      "invalid configuration (3 problems):\n" +
        "  - vod-sts:userName: \"a b\" is not allowed: use 1–64 letters, digits, '.', '_' or '-'\n" +
        "  - vod-sts:roleName: \"c_d\" is not allowed: use 1–64 letters, digits, '.' or '-'\n" +
        '  - vod-sts:maxSessionDuration: "1" is not allowed: use a whole number of seconds from 3600 to 43200',
    );
  });

  it("refuses a missing region with the command that sets it", () => {
    const raw = rawWith([]);
    delete raw.region;
    expect(problemsOf(raw)).toEqual([
      "alicloud:region: is not set: run `pulumi config set alicloud:region cn-shanghai` (or set ALIBABA_CLOUD_REGION)",
    ]);
  });

  it("refuses a setting the project file did not provide (no silent default in code)", () => {
    const raw = rawWith([]);
    delete raw.userName;
    expect(problemsOf(raw)).toEqual([
      "vod-sts:userName: is not set (Pulumi.yaml declares its default; is the project file missing?)",
    ]);
  });
});

describe("a refused configuration declares nothing", () => {
  it.each([["userName=bad name"], ["rolePolicies=AdministratorAccess"], ["trust=[]"], ["accessKeys=a,b,c"]])(
    "%s: the program fails with the message and registers no resource",
    async (override) => {
      const { error, resources } = await runRefusedProgram([override]);
      expect(error.name).toBe("SettingsError"); // module registry is reset per run: compare by name
      expect(error.message).toMatch(/^invalid configuration \(1 problem\):\n {2}- vod-sts:/);
      expect(resources.filter((r) => r.type.startsWith("alicloud:"))).toEqual([]);
      expect(resources.filter((r) => r.type === "vod-sts:index:VodStsAccess")).toEqual([]);
    },
  );
});

it("a custom document with several grammar errors gets one line per error", () => {
  const doc = JSON.stringify({ Version: "2", Statement: [{ Effect: "Allow", Action: "GetCategories" }] });
  expect(problemsOf(rawWith([`rolePolicies=${JSON.stringify([doc])}`]))).toEqual([
    'vod-sts:rolePolicies: custom policy Version must be "1", got "2"',
    "vod-sts:rolePolicies: custom policy Statement[0].Resource must be a non-empty string or list of strings",
    'vod-sts:rolePolicies: custom policy Statement[0].Action "GetCategories" is not of the form <product>:<Action>',
  ]);
});
