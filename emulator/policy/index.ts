// The RAM policy engine of the emulator: pure logic, no I/O.
export type {
  AuthzRequest,
  ConditionContext,
  Decision,
  Effect,
  ParseResult,
  PolicyDocument,
  PolicyKind,
  PolicyStatement,
  Principal,
} from "./types";
export { parsePolicyDocument, POLICY_SIZE_LIMITS } from "./grammar";
export { evaluateIdentityPolicies, evaluateSession, statementCoversAction } from "./evaluate";
export { evaluateTrustPolicy, ramPrincipalMatches } from "./trust";
export { CONDITION_OPERATOR_NAMES, conditionsHold, parseIpBlock } from "./conditions";
export { matchesWildcard } from "./wildcard";
export { SYSTEM_POLICIES, type SystemPolicy } from "./systemPolicies";
