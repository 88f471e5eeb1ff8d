/**
 * RAM policy documents as typed data, and the pure builders the program uses.
 *
 * Grammar: https://www.alibabacloud.com/help/en/ram/user-guide/policy-elements (reference/alibaba-api.md §4).
 * Every document leaves this module through `serializePolicy`, one canonical form (keys in a
 * fixed order, principals as sorted arrays), so the provider's JSON diff never sees a spurious
 * change between runs (reference/pulumi.md, `ram.Role`).
 */

export type PolicyEffect = "Allow" | "Deny";

/** Condition operator → condition key → value(s), e.g. `{ StringEquals: { "sts:ExternalId": "abc" } }`. */
export type PolicyCondition = Record<string, Record<string, string | string[] | boolean>>;

export interface PolicyStatement {
  Effect: PolicyEffect;
  Action: string | string[];
  Resource?: string | string[];
  Principal?: { RAM?: string[]; Service?: string[] };
  Condition?: PolicyCondition;
}

export interface PolicyDocument {
  Version: "1";
  Statement: PolicyStatement[];
}

/** System policies the recipe names, and the VOD presets (reference/alibaba-api.md §4). */
export const ASSUME_ROLE_SYSTEM_POLICY = "AliyunSTSAssumeRoleAccess";
export const VOD_PRESETS = {
  full: "AliyunVODFullAccess",
  readonly: "AliyunVODReadOnlyAccess",
  upload: "AliyunVODUploadAuth",
  play: "AliyunVODPlayAuth",
} as const;
export type VodPreset = keyof typeof VOD_PRESETS;

/**
 * The actions each VOD preset grants — used to narrow a session policy to what the role may do.
 * AliyunVODReadOnlyAccess: Get/List/Search/Describe; UploadAuth and PlayAuth: the actions the
 * console lists for them (reference/alibaba-api.md §4).
 */
export const VOD_PRESET_ACTIONS: Readonly<Record<VodPreset, readonly string[]>> = {
  full: ["vod:*"],
  readonly: ["vod:Get*", "vod:List*", "vod:Search*", "vod:Describe*"],
  upload: ["vod:CreateUploadVideo", "vod:RefreshUploadVideo", "vod:CreateUploadImage"],
  play: ["vod:GetPlayInfo", "vod:GetVideoPlayAuth", "vod:GetVideoPlayInfo", "vod:GetVideoInfo"],
};

/** System policies the RAM console flags as high-risk (recipe, Step 2 note). */
export const HIGH_RISK_SYSTEM_POLICIES: readonly string[] = ["AdministratorAccess", "AliyunRAMFullAccess"];

/** A policy to attach: a system policy by name, or a custom document the program creates. */
export type PolicyRef =
  | { readonly type: "System"; readonly name: string }
  | { readonly type: "Custom"; readonly document: PolicyDocument };

/** Who may assume the role. Principals are resolved against the account ID at deploy time. */
export interface TrustSpec {
  /** The RAM user this stack creates (`acs:ram::<uid>:user/<userName>`). */
  readonly createdUser: boolean;
  /** Every RAM user and role of the current account (`acs:ram::<uid>:root`) — the recipe's default. */
  readonly currentAccount: boolean;
  /** Other accounts (cross-account access), by 16-digit account ID. */
  readonly otherAccounts: readonly string[];
  /** Individual RAM users or roles, as `acs:ram::<uid>:user/<name>` or `acs:ram::<uid>:role/<name>`. */
  readonly principals: readonly string[];
}

export interface TrustConditions {
  /** Require this `sts:ExternalId` (StringEquals) — the usual guard for cross-account trust. */
  readonly externalId?: string;
  /** Require the caller's source address in one of these IPs/CIDRs (`IpAddress` on `acs:SourceIp`). */
  readonly allowedSourceIps: readonly string[];
}

export const accountRootArn = (accountId: string): string => `acs:ram::${accountId}:root`;
export const userArn = (accountId: string, userName: string): string =>
  `acs:ram::${accountId}:user/${userName}`;
export const roleArn = (accountId: string, roleName: string): string =>
  `acs:ram::${accountId}:role/${roleName}`;

/** The role's trust policy: one Allow of `sts:AssumeRole` to every trusted RAM principal. */
export function trustPolicy(
  accountId: string,
  userName: string,
  trust: TrustSpec,
  conditions: TrustConditions,
): PolicyDocument {
  const principals = new Set<string>();
  if (trust.createdUser) principals.add(userArn(accountId, userName));
  if (trust.currentAccount) principals.add(accountRootArn(accountId));
  for (const other of trust.otherAccounts) principals.add(accountRootArn(other));
  for (const arn of trust.principals) principals.add(arn);

  const condition: PolicyCondition = {};
  if (conditions.externalId !== undefined) {
    condition.StringEquals = { "sts:ExternalId": conditions.externalId };
  }
  if (conditions.allowedSourceIps.length > 0) {
    condition.IpAddress = { "acs:SourceIp": [...conditions.allowedSourceIps] };
  }
  const statement: PolicyStatement = {
    Effect: "Allow",
    Action: "sts:AssumeRole",
    Principal: { RAM: [...principals] },
  };
  if (Object.keys(condition).length > 0) statement.Condition = condition;
  return { Version: "1", Statement: [statement] };
}

/** The least-privilege alternative to AliyunSTSAssumeRoleAccess: AssumeRole on this one role. */
export function scopedAssumeRolePolicy(accountId: string, roleName: string): PolicyDocument {
  return {
    Version: "1",
    Statement: [{ Effect: "Allow", Action: "sts:AssumeRole", Resource: roleArn(accountId, roleName) }],
  };
}

/**
 * A session policy for token vending (the recipe's `vod:*` example), narrowed to the actions of
 * the given presets: a token can never do more than the role, and with this, no more than asked.
 */
export function vodSessionPolicy(presets: readonly VodPreset[]): PolicyDocument {
  const actions = [...new Set(presets.flatMap((preset) => VOD_PRESET_ACTIONS[preset]))];
  if (actions.length === 0) throw new Error("vodSessionPolicy: at least one VOD preset is required");
  return {
    Version: "1",
    Statement: [{ Effect: "Allow", Action: actions.includes("vod:*") ? ["vod:*"] : actions, Resource: "*" }],
  };
}

const STATEMENT_KEY_ORDER = ["Effect", "Action", "Resource", "Principal", "Condition"] as const;

function canonicalStatement(statement: PolicyStatement): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of STATEMENT_KEY_ORDER) {
    const value = statement[key];
    if (value === undefined) continue;
    if (key === "Principal") {
      const principal = value as NonNullable<PolicyStatement["Principal"]>;
      const sorted: Record<string, string[]> = {};
      for (const kind of Object.keys(principal).sort() as (keyof typeof principal)[]) {
        sorted[kind] = [...new Set(principal[kind] ?? [])].sort();
      }
      out[key] = sorted;
    } else if (key === "Condition") {
      out[key] = sortKeysDeep(value);
    } else {
      out[key] = value;
    }
  }
  return out;
}

function sortKeysDeep(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeysDeep);
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, sortKeysDeep((value as Record<string, unknown>)[k])]),
    );
  }
  return value;
}

/** The one serialisation every document goes through (see the module comment). */
export function serializePolicy(document: PolicyDocument): string {
  return JSON.stringify({ Version: document.Version, Statement: document.Statement.map(canonicalStatement) });
}

/** Actions of a statement as a list (RAM accepts a string or a list). */
export const statementActions = (statement: PolicyStatement): string[] =>
  Array.isArray(statement.Action) ? statement.Action : [statement.Action];

/** Whether a document grants what the console would flag as high-risk: `*` or `ram:*`. */
export function isHighRiskDocument(document: PolicyDocument): boolean {
  return document.Statement.some(
    (statement) =>
      statement.Effect === "Allow" &&
      statementActions(statement).some((action) => /^(\*|\*:\*|ram:\*)$/i.test(action.trim())),
  );
}
