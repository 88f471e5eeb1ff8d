// ResourceManager 2020-03-31: AttachPolicy / DetachPolicy / ListPolicyAttachments (reference §5).
// ResourceGroupId is a resource group (`rg-…`) or the account ID for account scope; the emulator
// does not model creating groups, so any well-formed `rg-` ID is accepted as an existing group.
import { apiError, invalidParameter } from "../../errors";
import { isoSeconds } from "../../ids";
import type { AttachmentRecord, PolicyType, PrincipalKind } from "../../state";
import { intParam } from "../params";
import type { ActionSpec, HandlerInput, ParamRule, ProductSpec } from "../types";
import { policyDescription, requirePolicy } from "../ram/common";

const PRINCIPAL_TYPES = { IMSUser: "User", ServiceRole: "Role" } as const;

const rules: ParamRule[] = [
  {
    name: "PolicyName",
    required: true,
    minLength: 1,
    maxLength: 128,
    pattern: /^[A-Za-z0-9-]+$/,
    allowed: "1-128 letters, digits, -",
  },
  { name: "PolicyType", required: true, oneOf: ["System", "Custom"], allowed: "System or Custom" },
  {
    name: "PrincipalType",
    required: true,
    oneOf: ["IMSUser", "IMSGroup", "ServiceRole"],
    allowed: "IMSUser, IMSGroup or ServiceRole",
  },
  {
    name: "PrincipalName",
    required: true,
    maxLength: 256,
    allowed: "<user>@<uid>.onaliyun.com or <role>@role.<uid>.onaliyunservice.com",
  },
  {
    name: "ResourceGroupId",
    required: true,
    pattern: /^(rg-[a-z0-9]+|\d+)$/,
    allowed: "a resource group ID (rg-…) or the account ID",
  },
];

/** `<user>@<uid>.onaliyun.com` or `<role>@role.<uid>.onaliyunservice.com` (reference §5). */
function principalOf(input: HandlerInput): { kind: PrincipalKind; name: string; display: string } {
  const { params, ctx } = input;
  const uid = ctx.state.accountId;
  const type = params.PrincipalType;
  if (type === "IMSGroup")
    throw invalidParameter(
      "PrincipalType",
      `"IMSGroup"; the emulator has no user groups, allowed: IMSUser or ServiceRole.`,
    );
  const kind = PRINCIPAL_TYPES[type as keyof typeof PRINCIPAL_TYPES];
  const pattern =
    kind === "User"
      ? /^([A-Za-z0-9._-]{1,64})@(\d+)\.onaliyun\.com$/
      : /^([A-Za-z0-9.-]{1,64})@role\.(\d+)\.onaliyunservice\.com$/;
  const match = pattern.exec(params.PrincipalName);
  if (!match || match[2] !== uid) {
    throw invalidParameter(
      "PrincipalName",
      `${JSON.stringify(params.PrincipalName)}; allowed: ${kind === "User" ? `<user>@${uid}.onaliyun.com` : `<role>@role.${uid}.onaliyunservice.com`}`,
    );
  }
  if (kind === "User") {
    const user = ctx.state.getUser(match[1]);
    if (!user) throw apiError("EntityNotExist.User", `PrincipalName: ${params.PrincipalName}`);
    return { kind, name: user.userName, display: `${user.userName}@${uid}.onaliyun.com` };
  }
  const role = ctx.state.getRole(match[1]);
  if (!role) throw apiError("EntityNotExist.Role", `PrincipalName: ${params.PrincipalName}`);
  return { kind, name: role.roleName, display: `${role.roleName}@role.${uid}.onaliyunservice.com` };
}

const rmPermission =
  (action: string) =>
  ({ params, ctx }: HandlerInput): { action: string; resource: string } => ({
    action: `resourcemanager:${action}`,
    resource: `acs:resourcemanager:*:${ctx.state.accountId}:resourcegroup/${params.ResourceGroupId ?? "*"}`,
  });

function attachmentView(input: HandlerInput, a: AttachmentRecord): Record<string, unknown> {
  const uid = input.ctx.state.accountId;
  return {
    PolicyName: a.policyName,
    PolicyType: a.policyType,
    PrincipalType: a.principalKind === "User" ? "IMSUser" : "ServiceRole",
    PrincipalName:
      a.principalKind === "User"
        ? `${a.principalName}@${uid}.onaliyun.com`
        : `${a.principalName}@role.${uid}.onaliyunservice.com`,
    ResourceGroupId: a.resourceGroupId,
    AttachDate: a.attachDate,
    Description: policyDescription(input.ctx.state, a.policyType, a.policyName),
  };
}

const attachPolicy: ActionSpec = {
  action: "AttachPolicy",
  params: rules,
  permission: rmPermission("AttachPolicy"),
  handle: (input) => {
    const { state } = input.ctx;
    const policyType = input.params.PolicyType as PolicyType;
    const policyName = requirePolicy(state, policyType, input.params.PolicyName);
    const who = principalOf(input);
    const groupId = input.params.ResourceGroupId;
    if (/^\d+$/.test(groupId) && groupId !== state.accountId)
      throw apiError("EntityNotExists.ResourceGroup", `ResourceGroupId: ${groupId}`);
    if (state.findAttachment(who.kind, who.name, policyType, policyName, groupId))
      throw apiError("EntityAlreadyExists.PolicyAttachment");
    state.addAttachment({
      policyName,
      policyType,
      principalKind: who.kind,
      principalName: who.name,
      resourceGroupId: groupId,
      attachDate: isoSeconds(input.nowMs),
      effectiveAt: input.nowMs + input.ctx.faults.propagationDelayMs,
    });
    return {};
  },
};

const detachPolicy: ActionSpec = {
  action: "DetachPolicy",
  params: rules,
  permission: rmPermission("DetachPolicy"),
  handle: (input) => {
    const { state } = input.ctx;
    const policyType = input.params.PolicyType as PolicyType;
    const policyName = requirePolicy(state, policyType, input.params.PolicyName);
    const who = principalOf(input);
    const found = state.findAttachment(
      who.kind,
      who.name,
      policyType,
      policyName,
      input.params.ResourceGroupId,
    );
    if (!found) throw apiError("EntityNotExists.PolicyAttachment");
    state.removeAttachment(found);
    return {};
  },
};

const listPolicyAttachments: ActionSpec = {
  action: "ListPolicyAttachments",
  params: [
    ...rules.map((rule) => ({ ...rule, required: false })),
    { name: "PageNumber", integer: { min: 1, max: 1_000_000 }, allowed: "an integer >= 1" },
    { name: "PageSize", integer: { min: 1, max: 100 }, allowed: "an integer 1..100" },
  ],
  permission: rmPermission("ListPolicyAttachments"),
  handle: (input) => {
    const { params } = input;
    const pageNumber = intParam(params, "PageNumber", 1);
    const pageSize = intParam(params, "PageSize", 10);
    const rows = input.ctx.state
      .listAttachments()
      .map((a) => attachmentView(input, a))
      .filter(
        (row) =>
          (!params.PolicyName || String(row.PolicyName).toLowerCase() === params.PolicyName.toLowerCase()) &&
          (!params.PolicyType || row.PolicyType === params.PolicyType) &&
          (!params.PrincipalType || row.PrincipalType === params.PrincipalType) &&
          (!params.PrincipalName ||
            String(row.PrincipalName).toLowerCase() === params.PrincipalName.toLowerCase()) &&
          (!params.ResourceGroupId || row.ResourceGroupId === params.ResourceGroupId),
      );
    return {
      PageNumber: pageNumber,
      PageSize: pageSize,
      TotalCount: rows.length,
      PolicyAttachments: { PolicyAttachment: rows.slice((pageNumber - 1) * pageSize, pageNumber * pageSize) },
    };
  },
};

export const RESOURCE_MANAGER: ProductSpec = {
  product: "ResourceManager",
  version: "2020-03-31",
  denialCode: "NoPermission",
  actions: [attachPolicy, detachPolicy, listPolicyAttachments],
};
