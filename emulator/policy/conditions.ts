// Condition operators of the RAM policy language (Alibaba Cloud RAM docs, "Conditional operators":
// string, number, date and time, Boolean and IP address). Semantics shared by every operator:
//  - several keys under one operator must all hold (AND);
//  - several values for one key: the key holds when any value matches (OR) — for the negated
//    operators (StringNotEquals, NotIpAddress, ...) when no value matches;
//  - a key absent from the request makes a positive operator false and a negated operator true.
//    The RAM docs do not spell the negated case out (UNSURE); this follows the documented
//    behaviour of the AWS-derived grammar RAM copies, which is the safe reading for Deny + Not*.
// Condition key names compare case-insensitively (UNSURE: RAM docs write them in one case only).
import { BlockList, isIP } from "node:net";
import { matchesWildcard } from "./wildcard";
import type { ConditionContext, PolicyStatement } from "./types";

type ConditionValue = string | boolean;
type Comparator = (policyValue: string, requestValue: ConditionValue) => boolean;

interface OperatorSpec {
  /** Whether a policy value is acceptable; returns the name of what was expected otherwise. */
  validate: (value: string | boolean) => string | undefined;
  compare: Comparator;
  negated: boolean;
}

const asText = (value: ConditionValue): string => (typeof value === "boolean" ? String(value) : value);

const anyString = (): undefined => undefined;

function numberOf(value: string | boolean): number | undefined {
  if (typeof value === "boolean") return undefined;
  if (value.trim() === "") return undefined;
  const parsed = Number(value);
  return Number.isFinite(parsed) ? parsed : undefined;
}

function dateOf(value: string | boolean): number | undefined {
  if (typeof value === "boolean") return undefined;
  // RAM dates are ISO 8601 (e.g. acs:CurrentTime "2026-01-01T00:00:00Z"); bare epoch seconds are not.
  if (!/^\d{4}-\d{2}-\d{2}/.test(value)) return undefined;
  const parsed = Date.parse(value);
  return Number.isNaN(parsed) ? undefined : parsed;
}

function boolOf(value: string | boolean): boolean | undefined {
  if (typeof value === "boolean") return value;
  const lower = value.toLowerCase();
  return lower === "true" ? true : lower === "false" ? false : undefined;
}

const numericValue = (value: string | boolean): string | undefined =>
  numberOf(value) === undefined ? "a number" : undefined;
const dateValue = (value: string | boolean): string | undefined =>
  dateOf(value) === undefined ? "an ISO 8601 date such as 2026-01-01T00:00:00Z" : undefined;

function numeric(test: (request: number, policy: number) => boolean): Comparator {
  return (policyValue, requestValue) => {
    const request = numberOf(requestValue);
    const policy = numberOf(policyValue);
    return request !== undefined && policy !== undefined && test(request, policy);
  };
}

function dated(test: (request: number, policy: number) => boolean): Comparator {
  return (policyValue, requestValue) => {
    const request = dateOf(requestValue);
    const policy = dateOf(policyValue);
    return request !== undefined && policy !== undefined && test(request, policy);
  };
}

/** A bare address is its own /32 (IPv4) or /128 (IPv6) block. */
export function parseIpBlock(
  value: string,
): { address: string; prefix: number; family: "ipv4" | "ipv6" } | undefined {
  const [address, prefixText, extra] = value.trim().split("/");
  if (address === undefined || extra !== undefined) return undefined;
  const version = isIP(address);
  if (version === 0) return undefined;
  const family = version === 4 ? "ipv4" : "ipv6";
  const maxPrefix = version === 4 ? 32 : 128;
  if (prefixText === undefined) return { address, prefix: maxPrefix, family };
  if (!/^\d{1,3}$/.test(prefixText)) return undefined;
  const prefix = Number(prefixText);
  return prefix <= maxPrefix ? { address, prefix, family } : undefined;
}

const ipBlocks = new Map<string, BlockList>();

function blockListFor(cidr: string): BlockList | undefined {
  const cached = ipBlocks.get(cidr);
  if (cached) return cached;
  const block = parseIpBlock(cidr);
  if (!block) return undefined;
  const list = new BlockList();
  list.addSubnet(block.address, block.prefix, block.family);
  if (ipBlocks.size >= 2000) ipBlocks.clear();
  ipBlocks.set(cidr, list);
  return list;
}

/** Node reports IPv4 peers of a dual-stack socket as "::ffff:a.b.c.d"; policies name them as IPv4. */
function normaliseRequestIp(value: string): { address: string; family: "ipv4" | "ipv6" } | undefined {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(value);
  const address = mapped?.[1] ?? value;
  const version = isIP(address);
  if (version === 0) return undefined;
  return { address, family: version === 4 ? "ipv4" : "ipv6" };
}

const inIpBlock: Comparator = (policyValue, requestValue) => {
  if (typeof requestValue !== "string") return false;
  const request = normaliseRequestIp(requestValue);
  const list = blockListFor(policyValue);
  return request !== undefined && list !== undefined && list.check(request.address, request.family);
};

const stringEquals: Comparator = (p, r) => p === asText(r);
const stringEqualsIgnoreCase: Comparator = (p, r) => p.toLowerCase() === asText(r).toLowerCase();
const stringLike: Comparator = (p, r) => matchesWildcard(p, asText(r));
const boolEquals: Comparator = (p, r) => {
  const request = boolOf(r);
  return request !== undefined && request === boolOf(p);
};

const ipValue = (value: string | boolean): string | undefined =>
  typeof value === "string" && parseIpBlock(value) ? undefined : "an IP address or CIDR block";
const boolValue = (value: string | boolean): string | undefined =>
  boolOf(value) === undefined ? "true or false" : undefined;

export const CONDITION_OPERATORS: Readonly<Record<string, OperatorSpec>> = {
  StringEquals: { validate: anyString, compare: stringEquals, negated: false },
  StringNotEquals: { validate: anyString, compare: stringEquals, negated: true },
  StringEqualsIgnoreCase: { validate: anyString, compare: stringEqualsIgnoreCase, negated: false },
  StringNotEqualsIgnoreCase: { validate: anyString, compare: stringEqualsIgnoreCase, negated: true },
  StringLike: { validate: anyString, compare: stringLike, negated: false },
  StringNotLike: { validate: anyString, compare: stringLike, negated: true },
  NumericEquals: { validate: numericValue, compare: numeric((r, p) => r === p), negated: false },
  NumericNotEquals: { validate: numericValue, compare: numeric((r, p) => r === p), negated: true },
  NumericLessThan: { validate: numericValue, compare: numeric((r, p) => r < p), negated: false },
  NumericLessThanEquals: { validate: numericValue, compare: numeric((r, p) => r <= p), negated: false },
  NumericGreaterThan: { validate: numericValue, compare: numeric((r, p) => r > p), negated: false },
  NumericGreaterThanEquals: { validate: numericValue, compare: numeric((r, p) => r >= p), negated: false },
  DateEquals: { validate: dateValue, compare: dated((r, p) => r === p), negated: false },
  DateNotEquals: { validate: dateValue, compare: dated((r, p) => r === p), negated: true },
  DateLessThan: { validate: dateValue, compare: dated((r, p) => r < p), negated: false },
  DateLessThanEquals: { validate: dateValue, compare: dated((r, p) => r <= p), negated: false },
  DateGreaterThan: { validate: dateValue, compare: dated((r, p) => r > p), negated: false },
  DateGreaterThanEquals: { validate: dateValue, compare: dated((r, p) => r >= p), negated: false },
  Bool: { validate: boolValue, compare: boolEquals, negated: false },
  IpAddress: { validate: ipValue, compare: inIpBlock, negated: false },
  NotIpAddress: { validate: ipValue, compare: inIpBlock, negated: true },
};

export const CONDITION_OPERATOR_NAMES: readonly string[] = Object.keys(CONDITION_OPERATORS);

function lookup(context: ConditionContext, key: string): ConditionValue | undefined {
  const exact = context[key];
  if (exact !== undefined) return exact;
  const lowerKey = key.toLowerCase();
  for (const [name, value] of Object.entries(context)) {
    if (value !== undefined && name.toLowerCase() === lowerKey) return value;
  }
  return undefined;
}

const valuesOf = (value: string | string[] | boolean | boolean[]): string[] =>
  (Array.isArray(value) ? value : [value]).map((v) => String(v));

/** Whether every condition of a statement holds for the request context. No Condition = true. */
export function conditionsHold(condition: PolicyStatement["Condition"], context: ConditionContext): boolean {
  if (!condition) return true;
  for (const [operatorName, keys] of Object.entries(condition)) {
    const operator = CONDITION_OPERATORS[operatorName];
    // The grammar check refuses unknown operators; an unchecked document must not widen access.
    if (!operator) return false;
    for (const [key, policyValue] of Object.entries(keys)) {
      const requestValue = lookup(context, key);
      if (requestValue === undefined) {
        if (!operator.negated) return false;
        continue;
      }
      const anyMatch = valuesOf(policyValue).some((value) => operator.compare(value, requestValue));
      if (anyMatch === operator.negated) return false;
    }
  }
  return true;
}
