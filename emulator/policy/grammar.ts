// Grammar check of RAM policy documents, before anything is stored or evaluated.
// Limits: a custom (identity) policy is at most 6144 bytes (reference/alibaba-api.md §4, "Limits");
// an AssumeRole session policy at most 2048 (§2 and §3, InvalidParameter.PolicySize). The STS docs
// say "characters" in one place and "bytes" in the error text (UNSURE); bytes of UTF-8 are counted,
// which is the stricter reading. Trust policies get no size limit here: the reference has none.
import { CONDITION_OPERATORS, CONDITION_OPERATOR_NAMES } from "./conditions";
import type { ParseResult, PolicyDocument, PolicyKind, PolicyStatement } from "./types";

export const POLICY_SIZE_LIMITS: Readonly<Record<"identity" | "session", number>> = {
  identity: 6144,
  session: 2048,
};

const STATEMENT_ELEMENTS = [
  "Sid",
  "Effect",
  "Action",
  "NotAction",
  "Resource",
  "NotResource",
  "Principal",
  "Condition",
];
const PRINCIPAL_TYPES = ["RAM", "Service", "Federated"];
const TRUST_ACTIONS = ["sts:AssumeRole", "sts:*", "*"];
// A RAM principal names an account root, a user or a role (reference §4, trust policies).
const RAM_PRINCIPAL = /^acs:ram::\d+:(root|user\/[A-Za-z0-9._@-]+|role\/[A-Za-z0-9._@-]+)$/;
const ACTION = /^(\*|[A-Za-z0-9_*?-]+:[A-Za-z0-9_*?-]+)$/;

class GrammarError extends Error {}

const show = (value: unknown): string => {
  const text = JSON.stringify(value);
  return text === undefined ? String(value) : text.length > 80 ? `${text.slice(0, 77)}...` : text;
};

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function stringList(value: unknown, where: string): string[] {
  const list = Array.isArray(value) ? value : [value];
  if (list.length === 0 || list.some((item) => typeof item !== "string" || item.trim() === "")) {
    throw new GrammarError(`${where} must be a non-empty string or a non-empty list of non-empty strings`);
  }
  return list as string[];
}

function checkActions(statement: Record<string, unknown>, where: string, kind: PolicyKind): void {
  if ("Action" in statement && "NotAction" in statement) {
    throw new GrammarError(`${where} cannot have both Action and NotAction`);
  }
  if (kind === "trust" && "NotAction" in statement) {
    throw new GrammarError(`${where}.NotAction is not allowed in a trust policy; use Action sts:AssumeRole`);
  }
  const element = "Action" in statement ? "Action" : "NotAction" in statement ? "NotAction" : undefined;
  if (!element) throw new GrammarError(`${where} must have Action or NotAction`);
  const actions = stringList(statement[element], `${where}.${element}`);
  actions.forEach((action, index) => {
    const at = Array.isArray(statement[element]) ? `${where}.${element}[${index}]` : `${where}.${element}`;
    if (!ACTION.test(action)) {
      throw new GrammarError(`${at} ${show(action)} must be "*" or "<service>:<action>"`);
    }
    if (
      kind === "trust" &&
      !TRUST_ACTIONS.some((allowed) => allowed.toLowerCase() === action.toLowerCase())
    ) {
      throw new GrammarError(
        `${at} ${show(action)} is not allowed in a trust policy; allowed: ${TRUST_ACTIONS.join(", ")}`,
      );
    }
  });
}

function checkResources(statement: Record<string, unknown>, where: string, kind: PolicyKind): void {
  if ("Resource" in statement && "NotResource" in statement) {
    throw new GrammarError(`${where} cannot have both Resource and NotResource`);
  }
  const element =
    "Resource" in statement ? "Resource" : "NotResource" in statement ? "NotResource" : undefined;
  if (!element) {
    // A trust policy's resource is the role itself; RAM does not ask for one there.
    if (kind === "trust") return;
    throw new GrammarError(`${where} must have Resource or NotResource`);
  }
  stringList(statement[element], `${where}.${element}`);
}

function checkPrincipal(statement: Record<string, unknown>, where: string, kind: PolicyKind): void {
  if (kind !== "trust") {
    if ("Principal" in statement) {
      throw new GrammarError(
        `${where}.Principal is not allowed in ${kind === "session" ? "a session" : "an identity"} policy`,
      );
    }
    return;
  }
  if (!("Principal" in statement)) throw new GrammarError(`${where} must have Principal in a trust policy`);
  const principal = statement.Principal;
  if (principal === "*") return;
  if (!isRecord(principal) || Object.keys(principal).length === 0) {
    throw new GrammarError(`${where}.Principal must be "*" or an object with ${PRINCIPAL_TYPES.join(", ")}`);
  }
  for (const [type, value] of Object.entries(principal)) {
    if (!PRINCIPAL_TYPES.includes(type)) {
      throw new GrammarError(
        `${where}.Principal has unknown type ${show(type)}; allowed: ${PRINCIPAL_TYPES.join(", ")}`,
      );
    }
    const names = stringList(value, `${where}.Principal.${type}`);
    if (type !== "RAM") continue;
    names.forEach((name, index) => {
      if (name === "*" || RAM_PRINCIPAL.test(name)) return;
      const at = Array.isArray(value) ? `${where}.Principal.RAM[${index}]` : `${where}.Principal.RAM`;
      throw new GrammarError(
        `${at} ${show(name)} must be "acs:ram::<accountId>:root", "acs:ram::<accountId>:user/<name>" or "acs:ram::<accountId>:role/<name>"`,
      );
    });
  }
}

/** Checks the Condition block and returns it with numbers turned into strings. */
function checkCondition(value: unknown, where: string): PolicyStatement["Condition"] {
  if (!isRecord(value)) throw new GrammarError(`${where}.Condition must be an object of condition operators`);
  const normalised: NonNullable<PolicyStatement["Condition"]> = {};
  for (const [operatorName, keys] of Object.entries(value)) {
    const operator = CONDITION_OPERATORS[operatorName];
    if (!operator) {
      throw new GrammarError(
        `${where}.Condition operator ${show(operatorName)} is not supported; supported: ${CONDITION_OPERATOR_NAMES.join(", ")}`,
      );
    }
    const at = `${where}.Condition.${operatorName}`;
    if (!isRecord(keys) || Object.keys(keys).length === 0) {
      throw new GrammarError(`${at} must map condition keys to values`);
    }
    const normalisedKeys: Record<string, string | string[] | boolean | boolean[]> = {};
    for (const [key, raw] of Object.entries(keys)) {
      const list = Array.isArray(raw) ? raw : [raw];
      const scalarsOk = list.every((v) => ["string", "boolean", "number"].includes(typeof v));
      if (list.length === 0 || !scalarsOk) {
        throw new GrammarError(
          `${at}[${show(key)}] must be a string, number, boolean or a non-empty list of them`,
        );
      }
      const values = list.map((v: string | number | boolean) => (typeof v === "number" ? String(v) : v));
      for (const v of values) {
        const expected = operator.validate(v);
        if (expected) throw new GrammarError(`${at}[${show(key)}] value ${show(v)} must be ${expected}`);
      }
      normalisedKeys[key] = (Array.isArray(raw) ? values : values[0]) as
        string | string[] | boolean | boolean[];
    }
    normalised[operatorName] = normalisedKeys;
  }
  return normalised;
}

function checkStatement(raw: unknown, index: number, kind: PolicyKind): PolicyStatement {
  const where = `Statement[${index}]`;
  if (!isRecord(raw)) throw new GrammarError(`${where} must be an object`);
  for (const element of Object.keys(raw)) {
    if (!STATEMENT_ELEMENTS.includes(element)) {
      throw new GrammarError(
        `${where} has unknown element ${show(element)}; allowed: ${STATEMENT_ELEMENTS.join(", ")}`,
      );
    }
  }
  if (!("Effect" in raw)) throw new GrammarError(`${where} must have Effect (Allow or Deny)`);
  if (raw.Effect !== "Allow" && raw.Effect !== "Deny") {
    throw new GrammarError(`${where}.Effect must be Allow or Deny, got ${show(raw.Effect)}`);
  }
  if ("Sid" in raw && typeof raw.Sid !== "string") throw new GrammarError(`${where}.Sid must be a string`);
  checkActions(raw, where, kind);
  checkResources(raw, where, kind);
  checkPrincipal(raw, where, kind);
  const statement = { ...raw } as unknown as PolicyStatement;
  if ("Condition" in raw) statement.Condition = checkCondition(raw.Condition, where);
  return statement;
}

/**
 * Grammar check as RAM does it. kind "identity": Action+Resource required, no Principal.
 * kind "trust": Principal required, Action sts:AssumeRole (or "sts:*"/"*"), no Resource needed.
 * kind "session": identity grammar with the 2048-byte AssumeRole limit.
 * `reason` names the offending element and value, e.g. `Statement[0].Effect must be Allow or Deny, got "allow"`.
 */
export function parsePolicyDocument(text: string, kind: PolicyKind): ParseResult {
  if (typeof text !== "string") return { ok: false, reason: "Policy document must be a JSON text" };
  if (kind !== "trust") {
    const limit = POLICY_SIZE_LIMITS[kind];
    const size = Buffer.byteLength(text, "utf8");
    if (size > limit) {
      const label = kind === "session" ? "a session policy" : "a custom policy";
      return {
        ok: false,
        tooLarge: true,
        reason: `Policy document is ${size} bytes; ${label} allows at most ${limit} bytes`,
      };
    }
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { ok: false, reason: "Policy document is not valid JSON" };
  }
  try {
    if (!isRecord(parsed)) throw new GrammarError("Policy document must be a JSON object");
    for (const element of Object.keys(parsed)) {
      if (element !== "Version" && element !== "Statement") {
        throw new GrammarError(
          `Policy document has unknown element ${show(element)}; allowed: Version, Statement`,
        );
      }
    }
    if (parsed.Version !== "1") throw new GrammarError(`Version must be "1", got ${show(parsed.Version)}`);
    if (!Array.isArray(parsed.Statement) || parsed.Statement.length === 0) {
      throw new GrammarError("Statement must be a non-empty list of statements");
    }
    const statements = parsed.Statement.map((statement, index) => checkStatement(statement, index, kind));
    const document: PolicyDocument = { Version: "1", Statement: statements };
    return { ok: true, document };
  } catch (error) {
    if (error instanceof GrammarError) return { ok: false, reason: error.message };
    throw error;
  }
}
