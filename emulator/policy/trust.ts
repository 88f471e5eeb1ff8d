// Trust policy evaluation for sts:AssumeRole (reference/alibaba-api.md §2 "Rules" and §4 trust policies).
// "acs:ram::<uid>:root" names every RAM identity of account <uid>; "user/<n>" one user; "role/<n>"
// the sessions of one role. Service and Federated principals are for cloud services and identity
// providers, never for RAM callers. The STS handler must still refuse the root account itself
// (NoPermission) before asking this module.
import { conditionsHold } from "./conditions";
import { decide, statementCoversAction } from "./evaluate";
import type { ConditionContext, Decision, PolicyDocument, PolicyStatement, Principal } from "./types";

const RAM_PRINCIPAL = /^acs:ram::(\d+):(root|user\/(.+)|role\/(.+))$/;

// User and role names compare case-insensitively. UNSURE: the reference only says role names in
// ARNs match case-insensitively (§2); RAM treats user names as case-insensitive on creation too, so
// the same is assumed for trust policies.
const sameName = (a: string | undefined, b: string): boolean =>
  a !== undefined && a.toLowerCase() === b.toLowerCase();

/** Whether one `Principal.RAM` entry names the caller. */
export function ramPrincipalMatches(entry: string, principal: Principal): boolean {
  // UNSURE: RAM docs do not show "*" as a RAM principal; it is read as "any RAM identity".
  if (entry === "*") return true;
  const match = RAM_PRINCIPAL.exec(entry);
  if (!match || match[1] !== principal.accountId) return false;
  if (match[2] === "root") return true;
  if (match[3] !== undefined) return principal.kind === "RAMUser" && sameName(principal.userName, match[3]);
  if (match[4] !== undefined)
    return principal.kind === "AssumedRoleUser" && sameName(principal.roleName, match[4]);
  return false;
}

function principalMatches(statement: PolicyStatement, principal: Principal): boolean {
  const named = statement.Principal;
  if (named === undefined) return false;
  if (named === "*") return true;
  if (named.RAM === undefined) return false;
  const entries = Array.isArray(named.RAM) ? named.RAM : [named.RAM];
  return entries.some((entry) => ramPrincipalMatches(entry, principal));
}

/** Whether the role's trust policy lets this principal call sts:AssumeRole. Explicit Deny wins. */
export function evaluateTrustPolicy(
  trust: PolicyDocument,
  principal: Principal,
  context: ConditionContext,
): Decision {
  return decide(
    trust.Statement,
    (statement) =>
      statementCoversAction(statement, "sts:AssumeRole") &&
      principalMatches(statement, principal) &&
      conditionsHold(statement.Condition, context),
  );
}
