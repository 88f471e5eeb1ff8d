// RAM roles: CreateRole, GetRole, UpdateRole, DeleteRole, ListRoles.
import { apiError } from "../../errors";
import { isoSeconds } from "../../ids";
import { parsePolicyDocument, type PolicyDocument } from "../../policy";
import type { RoleRecord } from "../../state";
import { intParam, strParam } from "../params";
import type { ActionSpec } from "../types";
import { descriptionRule, maxSessionDurationRule, ramPermission, roleNameRule } from "./common";

function trustPolicy(text: string): PolicyDocument {
  const parsed = parsePolicyDocument(text, "trust");
  if (!parsed.ok) throw apiError("MalformedPolicyDocument", parsed.reason);
  return parsed.document;
}

const roleView = (role: RoleRecord): Record<string, unknown> => ({
  RoleId: role.roleId,
  RoleName: role.roleName,
  Arn: role.arn,
  Description: role.description,
  AssumeRolePolicyDocument: role.assumeRolePolicyDocument,
  MaxSessionDuration: role.maxSessionDuration,
  CreateDate: role.createDate,
  UpdateDate: role.updateDate,
});

function requireRole(state: Parameters<ActionSpec["handle"]>[0]["ctx"]["state"], name: string): RoleRecord {
  const role = state.getRole(name);
  if (!role) throw apiError("EntityNotExist.Role", `RoleName: ${name}`);
  return role;
}

export const roleActions: ActionSpec[] = [
  {
    action: "CreateRole",
    params: [
      roleNameRule,
      { name: "AssumeRolePolicyDocument", required: true, allowed: "a trust policy document" },
      descriptionRule("Description"),
      maxSessionDurationRule("MaxSessionDuration"),
    ],
    permission: ramPermission("CreateRole", "role", "RoleName"),
    handle: ({ params, ctx, nowMs }) => {
      const roleName = params.RoleName;
      if (ctx.state.getRole(roleName)) throw apiError("EntityAlreadyExists.Role", `RoleName: ${roleName}`);
      const document = params.AssumeRolePolicyDocument;
      const role = ctx.state.addRole(
        {
          roleName,
          assumeRolePolicyDocument: document,
          trustPolicy: trustPolicy(document),
          description: params.Description ?? "",
          maxSessionDuration: intParam(params, "MaxSessionDuration", 3600),
        },
        nowMs,
        nowMs + ctx.faults.propagationDelayMs,
      );
      return { Role: roleView(role) };
    },
  },
  {
    action: "GetRole",
    params: [roleNameRule],
    permission: ramPermission("GetRole", "role", "RoleName"),
    handle: ({ params, ctx }) => ({ Role: roleView(requireRole(ctx.state, params.RoleName)) }),
  },
  {
    action: "UpdateRole",
    params: [
      roleNameRule,
      { name: "NewAssumeRolePolicyDocument", allowed: "a trust policy document" },
      descriptionRule("NewDescription"),
      maxSessionDurationRule("NewMaxSessionDuration"),
    ],
    permission: ramPermission("UpdateRole", "role", "RoleName"),
    handle: ({ params, ctx, nowMs }) => {
      const role = requireRole(ctx.state, params.RoleName);
      const document = strParam(params, "NewAssumeRolePolicyDocument");
      if (document !== undefined) {
        role.trustPolicy = trustPolicy(document);
        role.assumeRolePolicyDocument = document;
      }
      const description = params.NewDescription;
      if (description !== undefined) role.description = description;
      role.maxSessionDuration = intParam(params, "NewMaxSessionDuration", role.maxSessionDuration);
      role.updateDate = isoSeconds(nowMs);
      return { Role: roleView(role) };
    },
  },
  {
    action: "DeleteRole",
    params: [roleNameRule],
    permission: ramPermission("DeleteRole", "role", "RoleName"),
    handle: ({ params, ctx }) => {
      const role = requireRole(ctx.state, params.RoleName);
      if (ctx.state.attachmentsOf("Role", role.roleName).length > 0)
        throw apiError("DeleteConflict.Role.Policy");
      ctx.state.deleteRole(role.roleName);
      return {};
    },
  },
  {
    action: "ListRoles",
    params: [],
    permission: ({ ctx }) => ({
      action: "ram:ListRoles",
      resource: `acs:ram:*:${ctx.state.accountId}:role/*`,
    }),
    handle: ({ ctx }) => ({ IsTruncated: false, Roles: { Role: ctx.state.listRoles().map(roleView) } }),
  },
];
