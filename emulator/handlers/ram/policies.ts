// RAM policies: CreatePolicy, GetPolicy, DeletePolicy, ListPolicies, and account-scope attachments
// (AttachPolicyTo*/DetachPolicyFrom*/ListPoliciesFor*).
import { apiError } from "../../errors";
import { isoSeconds } from "../../ids";
import { SYSTEM_POLICIES, parsePolicyDocument } from "../../policy";
import type { AttachmentRecord, PolicyType, PrincipalKind } from "../../state";
import type { ActionSpec, HandlerInput } from "../types";
import {
  descriptionRule,
  policyDescription,
  policyNameRule,
  policyTypeRule,
  ramPermission,
  ramResource,
  requirePolicy,
  requireUser,
  roleNameRule,
  userNameRule,
} from "./common";

const DEFAULT_VERSION = "v1";

function attachmentView(input: HandlerInput, a: AttachmentRecord): Record<string, unknown> {
  return {
    PolicyName: a.policyName,
    PolicyType: a.policyType,
    Description: policyDescription(input.ctx.state, a.policyType, a.policyName),
    DefaultVersion: DEFAULT_VERSION,
    AttachDate: a.attachDate,
  };
}

function principal(input: HandlerInput, kind: PrincipalKind): string {
  const { state } = input.ctx;
  if (kind === "User") return requireUser(state, input.params.UserName).userName;
  const role = state.getRole(input.params.RoleName);
  if (!role) throw apiError("EntityNotExist.Role", `RoleName: ${input.params.RoleName}`);
  return role.roleName;
}

function attachmentActions(kind: PrincipalKind): ActionSpec[] {
  const nameRule = kind === "User" ? userNameRule(true) : roleNameRule;
  const nameParam = kind === "User" ? "UserName" : "RoleName";
  const resourceKind = kind === "User" ? "user" : "role";
  const already = kind === "User" ? "EntityAlreadyExists.User.Policy" : "EntityAlreadyExists.Role.Policy";
  const missing = kind === "User" ? "EntityNotExist.User.Policy" : "EntityNotExist.Role.Policy";
  return [
    {
      action: `AttachPolicyTo${kind}`,
      params: [policyTypeRule, policyNameRule, nameRule],
      permission: ramPermission(`AttachPolicyTo${kind}`, resourceKind, nameParam),
      handle: (input) => {
        const { state } = input.ctx;
        const policyType = input.params.PolicyType as PolicyType;
        const policyName = requirePolicy(state, policyType, input.params.PolicyName);
        const principalName = principal(input, kind);
        if (state.findAttachment(kind, principalName, policyType, policyName, state.accountId))
          throw apiError(already);
        state.addAttachment({
          policyName,
          policyType,
          principalKind: kind,
          principalName,
          resourceGroupId: state.accountId,
          attachDate: isoSeconds(input.nowMs),
          effectiveAt: input.nowMs + input.ctx.faults.propagationDelayMs,
        });
        return {};
      },
    },
    {
      action: `DetachPolicyFrom${kind}`,
      params: [policyTypeRule, policyNameRule, nameRule],
      permission: ramPermission(`DetachPolicyFrom${kind}`, resourceKind, nameParam),
      handle: (input) => {
        const { state } = input.ctx;
        const policyType = input.params.PolicyType as PolicyType;
        const policyName = requirePolicy(state, policyType, input.params.PolicyName);
        const found = state.findAttachment(
          kind,
          principal(input, kind),
          policyType,
          policyName,
          state.accountId,
        );
        if (!found) throw apiError(missing);
        state.removeAttachment(found);
        return {};
      },
    },
    {
      action: `ListPoliciesFor${kind}`,
      params: [nameRule],
      permission: ramPermission(`ListPoliciesFor${kind}`, resourceKind, nameParam),
      handle: (input) => {
        const { state } = input.ctx;
        const attached = state
          .attachmentsOf(kind, principal(input, kind))
          .filter((a) => a.resourceGroupId === state.accountId)
          .map((a) => attachmentView(input, a));
        return { Policies: { Policy: attached } };
      },
    },
  ];
}

export const policyActions: ActionSpec[] = [
  {
    action: "CreatePolicy",
    params: [
      policyNameRule,
      { name: "PolicyDocument", required: true, allowed: "a policy document" },
      descriptionRule("Description"),
    ],
    permission: ramPermission("CreatePolicy", "policy", "PolicyName"),
    handle: ({ params, ctx, nowMs }) => {
      const policyName = params.PolicyName;
      if (ctx.state.getCustomPolicy(policyName) || SYSTEM_POLICIES[policyName]) {
        throw apiError("EntityAlreadyExists.Policy", `PolicyName: ${policyName}`);
      }
      const parsed = parsePolicyDocument(params.PolicyDocument, "identity");
      if (!parsed.ok)
        throw apiError(
          parsed.tooLarge ? "LimitExceeded.Policy.Size" : "MalformedPolicyDocument",
          parsed.reason,
        );
      const policy = ctx.state.addCustomPolicy(
        {
          policyName,
          description: params.Description ?? "",
          policyDocument: params.PolicyDocument,
          document: parsed.document,
        },
        nowMs,
      );
      return {
        Policy: {
          PolicyName: policy.policyName,
          PolicyType: "Custom",
          Description: policy.description,
          DefaultVersion: DEFAULT_VERSION,
          CreateDate: policy.createDate,
        },
      };
    },
  },
  {
    action: "GetPolicy",
    params: [policyTypeRule, policyNameRule],
    permission: ramPermission("GetPolicy", "policy", "PolicyName"),
    handle: ({ params, ctx }) => {
      const policyType = params.PolicyType as PolicyType;
      const policyName = requirePolicy(ctx.state, policyType, params.PolicyName);
      const custom = policyType === "Custom" ? ctx.state.getCustomPolicy(policyName) : undefined;
      const document = custom?.policyDocument ?? JSON.stringify(SYSTEM_POLICIES[policyName].document);
      // System policies predate any account; their real dates are not retrieved (approximated).
      const createDate = custom?.createDate ?? "2015-04-28T16:00:00Z";
      return {
        Policy: {
          PolicyName: policyName,
          PolicyType: policyType,
          Description: policyDescription(ctx.state, policyType, policyName),
          DefaultVersion: DEFAULT_VERSION,
          PolicyDocument: document,
          CreateDate: createDate,
          UpdateDate: custom?.updateDate ?? createDate,
          AttachmentCount: ctx.state.attachmentsOfPolicy(policyType, policyName).length,
        },
        DefaultPolicyVersion: {
          VersionId: DEFAULT_VERSION,
          IsDefaultVersion: true,
          PolicyDocument: document,
          CreateDate: createDate,
        },
      };
    },
  },
  {
    action: "DeletePolicy",
    params: [policyNameRule, { name: "CascadingDelete", oneOf: ["true", "false"], allowed: "true or false" }],
    permission: ramPermission("DeletePolicy", "policy", "PolicyName"),
    handle: ({ params, ctx }) => {
      const policyName = params.PolicyName;
      const policy = ctx.state.getCustomPolicy(policyName);
      if (!policy) {
        if (SYSTEM_POLICIES[policyName]) throw apiError("DeleteConflict.Policy.Version");
        throw apiError("EntityNotExist.Policy", `PolicyName: ${policyName}`);
      }
      const attached = ctx.state.attachmentsOfPolicy("Custom", policy.policyName);
      if (attached.length > 0 && params.CascadingDelete !== "true")
        throw apiError("DeleteConflict.Policy.Attachment");
      for (const a of attached) ctx.state.removeAttachment(a);
      ctx.state.deleteCustomPolicy(policy.policyName);
      return {};
    },
  },
  {
    action: "ListPolicies",
    params: [{ name: "PolicyType", oneOf: ["System", "Custom"], allowed: "System or Custom" }],
    permission: ({ ctx }) => ({
      action: "ram:ListPolicies",
      resource: ramResource(ctx.state.accountId, "policy", "*"),
    }),
    handle: ({ params, ctx }) => {
      const wanted = params.PolicyType;
      const rows: Record<string, unknown>[] = [];
      if (wanted !== "Custom") {
        for (const [name, policy] of Object.entries(SYSTEM_POLICIES)) {
          rows.push({
            PolicyName: name,
            PolicyType: "System",
            Description: policy.description,
            DefaultVersion: DEFAULT_VERSION,
          });
        }
      }
      if (wanted !== "System") {
        for (const policy of ctx.state.listCustomPolicies()) {
          rows.push({
            PolicyName: policy.policyName,
            PolicyType: "Custom",
            Description: policy.description,
            DefaultVersion: DEFAULT_VERSION,
            CreateDate: policy.createDate,
            UpdateDate: policy.updateDate,
          });
        }
      }
      return { IsTruncated: false, Policies: { Policy: rows } };
    },
  },
  ...attachmentActions("User"),
  ...attachmentActions("Role"),
];
