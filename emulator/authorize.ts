// Which policies apply to a request and what they decide (DESIGN.md "Authorization").
//
// Scope: an attachment applies when it is at account scope (resourceGroupId = the account ID).
// Resource-group attachments apply only to resources in that group; nothing this emulator serves
// belongs to a resource group — STS AssumeRole and VOD GetCategories are account-level
// (reference §5) — so resource-group grants are recorded and listed but never allow a request.
//
// Resources each action is checked against (one choice, stated here):
//   sts:AssumeRole        acs:ram::<uid>:role/<role name, lower case>   (the role's ARN)
//   ram:*User*, keys      acs:ram:*:<uid>:user/<name>
//   ram:*Role*            acs:ram:*:<uid>:role/<name>
//   ram:*Policy           acs:ram:*:<uid>:policy/<name>
//   resourcemanager:*     acs:resourcemanager:*:<uid>:resourcegroup/<id>
//   vod:*                 acs:vod:<region>:<uid>:*      (VOD authorizes these APIs per account)
import type { Caller, EmulatorContext } from "./context";
import type { AccessDeniedDetail } from "./errors";
import {
  evaluateIdentityPolicies,
  evaluateSession,
  parsePolicyDocument,
  type ConditionContext,
  type Decision,
  type PolicyDocument,
} from "./policy";
import type { PrincipalKind } from "./state";

/** Documents attached at account scope to a principal that have passed the propagation delay. */
export function effectivePolicies(
  ctx: EmulatorContext,
  kind: PrincipalKind,
  name: string,
  nowMs: number,
): PolicyDocument[] {
  const documents: PolicyDocument[] = [];
  for (const attachment of ctx.state.attachmentsOf(kind, name)) {
    if (attachment.resourceGroupId !== ctx.state.accountId || attachment.effectiveAt > nowMs) continue;
    const document = ctx.state.policyDocument(attachment.policyType, attachment.policyName);
    if (document) documents.push(document);
  }
  return documents;
}

// Session policies travel inside the token; parsing them on every call would cost more than the
// whole evaluation, so parsed documents are cached (bounded: cleared when full).
const sessionPolicyCache = new Map<string, PolicyDocument | undefined>();
const SESSION_POLICY_CACHE_LIMIT = 1000;

function sessionPolicy(text: string | undefined): PolicyDocument | undefined {
  if (text === undefined) return undefined;
  if (sessionPolicyCache.has(text)) return sessionPolicyCache.get(text);
  const parsed = parsePolicyDocument(text, "session");
  // The text was validated by AssumeRole; an unparseable one here means a grammar change, so deny.
  const document = parsed.ok ? parsed.document : { Version: "1" as const, Statement: [] };
  if (sessionPolicyCache.size >= SESSION_POLICY_CACHE_LIMIT) sessionPolicyCache.clear();
  sessionPolicyCache.set(text, document);
  return document;
}

export function conditionContext(sourceIp: string, extra?: ConditionContext): ConditionContext {
  // The emulator only speaks plain HTTP, so acs:SecureTransport is always false.
  return { "acs:SourceIp": sourceIp, "acs:SecureTransport": false, ...extra };
}

export interface AuthorizationResult {
  decision: Decision;
  detail: AccessDeniedDetail | undefined;
}

/** The decision of the caller's identity policies (session: role ∩ session policy) on one action. */
export function authorize(
  ctx: EmulatorContext,
  caller: Caller,
  action: string,
  resource: string,
  context: ConditionContext,
  nowMs: number,
): AuthorizationResult {
  const request = { action, resource, context };
  let decision: Decision;
  let principalType: string;
  let displayName: string;
  switch (caller.kind) {
    case "Account":
      // The root identity is not subject to RAM policies.
      return { decision: "Allow", detail: undefined };
    case "RAMUser":
      decision = evaluateIdentityPolicies(
        effectivePolicies(ctx, "User", caller.user.userName, nowMs),
        request,
      );
      principalType = "SubUser";
      displayName = caller.user.userName;
      break;
    case "AssumedRoleUser": {
      const role = ctx.state.getRoleById(caller.session.roleId);
      // A deleted role leaves its sessions valid until expiry but with no permissions.
      const rolePolicies = role ? effectivePolicies(ctx, "Role", role.roleName, nowMs) : [];
      decision = evaluateSession(rolePolicies, sessionPolicy(caller.session.policy), request);
      principalType = "AssumedRoleUser";
      displayName = `${caller.session.roleName}:${caller.session.sessionName}`;
      break;
    }
  }
  if (decision === "Allow") return { decision, detail: undefined };
  return {
    decision,
    detail: {
      AuthAction: action,
      AuthPrincipalType: principalType,
      AuthPrincipalDisplayName: displayName,
      AuthPrincipalOwnerId: caller.accountId,
      NoPermissionType: decision,
      PolicyType:
        caller.kind === "AssumedRoleUser" && caller.session.policy
          ? "SessionPolicy"
          : "AccountLevelIdentityBasedPolicy",
    },
  };
}
