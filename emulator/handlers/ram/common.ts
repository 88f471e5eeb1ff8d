// Input rules and resources shared by the RAM actions (reference §4 "Limits").
import type { Caller } from "../../context";
import { apiError, missingParameter } from "../../errors";
import { SYSTEM_POLICIES } from "../../policy";
import type { EmulatorState, PolicyType, UserRecord } from "../../state";
import type { HandlerInput, ParamRule } from "../types";

export const userNameRule = (required: boolean): ParamRule => ({
  name: "UserName",
  required,
  minLength: 1,
  maxLength: 64,
  pattern: /^[A-Za-z0-9._-]+$/,
  allowed: "1-64 letters, digits, . _ -",
});

export const roleNameRule: ParamRule = {
  name: "RoleName",
  required: true,
  minLength: 1,
  maxLength: 64,
  pattern: /^[A-Za-z0-9.-]+$/,
  allowed: "1-64 letters, digits, . -",
};

export const policyNameRule: ParamRule = {
  name: "PolicyName",
  required: true,
  minLength: 1,
  maxLength: 128,
  pattern: /^[A-Za-z0-9-]+$/,
  allowed: "1-128 letters, digits, -",
};

export const policyTypeRule: ParamRule = {
  name: "PolicyType",
  required: true,
  oneOf: ["System", "Custom"],
  allowed: "System or Custom",
};

export const maxSessionDurationRule = (name: string): ParamRule => ({
  name,
  integer: { min: 3600, max: 43200 },
  allowed: "an integer 3600..43200 (seconds)",
});

export const descriptionRule = (name: string): ParamRule => ({
  name,
  maxLength: 1024,
  allowed: "at most 1024 characters",
});

export const ramResource = (accountId: string, kind: "user" | "role" | "policy", name: string): string =>
  `acs:ram:*:${accountId}:${kind}/${name}`;

export const ramPermission =
  (action: string, kind: "user" | "role" | "policy", paramName: string) =>
  ({ params, ctx }: HandlerInput): { action: string; resource: string } => ({
    action: `ram:${action}`,
    resource: ramResource(ctx.state.accountId, kind, params[paramName] ?? "*"),
  });

export function requireUser(state: EmulatorState, name: string): UserRecord {
  const user = state.getUser(name);
  if (!user) throw apiError("EntityNotExist.User", `UserName: ${name}`);
  return user;
}

/** The user an optional UserName means: the named one, or the calling RAM user itself. */
export function targetUserName(params: Record<string, string>, caller: Caller): string | undefined {
  if (params.UserName) return params.UserName;
  if (caller.kind === "RAMUser") return caller.user.userName;
  if (caller.kind === "Account") return undefined;
  throw missingParameter("UserName");
}

export function requirePolicy(state: EmulatorState, policyType: PolicyType, policyName: string): string {
  if (!state.policyExists(policyType, policyName)) {
    throw apiError("EntityNotExist.Policy", `PolicyType: ${policyType}, PolicyName: ${policyName}`);
  }
  return state.canonicalPolicyName(policyType, policyName);
}

export function policyDescription(state: EmulatorState, policyType: PolicyType, policyName: string): string {
  if (policyType === "System") return SYSTEM_POLICIES[policyName]?.description ?? "";
  return state.getCustomPolicy(policyName)?.description ?? "";
}
