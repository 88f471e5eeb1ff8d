// Applies an action's input rules (handlers/types.ts ParamRule) before anything else runs.
import { ApiError, apiError, invalidParameter, missingParameter } from "../errors";
import type { Params } from "../request";
import type { ParamRule } from "./types";

function invalid(rule: ParamRule, value: string): ApiError {
  if (rule.error) return apiError(rule.error);
  return invalidParameter(
    rule.name,
    `${JSON.stringify(value.length > 80 ? value.slice(0, 80) + "…" : value)}; allowed: ${rule.allowed}.`,
  );
}

export function checkParams(rules: readonly ParamRule[], params: Params): void {
  for (const rule of rules) {
    const value = params[rule.name];
    if (value === undefined || value === "") {
      if (rule.required) throw missingParameter(rule.name);
      continue;
    }
    const length = rule.maxBytes ? Buffer.byteLength(value) : value.length;
    if (rule.minLength !== undefined && length < rule.minLength) throw invalid(rule, value);
    if (rule.maxLength !== undefined && length > rule.maxLength) throw invalid(rule, value);
    if (rule.pattern && !rule.pattern.test(value)) throw invalid(rule, value);
    if (rule.oneOf && !rule.oneOf.includes(value)) throw invalid(rule, value);
    if (rule.integer) {
      const n = /^-?\d{1,15}$/.test(value) ? Number(value) : Number.NaN;
      if (!Number.isInteger(n) || n < rule.integer.min || n > rule.integer.max) throw invalid(rule, value);
    }
    const problem = rule.check?.(value);
    if (problem) throw problem;
  }
}

/** An optional integer parameter already validated by its rule. */
export function intParam(params: Params, name: string, fallback: number): number {
  const value = params[name];
  return value === undefined || value === "" ? fallback : Number(value);
}

/** An optional string parameter ("" counts as absent). */
export function strParam(params: Params, name: string): string | undefined {
  const value = params[name];
  return value === undefined || value === "" ? undefined : value;
}
