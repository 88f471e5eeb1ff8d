// Deterministic failure injection, so verify's retry logic can be tested against every transient
// condition Alibaba Cloud produces (reference/alibaba-api.md §3–§4). Tests mutate an emulator's
// `faults` object between calls; each "next N" counter is consumed one per matching request.

export interface FaultSettings {
  /**
   * Milliseconds before a newly created AccessKey, role or policy attachment takes effect
   * (reference §4 "Propagation": Alibaba documents no figure). Until then the key answers
   * `InvalidAccessKeyId.NotFound`, AssumeRole on the role answers `EntityNotExist.Role`, and the
   * attachment grants nothing. Read when the entity is created. Default 0.
   */
  propagationDelayMs: number;
  /** Answer the next N requests with 400 `Throttling.User` and an `x-acs-retry-after` header. Default 0. */
  throttleNext: number;
  /** Only requests for this API action (e.g. "AssumeRole") are throttled; undefined = every action. */
  throttleAction: string | undefined;
  /** Value of `x-acs-retry-after` (milliseconds) on injected throttling. Default 1000. */
  throttleRetryAfterMs: number;
  /**
   * AssumeRole requests per second per account before `Throttling.User` (reference §2 "Quota":
   * 100/s, shared by the account's users and roles). 0 turns the quota off. Default 100.
   */
  assumeRoleQuotaPerSecond: number;
  /** Answer the next N requests with a JSON 5xx error (`serverErrorCode`). Default 0. */
  serverErrorNext: number;
  /** `InternalError` (500) or `ServiceUnavailable` (503). Default "InternalError". */
  serverErrorCode: "InternalError" | "ServiceUnavailable";
  /** Only requests for this action get the injected 5xx; undefined = every action. */
  serverErrorAction: string | undefined;
  /** Delay in milliseconds before every response, to provoke a client's read timeout. Default 0. */
  latencyMs: number;
  /**
   * Answer the next N requests with a 502 and an HTML page, as a broken gateway in front of the
   * service would: the official SDKs then throw a bare SyntaxError. Default 0.
   */
  gatewayErrorNext: number;
}

export const DEFAULT_FAULTS: Readonly<FaultSettings> = {
  propagationDelayMs: 0,
  throttleNext: 0,
  throttleAction: undefined,
  throttleRetryAfterMs: 1000,
  assumeRoleQuotaPerSecond: 100,
  serverErrorNext: 0,
  serverErrorCode: "InternalError",
  serverErrorAction: undefined,
  latencyMs: 0,
  gatewayErrorNext: 0,
};

const COUNTS = [
  "propagationDelayMs",
  "throttleNext",
  "throttleRetryAfterMs",
  "assumeRoleQuotaPerSecond",
  "serverErrorNext",
  "latencyMs",
  "gatewayErrorNext",
] as const;

/** Merges and validates; throws an Error naming the setting, the bad value and what is allowed. */
export function resolveFaults(overrides: Partial<FaultSettings> | undefined): FaultSettings {
  const faults: FaultSettings = { ...DEFAULT_FAULTS, ...overrides };
  const problems: string[] = [];
  for (const key of COUNTS) {
    const value = faults[key];
    if (typeof value !== "number" || !Number.isInteger(value) || value < 0) {
      problems.push(`faults.${key} is ${JSON.stringify(value)}; allowed: an integer >= 0`);
    }
  }
  if (faults.serverErrorCode !== "InternalError" && faults.serverErrorCode !== "ServiceUnavailable") {
    problems.push(
      `faults.serverErrorCode is ${JSON.stringify(faults.serverErrorCode)}; allowed: "InternalError" or "ServiceUnavailable"`,
    );
  }
  if (problems.length > 0) throw new Error(`Invalid emulator faults: ${problems.join("; ")}`);
  return faults;
}

/** Consumes one "next N" unit when the action matches; true when this request gets the fault. */
export function takeFault(
  faults: FaultSettings,
  counter: "throttleNext" | "serverErrorNext" | "gatewayErrorNext",
  action: string,
  only: string | undefined,
): boolean {
  if (faults[counter] <= 0) return false;
  if (only !== undefined && only.toLowerCase() !== action.toLowerCase()) return false;
  faults[counter] -= 1;
  return true;
}

/**
 * AssumeRole quota as a fixed one-second window per account: cheap (one counter) and exact enough
 * for "100/s"; a sliding window would only smooth the boundary.
 */
export class RateWindow {
  private windowStart = 0;
  private count = 0;

  /** Returns 0 when admitted, otherwise the milliseconds until the window reopens. */
  admit(limitPerSecond: number, nowMs: number): number {
    if (limitPerSecond <= 0) return 0;
    if (nowMs - this.windowStart >= 1000) {
      this.windowStart = nowMs;
      this.count = 0;
    }
    if (this.count >= limitPerSecond) return Math.max(1, this.windowStart + 1000 - nowMs);
    this.count += 1;
    return 0;
  }
}
