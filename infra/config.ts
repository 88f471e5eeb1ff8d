/**
 * Settings: the only reader of `pulumi.Config`. Defaults live in Pulumi.yaml's `config:` block
 * (the engine applies them); this module parses and validates what it is given, reporting every
 * problem at once, before any resource is declared.
 */
import * as net from "node:net";
import * as pulumi from "@pulumi/pulumi";
import {
  ASSUME_ROLE_SYSTEM_POLICY,
  HIGH_RISK_SYSTEM_POLICIES,
  isHighRiskDocument,
  type PolicyDocument,
  type PolicyRef,
  type PolicyStatement,
  type TrustSpec,
  VOD_PRESETS,
  type VodPreset,
} from "./policies";

export const PROJECT = "vod-sts";

export type RolePolicyScope =
  { readonly kind: "account" } | { readonly kind: "resourceGroup"; readonly id: string };

export interface Settings {
  readonly region: string;
  readonly userName: string;
  readonly roleName: string;
  readonly roleDescription: string;
  readonly maxSessionDuration: number;
  readonly trust: TrustSpec;
  readonly externalId?: string;
  readonly allowedSourceIps: readonly string[];
  readonly assumeRolePermission: "system" | "scoped";
  readonly userPolicies: readonly PolicyRef[];
  readonly rolePolicies: readonly PolicyRef[];
  readonly rolePolicyScope: RolePolicyScope;
  readonly accessKeys: readonly string[];
  readonly pgpKey?: string;
  readonly protect: boolean;
  readonly tags: Readonly<Record<string, string>>;
}

/** Every project setting, as declared in Pulumi.yaml. */
export const SETTING_KEYS = [
  "userName",
  "roleName",
  "roleDescription",
  "maxSessionDuration",
  "trust",
  "externalId",
  "allowedSourceIps",
  "assumeRolePermission",
  "userPolicies",
  "userPolicyScope",
  "rolePolicies",
  "rolePolicyScope",
  "allowHighRiskPolicies",
  "accessKeys",
  "pgpKey",
  "protect",
  "tags",
] as const;
export type SettingKey = (typeof SETTING_KEYS)[number];

/** Raw config as Pulumi stores it: strings, structured values as JSON text; undefined when unset. */
export type RawSettings = Partial<Record<SettingKey, string>> & { region?: string };

/** All the configuration problems found, one per line; thrown before any resource is declared. */
export class SettingsError extends pulumi.RunError {
  constructor(readonly problems: readonly string[]) {
    super(
      `invalid configuration (${problems.length} problem${problems.length === 1 ? "" : "s"}):\n` +
        problems.map((p) => `  - ${p}`).join("\n"),
    );
    this.name = "SettingsError";
  }
}

// Limits from reference/alibaba-api.md §2 and §4.
const USER_NAME = /^[A-Za-z0-9._-]{1,64}$/;
const ROLE_NAME = /^[A-Za-z0-9.-]{1,64}$/;
const ACCOUNT_ID = /^\d{16}$/;
const PRINCIPAL_ARN = /^acs:ram::(\d{16}):(user\/[A-Za-z0-9._-]{1,64}|role\/[A-Za-z0-9.-]{1,64})$/;
const SYSTEM_POLICY_NAME = /^[A-Za-z0-9-]{1,128}$/;
const RESOURCE_GROUP_ID = /^rg-[a-z0-9]{6,64}$/;
const EXTERNAL_ID = /^[\w+=,.@:/-]{2,1224}$/;
const KEY_LABEL = /^[a-z0-9][a-z0-9-]{0,31}$/;
const CUSTOM_POLICY_MAX_BYTES = 6144;
const MAX_ACCESS_KEYS = 2;

const show = (value: unknown): string => JSON.stringify(value);

/** Collects problems as `vod-sts:<key>: <what is wrong and what is allowed>`. */
class Problems {
  readonly list: string[] = [];
  add(key: string, message: string): void {
    this.list.push(`${key.includes(":") ? key : `${PROJECT}:${key}`}: ${message}`);
  }
}

function required(raw: RawSettings, key: SettingKey, problems: Problems): string | undefined {
  const value = raw[key];
  if (value === undefined) {
    problems.add(key, "is not set (Pulumi.yaml declares its default; is the project file missing?)");
  }
  return value;
}

function parseStringList(raw: RawSettings, key: SettingKey, problems: Problems): string[] | undefined {
  const text = required(raw, key, problems);
  if (text === undefined) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    problems.add(key, `${show(text)} is not a list: expected a YAML/JSON list of strings`);
    return undefined;
  }
  if (!Array.isArray(value) || value.some((item) => typeof item !== "string")) {
    problems.add(key, `${show(value)} is not a list of strings`);
    return undefined;
  }
  return value as string[];
}

function parseBoolean(raw: RawSettings, key: SettingKey, problems: Problems): boolean {
  const text = required(raw, key, problems);
  if (text === undefined) return false;
  if (text === "true" || text === "false") return text === "true";
  problems.add(key, `${show(text)} is not allowed: use true or false`);
  return false;
}

function parseName(raw: RawSettings, key: SettingKey, rule: RegExp, allowed: string, problems: Problems) {
  const value = required(raw, key, problems) ?? "";
  if (raw[key] !== undefined && !rule.test(value)) {
    problems.add(key, `${show(value)} is not allowed: use ${allowed}`);
  }
  return value;
}

function parseTrust(raw: RawSettings, problems: Problems): TrustSpec {
  const items = parseStringList(raw, "trust", problems);
  const trust = {
    createdUser: false,
    currentAccount: false,
    otherAccounts: [] as string[],
    principals: [] as string[],
  };
  if (items === undefined) return trust;
  if (items.length === 0) {
    problems.add(
      "trust",
      "is empty: name at least one principal who may assume the role (`user`, `account`, an account ID or a RAM ARN)",
    );
  }
  for (const item of items) {
    if (item === "user") trust.createdUser = true;
    else if (item === "account") trust.currentAccount = true;
    else if (ACCOUNT_ID.test(item)) trust.otherAccounts.push(item);
    else if (PRINCIPAL_ARN.test(item)) trust.principals.push(item);
    else if (/^\d+$/.test(item)) {
      problems.add("trust", `${show(item)} is not an account ID: Alibaba Cloud account IDs have 16 digits`);
    } else {
      problems.add(
        "trust",
        `${show(item)} is not allowed: use "user" (the created user), "account" (every RAM identity of this account), ` +
          `a 16-digit account ID, or acs:ram::<16-digit account>:user/<name> or :role/<name>`,
      );
    }
  }
  return trust;
}

/** RAM policy grammar, as much as matters before the service sees it (reference §4). */
function documentProblems(value: unknown): string[] {
  const out: string[] = [];
  if (value === null || typeof value !== "object" || Array.isArray(value)) return ["is not a JSON object"];
  const doc = value as Record<string, unknown>;
  if (doc.Version !== "1") out.push(`Version must be "1", got ${show(doc.Version)}`);
  if (!Array.isArray(doc.Statement) || doc.Statement.length === 0) {
    out.push("Statement must be a non-empty list");
    return out;
  }
  doc.Statement.forEach((entry: unknown, i) => {
    const at = `Statement[${i}]`;
    if (entry === null || typeof entry !== "object") return void out.push(`${at} must be an object`);
    const statement = entry as Record<string, unknown>;
    if (statement.Effect !== "Allow" && statement.Effect !== "Deny")
      out.push(`${at}.Effect must be "Allow" or "Deny"`);
    for (const field of ["Action", "Resource"] as const) {
      const v = statement[field];
      const list = typeof v === "string" ? [v] : v;
      if (!Array.isArray(list) || list.length === 0 || list.some((s) => typeof s !== "string" || s === "")) {
        out.push(`${at}.${field} must be a non-empty string or list of strings`);
      }
    }
    const actions = typeof statement.Action === "string" ? [statement.Action] : statement.Action;
    if (Array.isArray(actions)) {
      for (const action of actions) {
        if (
          typeof action === "string" &&
          action !== "*" &&
          !/^[A-Za-z0-9*?-]+:[A-Za-z0-9*?]+$/.test(action)
        ) {
          out.push(`${at}.Action ${show(action)} is not of the form <product>:<Action>`);
        }
      }
    }
    if (statement.Principal !== undefined) out.push(`${at}.Principal is not allowed in a permission policy`);
    if (
      statement.Condition !== undefined &&
      (statement.Condition === null ||
        typeof statement.Condition !== "object" ||
        Array.isArray(statement.Condition))
    ) {
      out.push(`${at}.Condition must be an object of operator → key → value`);
    }
  });
  return out;
}

function parsePolicies(
  raw: RawSettings,
  key: "userPolicies" | "rolePolicies",
  allowHighRisk: boolean,
  problems: Problems,
): PolicyRef[] {
  const items = parseStringList(raw, key, problems) ?? [];
  if (key === "rolePolicies" && raw.rolePolicies !== undefined && items.length === 0) {
    problems.add(key, "is empty: the role needs at least one policy (the recipe uses AliyunVODFullAccess)");
  }
  const refs: PolicyRef[] = [];
  const highRisk = (what: string) =>
    problems.add(
      key,
      `${what} is high-risk (full control of resources or of RAM): refused unless vod-sts:allowHighRiskPolicies is true`,
    );
  for (const item of items) {
    const text = item.trim();
    if (text.startsWith("{")) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch {
        problems.add(
          key,
          `custom policy ${show(text.slice(0, 40))} is not valid JSON: write it as {"Version":"1","Statement":[…]}`,
        );
        continue;
      }
      const found = documentProblems(parsed);
      if (Buffer.byteLength(text) > CUSTOM_POLICY_MAX_BYTES) {
        found.push(`is ${Buffer.byteLength(text)} bytes; RAM allows at most ${CUSTOM_POLICY_MAX_BYTES}`);
      }
      if (found.length > 0) {
        for (const problem of found) problems.add(key, `custom policy ${problem}`);
        continue;
      }
      const document = parsed as PolicyDocument;
      if (!allowHighRisk && isHighRiskDocument(document)) {
        highRisk(`custom policy allowing ${show(highRiskActions(document))}`);
        continue;
      }
      refs.push({ type: "Custom", document });
      continue;
    }
    const name = key === "rolePolicies" && text in VOD_PRESETS ? VOD_PRESETS[text as VodPreset] : text;
    if (!SYSTEM_POLICY_NAME.test(name)) {
      problems.add(
        key,
        `${show(item)} is not allowed: use a system policy name (letters, digits, '-'), ` +
          (key === "rolePolicies" ? "a VOD preset (full, readonly, upload, play), " : "") +
          "or a custom policy document as JSON",
      );
      continue;
    }
    if (!allowHighRisk && HIGH_RISK_SYSTEM_POLICIES.includes(name)) {
      highRisk(show(name));
      continue;
    }
    if (refs.some((ref) => ref.type === "System" && ref.name === name)) {
      problems.add(key, `${show(name)} is listed twice`);
      continue;
    }
    refs.push({ type: "System", name });
  }
  return refs;
}

const highRiskActions = (document: PolicyDocument): string[] =>
  document.Statement.flatMap((s: PolicyStatement) =>
    Array.isArray(s.Action) ? s.Action : [s.Action],
  ).filter((a) => /^(\*|\*:\*|ram:\*)$/i.test(a));

function isIpOrCidr(value: string): boolean {
  const [address, prefix, ...rest] = value.split("/");
  const family = net.isIP(address ?? "");
  if (family === 0 || rest.length > 0) return false;
  if (prefix === undefined) return true;
  if (!/^\d{1,3}$/.test(prefix)) return false;
  return Number(prefix) <= (family === 4 ? 32 : 128);
}

/** Pure: raw config in, validated settings out, or a SettingsError listing every problem. */
export function parseSettings(raw: RawSettings): Settings {
  const problems = new Problems();

  const region = raw.region ?? "";
  if (!/^[a-z]{2,}(-[a-z0-9]+)+$/.test(region)) {
    problems.add(
      "alicloud:region",
      raw.region === undefined
        ? "is not set: run `pulumi config set alicloud:region cn-shanghai` (or set ALIBABA_CLOUD_REGION)"
        : `${show(region)} is not a region ID such as cn-shanghai`,
    );
  }

  const userName = parseName(raw, "userName", USER_NAME, "1–64 letters, digits, '.', '_' or '-'", problems);
  const roleName = parseName(raw, "roleName", ROLE_NAME, "1–64 letters, digits, '.' or '-'", problems);
  const roleDescription = required(raw, "roleDescription", problems) ?? "";
  if (roleDescription.length > 1024) {
    problems.add("roleDescription", `is ${roleDescription.length} characters long; at most 1024 are allowed`);
  }

  const durationText = required(raw, "maxSessionDuration", problems);
  const maxSessionDuration = Number(durationText);
  if (
    durationText !== undefined &&
    (!/^\d+$/.test(durationText) || maxSessionDuration < 3600 || maxSessionDuration > 43200)
  ) {
    problems.add(
      "maxSessionDuration",
      `${show(durationText)} is not allowed: use a whole number of seconds from 3600 to 43200`,
    );
  }

  const trust = parseTrust(raw, problems);

  const externalIdText = required(raw, "externalId", problems) ?? "";
  if (externalIdText !== "" && !EXTERNAL_ID.test(externalIdText)) {
    problems.add(
      "externalId",
      `${show(externalIdText)} is not allowed: use 2–1224 characters of letters, digits and + = , . @ : / - _`,
    );
  }

  const allowedSourceIps = parseStringList(raw, "allowedSourceIps", problems) ?? [];
  for (const ip of allowedSourceIps) {
    if (!isIpOrCidr(ip)) {
      problems.add(
        "allowedSourceIps",
        `${show(ip)} is not an IPv4/IPv6 address or CIDR block (e.g. 203.0.113.0/24)`,
      );
    }
  }

  const assumeText = required(raw, "assumeRolePermission", problems);
  if (assumeText !== undefined && assumeText !== "system" && assumeText !== "scoped") {
    problems.add(
      "assumeRolePermission",
      `${show(assumeText)} is not allowed: use "system" (AliyunSTSAssumeRoleAccess) or "scoped" (AssumeRole on this role only)`,
    );
  }
  const assumeRolePermission = assumeText === "scoped" ? "scoped" : "system";

  const allowHighRisk = parseBoolean(raw, "allowHighRiskPolicies", problems);
  const userPolicies = parsePolicies(raw, "userPolicies", allowHighRisk, problems);
  const rolePolicies = parsePolicies(raw, "rolePolicies", allowHighRisk, problems);

  const userScope = required(raw, "userPolicyScope", problems);
  if (userScope !== undefined && userScope !== "account") {
    problems.add(
      "userPolicyScope",
      `${show(userScope)} is not allowed: the user's permissions must be granted at "account" scope — ` +
        "RAM roles are account-level resources, so a resource-group grant can never allow sts:AssumeRole",
    );
  }

  const scopeText = required(raw, "rolePolicyScope", problems);
  let rolePolicyScope: RolePolicyScope = { kind: "account" };
  if (scopeText !== undefined && scopeText !== "account") {
    if (RESOURCE_GROUP_ID.test(scopeText)) rolePolicyScope = { kind: "resourceGroup", id: scopeText };
    else {
      problems.add(
        "rolePolicyScope",
        `${show(scopeText)} is not allowed: use "account" or a resource group ID such as rg-aek2abc3def4`,
      );
    }
  }

  const accessKeys = parseStringList(raw, "accessKeys", problems) ?? [];
  if (raw.accessKeys !== undefined) {
    if (accessKeys.length === 0 || accessKeys.length > MAX_ACCESS_KEYS) {
      problems.add(
        "accessKeys",
        `${show(accessKeys)} is not allowed: list one key label, or two while rotating (RAM allows ${MAX_ACCESS_KEYS} AccessKeys per user)`,
      );
    }
    for (const label of accessKeys) {
      if (!KEY_LABEL.test(label)) {
        problems.add(
          "accessKeys",
          `label ${show(label)} is not allowed: use 1–32 lower-case letters, digits or '-'`,
        );
      }
    }
    if (new Set(accessKeys).size !== accessKeys.length) problems.add("accessKeys", "a label is listed twice");
  }

  const pgpKey = (required(raw, "pgpKey", problems) ?? "").trim();
  if (pgpKey !== "" && !/^keybase:[A-Za-z0-9_]+$/.test(pgpKey) && !/^[A-Za-z0-9+/=\s]{64,}$/.test(pgpKey)) {
    problems.add(
      "pgpKey",
      "is not allowed: use a base64-encoded PGP public key (not ASCII-armored) or keybase:<username>",
    );
  }

  const protect = parseBoolean(raw, "protect", problems);

  const tags: Record<string, string> = {};
  for (const tag of parseStringList(raw, "tags", problems) ?? []) {
    const eq = tag.indexOf("=");
    const key = eq > 0 ? tag.slice(0, eq) : "";
    const value = eq > 0 ? tag.slice(eq + 1) : "";
    if (!key || key.length > 128 || value.length > 128 || /^(aliyun|acs:)/i.test(key)) {
      problems.add(
        "tags",
        `${show(tag)} is not allowed: use key=value, key 1–128 characters not starting with "aliyun" or "acs:", value up to 128`,
      );
    } else tags[key] = value;
  }

  if (problems.list.length > 0) throw new SettingsError(problems.list);
  return {
    region,
    userName,
    roleName,
    roleDescription,
    maxSessionDuration,
    trust,
    ...(externalIdText !== "" ? { externalId: externalIdText } : {}),
    allowedSourceIps,
    assumeRolePermission,
    userPolicies: substituteScopedAssume(userPolicies, assumeRolePermission),
    rolePolicies,
    rolePolicyScope,
    accessKeys,
    ...(pgpKey !== "" ? { pgpKey } : {}),
    protect,
    tags,
  };
}

/**
 * With `assumeRolePermission: scoped`, the AliyunSTSAssumeRoleAccess entry (AssumeRole on every
 * role in the account) is dropped; the component attaches a policy for this role's ARN instead.
 */
function substituteScopedAssume(refs: PolicyRef[], mode: "system" | "scoped"): PolicyRef[] {
  return mode === "scoped"
    ? refs.filter((ref) => !(ref.type === "System" && ref.name === ASSUME_ROLE_SYSTEM_POLICY))
    : refs;
}

/** Reads the stack's configuration (the only `new pulumi.Config()` in the program). */
export function loadSettings(): Settings {
  const config = new pulumi.Config(PROJECT);
  const raw: RawSettings = {};
  for (const key of SETTING_KEYS) {
    const value = config.get(key);
    if (value !== undefined) raw[key] = value;
  }
  const region = new pulumi.Config("alicloud").get("region") ?? process.env.ALIBABA_CLOUD_REGION;
  if (region !== undefined) raw.region = region;
  return parseSettings(raw);
}
