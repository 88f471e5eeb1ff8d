// STS 2015-04-01: AssumeRole and GetCallerIdentity (reference §2–§3).
import { conditionContext } from "../../authorize";
import { apiError } from "../../errors";
import { isoSeconds } from "../../ids";
import { evaluateTrustPolicy, parsePolicyDocument, type Principal } from "../../policy";
import { intParam, strParam } from "../params";
import type { ActionSpec, HandlerInput, ProductSpec } from "../types";

const ROLE_ARN = /^acs:ram::(\d+):role\/([A-Za-z0-9.-]{1,64})$/;
const MIN_DURATION_SECONDS = 900;

function roleArnParts(arn: string): { accountId: string; roleName: string } {
  const match = ROLE_ARN.exec(arn)!;
  return { accountId: match[1], roleName: match[2] };
}

/** The role ARN as the permission check sees it: Alibaba writes role names in ARNs in lower case. */
const roleResource = (arn: string): string => {
  const { accountId, roleName } = roleArnParts(arn);
  return `acs:ram::${accountId}:role/${roleName.toLowerCase()}`;
};

function durationError(maxSeconds: number): ReturnType<typeof apiError> {
  // The documented text is for the default 1 h maximum; a longer role maximum is stated in hours.
  const error = apiError("InvalidParameter.DurationSeconds");
  if (maxSeconds === 3600) return error;
  const hours = maxSeconds % 3600 === 0 ? `${maxSeconds / 3600}hr` : `${maxSeconds}s`;
  return Object.assign(error, { message: error.message.replace("1hr", hours) });
}

const assumeRole: ActionSpec = {
  action: "AssumeRole",
  params: [
    {
      name: "RoleArn",
      required: true,
      pattern: ROLE_ARN,
      error: "InvalidParameter.RoleArn",
      allowed: "acs:ram::<accountId>:role/<roleName>",
    },
    {
      name: "RoleSessionName",
      required: true,
      pattern: /^[A-Za-z0-9.@_-]{2,64}$/,
      error: "InvalidParameter.RoleSessionName",
      allowed: "2-64 letters, digits, . @ - _",
    },
    // The upper bound is the role's MaxSessionDuration, checked in the handler.
    {
      name: "DurationSeconds",
      integer: { min: MIN_DURATION_SECONDS, max: 43200 },
      error: "InvalidParameter.DurationSeconds",
      allowed: "900..43200",
    },
    {
      name: "Policy",
      maxLength: 2048,
      maxBytes: true,
      error: "InvalidParameter.PolicySize",
      allowed: "at most 2048 bytes",
      check: (text) => {
        const parsed = parsePolicyDocument(text, "session");
        if (parsed.ok) return undefined;
        return apiError(
          parsed.tooLarge ? "InvalidParameter.PolicySize" : "InvalidParameter.PolicyGrammar",
          parsed.reason,
        );
      },
    },
    {
      name: "ExternalId",
      minLength: 2,
      maxLength: 1224,
      pattern: /^[\w+=,.@:/-]*$/,
      error: "InvalidParameter.ExternalId",
      allowed: "2-1224 of letters, digits, + = , . @ : / - _",
    },
    {
      name: "SourceIdentity",
      minLength: 2,
      maxLength: 64,
      pattern: /^(?!acs:|aliyun:|alibabacloud:)[\w+=,.@-]*$/,
      error: "InvalidParameter.SourceIdentity",
      allowed: "2-64 of letters, digits, + = , . @ - _",
    },
  ],
  permission: ({ params }) => ({ action: "sts:AssumeRole", resource: roleResource(params.RoleArn) }),
  handle: ({ params, caller, ctx, call, nowMs }: HandlerInput) => {
    const policyText = strParam(params, "Policy");
    const { accountId, roleName } = roleArnParts(params.RoleArn);
    const role = accountId === ctx.state.accountId ? ctx.state.getRole(roleName) : undefined;
    // A role inside faults.propagationDelayMs is not yet visible to STS (reference §4 "Propagation").
    if (!role || role.effectiveAt > nowMs) throw apiError("EntityNotExist.Role");

    const durationSeconds = intParam(params, "DurationSeconds", 3600);
    if (durationSeconds > role.maxSessionDuration) throw durationError(role.maxSessionDuration);

    let principal: Principal;
    if (caller.kind === "RAMUser")
      principal = { kind: "RAMUser", accountId: caller.accountId, userName: caller.user.userName };
    else if (caller.kind === "AssumedRoleUser")
      principal = { kind: "AssumedRoleUser", accountId: caller.accountId, roleName: caller.session.roleName };
    else throw apiError("NoPermission", "The root account cannot assume a role; use a RAM user or role.");
    const externalId = strParam(params, "ExternalId");
    const trust = evaluateTrustPolicy(
      role.trustPolicy,
      principal,
      conditionContext(call.sourceIp, { "sts:ExternalId": externalId }),
    );
    if (trust !== "Allow") {
      throw apiError("NoPermission", `The trust policy of role ${role.roleName} does not allow this caller.`);
    }

    const expiresAtMs = Math.floor(nowMs / 1000) * 1000 + durationSeconds * 1000;
    const sessionName = params.RoleSessionName;
    const sourceIdentity = strParam(params, "SourceIdentity");
    const roleNameInArn = role.roleName.toLowerCase();
    const issued = ctx.sessions.issue({
      accountId: ctx.state.accountId,
      roleId: role.roleId,
      roleName: roleNameInArn,
      sessionName,
      expiresAtMs,
      policy: policyText,
      sourceIdentity,
    });
    const body: Record<string, unknown> = {
      AssumedRoleUser: {
        AssumedRoleId: `${role.roleId}:${sessionName}`,
        Arn: `acs:ram::${ctx.state.accountId}:role/${roleNameInArn}/${sessionName}`,
      },
      Credentials: {
        AccessKeyId: issued.session.accessKeyId,
        AccessKeySecret: issued.accessKeySecret,
        SecurityToken: issued.securityToken,
        Expiration: isoSeconds(expiresAtMs),
      },
    };
    if (sourceIdentity !== undefined) body.SourceIdentity = sourceIdentity;
    return body;
  },
};

const getCallerIdentity: ActionSpec = {
  action: "GetCallerIdentity",
  params: [],
  permission: undefined,
  handle: ({ caller }) => {
    const accountId = caller.accountId;
    switch (caller.kind) {
      case "Account":
        return {
          AccountId: accountId,
          Arn: `acs:ram::${accountId}:root`,
          IdentityType: "Account",
          PrincipalId: accountId,
          UserId: accountId,
        };
      case "RAMUser":
        return {
          AccountId: accountId,
          Arn: `acs:ram::${accountId}:user/${caller.user.userName}`,
          IdentityType: "RAMUser",
          PrincipalId: caller.user.userId,
          UserId: caller.user.userId,
        };
      case "AssumedRoleUser": {
        const { roleId, roleName, sessionName } = caller.session;
        return {
          AccountId: accountId,
          Arn: `acs:ram::${accountId}:assumed-role/${roleName}/${sessionName}`,
          IdentityType: "AssumedRoleUser",
          PrincipalId: `${roleId}:${sessionName}`,
          RoleId: roleId,
        };
      }
    }
  },
};

export const STS: ProductSpec = {
  product: "Sts",
  version: "2015-04-01",
  denialCode: "NoPermission",
  actions: [assumeRole, getCallerIdentity],
};
