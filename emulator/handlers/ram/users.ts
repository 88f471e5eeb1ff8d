// RAM users: CreateUser, GetUser, UpdateUser, DeleteUser, ListUsers.
import { apiError } from "../../errors";
import type { UserRecord } from "../../state";
import { strParam } from "../params";
import type { ActionSpec, ParamRule } from "../types";
import { ramPermission, requireUser, userNameRule } from "./common";

const profileRules: ParamRule[] = [
  { name: "DisplayName", maxLength: 128, allowed: "at most 128 characters" },
  { name: "Email", maxLength: 128, pattern: /^[^@\s]+@[^@\s]+$/, allowed: "an e-mail address" },
  {
    name: "MobilePhone",
    maxLength: 32,
    pattern: /^\d{1,4}-\d{4,20}$/,
    allowed: "<country code>-<number>, e.g. 86-18600008888",
  },
  { name: "Comments", maxLength: 128, allowed: "at most 128 characters" },
];

const userView = (user: UserRecord): Record<string, unknown> => ({
  UserId: user.userId,
  UserName: user.userName,
  DisplayName: user.displayName,
  Email: user.email,
  MobilePhone: user.mobilePhone,
  Comments: user.comments,
  CreateDate: user.createDate,
  UpdateDate: user.updateDate,
});

export const userActions: ActionSpec[] = [
  {
    action: "CreateUser",
    params: [userNameRule(true), ...profileRules],
    permission: ramPermission("CreateUser", "user", "UserName"),
    handle: ({ params, ctx, nowMs }) => {
      const userName = params.UserName;
      if (ctx.state.getUser(userName)) throw apiError("EntityAlreadyExists.User", `UserName: ${userName}`);
      const user = ctx.state.addUser(
        {
          userName,
          displayName: strParam(params, "DisplayName") ?? userName,
          email: params.Email ?? "",
          mobilePhone: params.MobilePhone ?? "",
          comments: params.Comments ?? "",
        },
        nowMs,
      );
      return { User: userView(user) };
    },
  },
  {
    action: "GetUser",
    params: [userNameRule(true)],
    permission: ramPermission("GetUser", "user", "UserName"),
    handle: ({ params, ctx }) => ({
      User: { ...userView(requireUser(ctx.state, params.UserName)), LastLoginDate: "" },
    }),
  },
  {
    action: "UpdateUser",
    params: [
      userNameRule(true),
      { ...userNameRule(false), name: "NewUserName" },
      { name: "NewDisplayName", maxLength: 128, allowed: "at most 128 characters" },
      { name: "NewEmail", maxLength: 128, pattern: /^[^@\s]+@[^@\s]+$/, allowed: "an e-mail address" },
      {
        name: "NewMobilePhone",
        maxLength: 32,
        pattern: /^\d{1,4}-\d{4,20}$/,
        allowed: "<country code>-<number>",
      },
      { name: "NewComments", maxLength: 128, allowed: "at most 128 characters" },
    ],
    permission: ramPermission("UpdateUser", "user", "UserName"),
    handle: ({ params, ctx, nowMs }) => {
      const user = requireUser(ctx.state, params.UserName);
      const newName = strParam(params, "NewUserName");
      if (newName !== undefined && newName.toLowerCase() !== user.userName.toLowerCase()) {
        // Renaming would orphan the name-keyed keys and attachments; the emulator does not support it.
        throw apiError(
          "InvalidParameter.Format",
          "NewUserName: renaming users is not supported by the emulator.",
        );
      }
      if (newName !== undefined) user.userName = newName;
      user.displayName = strParam(params, "NewDisplayName") ?? user.displayName;
      user.email = strParam(params, "NewEmail") ?? user.email;
      user.mobilePhone = strParam(params, "NewMobilePhone") ?? user.mobilePhone;
      user.comments = strParam(params, "NewComments") ?? user.comments;
      user.updateDate = new Date(nowMs).toISOString().slice(0, 19) + "Z";
      return { User: userView(user) };
    },
  },
  {
    action: "DeleteUser",
    params: [userNameRule(true)],
    permission: ramPermission("DeleteUser", "user", "UserName"),
    handle: ({ params, ctx }) => {
      const user = requireUser(ctx.state, params.UserName);
      if (ctx.state.listAccessKeys(user.userName).length > 0) throw apiError("DeleteConflict.User.AccessKey");
      if (ctx.state.attachmentsOf("User", user.userName).length > 0)
        throw apiError("DeleteConflict.User.Policy");
      ctx.state.deleteUser(user.userName);
      return {};
    },
  },
  {
    action: "ListUsers",
    params: [],
    permission: ({ ctx }) => ({
      action: "ram:ListUsers",
      resource: `acs:ram:*:${ctx.state.accountId}:user/*`,
    }),
    handle: ({ ctx }) => ({ IsTruncated: false, Users: { User: ctx.state.listUsers().map(userView) } }),
  },
];
