// RAM AccessKeys: CreateAccessKey (2 per user), ListAccessKeys, UpdateAccessKey, DeleteAccessKey.
import { apiError } from "../../errors";
import type { AccessKeyRecord } from "../../state";
import type { ActionSpec, HandlerInput } from "../types";
import { ramResource, requireUser, targetUserName, userNameRule } from "./common";

const MAX_KEYS_PER_USER = 2;

const accessKeyIdRule = {
  name: "UserAccessKeyId",
  required: true,
  pattern: /^[A-Za-z0-9]{1,64}$/,
  allowed: "an AccessKey ID such as LTAI5t…",
} as const;

const keyView = (key: AccessKeyRecord): Record<string, unknown> => ({
  AccessKeyId: key.accessKeyId,
  Status: key.status,
  CreateDate: key.createDate,
});

const keyPermission =
  (action: string) =>
  ({ params, ctx, caller }: HandlerInput): { action: string; resource: string } => ({
    action: `ram:${action}`,
    resource: ramResource(ctx.state.accountId, "user", targetUserName(params, caller) ?? "*"),
  });

/** The key of that user (or of root), or EntityNotExist.User.AccessKey. */
function ownKey(input: HandlerInput): AccessKeyRecord {
  const userName = targetUserName(input.params, input.caller);
  if (userName !== undefined) requireUser(input.ctx.state, userName);
  const key = input.ctx.state.getAccessKey(input.params.UserAccessKeyId);
  const owner = key?.userName?.toLowerCase();
  if (!key || owner !== userName?.toLowerCase()) {
    throw apiError("EntityNotExist.User.AccessKey", `UserAccessKeyId: ${input.params.UserAccessKeyId}`);
  }
  return key;
}

export const accessKeyActions: ActionSpec[] = [
  {
    action: "CreateAccessKey",
    params: [userNameRule(false)],
    permission: keyPermission("CreateAccessKey"),
    handle: (input) => {
      const { ctx, nowMs } = input;
      const userName = targetUserName(input.params, input.caller);
      const canonicalName = userName === undefined ? undefined : requireUser(ctx.state, userName).userName;
      if (ctx.state.listAccessKeys(canonicalName).length >= MAX_KEYS_PER_USER)
        throw apiError("LimitExceeded.User.AccessKey");
      const key = ctx.state.addAccessKey(canonicalName, nowMs, nowMs + ctx.faults.propagationDelayMs);
      return { AccessKey: { ...keyView(key), AccessKeySecret: key.accessKeySecret } };
    },
  },
  {
    action: "ListAccessKeys",
    params: [userNameRule(false)],
    permission: keyPermission("ListAccessKeys"),
    handle: (input) => {
      const userName = targetUserName(input.params, input.caller);
      const canonicalName =
        userName === undefined ? undefined : requireUser(input.ctx.state, userName).userName;
      return { AccessKeys: { AccessKey: input.ctx.state.listAccessKeys(canonicalName).map(keyView) } };
    },
  },
  {
    action: "UpdateAccessKey",
    params: [
      userNameRule(false),
      accessKeyIdRule,
      { name: "Status", required: true, oneOf: ["Active", "Inactive"], allowed: "Active or Inactive" },
    ],
    permission: keyPermission("UpdateAccessKey"),
    handle: (input) => {
      const key = ownKey(input);
      key.status = input.params.Status as "Active" | "Inactive";
      return {};
    },
  },
  {
    action: "DeleteAccessKey",
    params: [userNameRule(false), accessKeyIdRule],
    permission: keyPermission("DeleteAccessKey"),
    handle: (input) => {
      input.ctx.state.deleteAccessKey(ownKey(input).accessKeyId);
      return {};
    },
  },
];
