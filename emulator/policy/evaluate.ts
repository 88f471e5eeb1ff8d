// How RAM decides (RAM docs, "How RAM evaluates policies"): an explicit Deny in any applicable
// statement wins; otherwise any applicable Allow allows; otherwise the request is implicitly denied.
// Actions compare case-insensitively, resources case-sensitively (reference/alibaba-api.md §4).
import { conditionsHold } from "./conditions";
import { matchesWildcard } from "./wildcard";
import type { AuthzRequest, Decision, PolicyDocument, PolicyStatement } from "./types";

const listOf = (value: string | string[]): string[] => (Array.isArray(value) ? value : [value]);

/** Whether the statement's Action/NotAction covers `action`. A statement with neither covers nothing. */
export function statementCoversAction(statement: PolicyStatement, action: string): boolean {
  if (statement.Action !== undefined)
    return listOf(statement.Action).some((p) => matchesWildcard(p, action, true));
  if (statement.NotAction !== undefined) {
    return !listOf(statement.NotAction).some((p) => matchesWildcard(p, action, true));
  }
  return false;
}

function statementCoversResource(statement: PolicyStatement, resource: string): boolean {
  if (statement.Resource !== undefined)
    return listOf(statement.Resource).some((p) => matchesWildcard(p, resource));
  if (statement.NotResource !== undefined) {
    return !listOf(statement.NotResource).some((p) => matchesWildcard(p, resource));
  }
  return false;
}

/** Folds the effects of the statements that apply into one decision, Deny first. */
export function decide(
  statements: Iterable<PolicyStatement>,
  applies: (statement: PolicyStatement) => boolean,
): Decision {
  let allowed = false;
  for (const statement of statements) {
    if (!applies(statement)) continue;
    if (statement.Effect === "Deny") return "ExplicitDeny";
    if (statement.Effect === "Allow") allowed = true;
  }
  return allowed ? "Allow" : "ImplicitDeny";
}

function* statementsOf(documents: readonly PolicyDocument[]): Iterable<PolicyStatement> {
  for (const document of documents) yield* document.Statement;
}

const appliesTo =
  (request: AuthzRequest) =>
  (statement: PolicyStatement): boolean =>
    statementCoversAction(statement, request.action) &&
    statementCoversResource(statement, request.resource) &&
    conditionsHold(statement.Condition, request.context);

/** Explicit Deny wins; otherwise any Allow allows; otherwise ImplicitDeny. */
export function evaluateIdentityPolicies(
  documents: readonly PolicyDocument[],
  request: AuthzRequest,
): Decision {
  return decide(statementsOf(documents), appliesTo(request));
}

/**
 * A session's permissions are the role's policies intersected with its session policy (STS AssumeRole
 * docs, "Policy": the token gets at most the role's permissions): both must Allow; an explicit Deny
 * in either wins.
 */
export function evaluateSession(
  rolePolicies: readonly PolicyDocument[],
  sessionPolicy: PolicyDocument | undefined,
  request: AuthzRequest,
): Decision {
  const roleDecision = evaluateIdentityPolicies(rolePolicies, request);
  if (sessionPolicy === undefined) return roleDecision;
  const sessionDecision = evaluateIdentityPolicies([sessionPolicy], request);
  if (roleDecision === "ExplicitDeny" || sessionDecision === "ExplicitDeny") return "ExplicitDeny";
  return roleDecision === "Allow" && sessionDecision === "Allow" ? "Allow" : "ImplicitDeny";
}
