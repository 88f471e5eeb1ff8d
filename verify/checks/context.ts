import type { AccessKey, AlibabaApi } from "../clients";
import { requestIdSuffix, type ClassifiedError } from "../errors";
import type { SecretMasker } from "../mask";
import type { RetryOutcome } from "../retry";
import type { CheckName, CheckResult, Clock, VerifyOptions } from "../types";

export interface CheckContext {
  options: VerifyOptions;
  api: AlibabaApi;
  clock: Clock;
  /** Epoch ms: no retry starts after it. */
  deadline: number;
  masker: SecretMasker;
  /** The `vod` user's permanent key. */
  userKey: AccessKey;
  onRetry?: (check: CheckName, error: ClassifiedError, attempt: number, delayMs: number) => void;
}

export type FailedOutcome = Extract<RetryOutcome<unknown>, { ok: false }>;

/** `acs:ram::<uid>:user/<name>`, or a description when the user name is not known (env input). */
export function userPrincipal(ctx: CheckContext): string {
  const { accountId, userName } = ctx.options.outputs;
  return userName
    ? `acs:ram::${accountId}:user/${userName}`
    : `the RAM user of key ${ctx.userKey.accessKeyId}`;
}

export function seconds(ms: number): string {
  return `${Math.round(ms / 100) / 10} s`;
}

/**
 * The message for an error that could have healed but did not before the deadline, or that is
 * not specific to one check: names the service and host, the cause and what to do.
 */
export function describeTransient(
  service: string,
  host: string,
  error: ClassifiedError,
  timeoutMs: number,
): string {
  const within = `until the ${seconds(timeoutMs)} deadline`;
  switch (error.kind) {
    case "throttling":
      return service === "STS"
        ? `${service} kept throttling the calls (${error.code}) ${within} — AssumeRole is limited per account (100 requests/s shared by its users and roles); retry later or raise --timeout`
        : `${service} kept throttling the calls (${error.code}) ${within} — retry later or raise --timeout`;
    case "server":
      return `${service} at ${host} kept answering HTTP ${error.statusCode ?? "5xx"} (${error.code}) ${within} — a service-side fault; retry later`;
    case "timeout":
      return `${service} at ${host} did not answer in time ${within} — check the endpoint (--endpoint/--${service.toLowerCase()}-endpoint) and the network`;
    case "network":
      return `cannot connect to ${service} at ${host} (${error.code}) ${within} — check the endpoint (--endpoint/--${service.toLowerCase()}-endpoint, --protocol) and the network`;
    case "bad-response":
      return `${service} at ${host} answered with a body that is not JSON ${within} — a proxy or gateway error page? check the endpoint`;
    default:
      return `${service} call failed: ${error.code}: ${error.message}`;
  }
}

export function failed(
  name: CheckName,
  ctx: CheckContext,
  startedAt: number,
  attempts: number,
  message: string,
  error?: ClassifiedError,
): CheckResult {
  return {
    name,
    verdict: "fail",
    durationMs: ctx.clock.now() - startedAt,
    attempts,
    // The RequestId is what Alibaba support asks for; add it unless the message quotes it already.
    message: ctx.masker.mask(
      error?.requestId && message.includes(error.requestId)
        ? message
        : message + requestIdSuffix(error?.requestId),
    ),
    ...(error ? { code: error.code } : {}),
    ...(error?.requestId ? { requestId: error.requestId } : {}),
  };
}

export function passed(
  name: CheckName,
  ctx: CheckContext,
  startedAt: number,
  attempts: number,
  message: string,
  requestId?: string,
): CheckResult {
  return {
    name,
    verdict: "pass",
    durationMs: ctx.clock.now() - startedAt,
    attempts,
    message: ctx.masker.mask(message),
    ...(requestId ? { requestId } : {}),
  };
}

export function skipped(name: CheckName, reason: string): CheckResult {
  return { name, verdict: "skip", durationMs: 0, attempts: 0, message: reason };
}
