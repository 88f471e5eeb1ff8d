import type { AccessKey } from "../clients";
import type { ClassifiedError } from "../errors";
import { retryUntilDeadline, type RetryOutcome } from "../retry";
import type { CheckResult } from "../types";
import { describeTransient, failed, passed, userPrincipal, type CheckContext } from "./context";

/** A 403 with one of these codes is the refusal this check wants to see. */
function isRefusal(error: ClassifiedError): boolean {
  return error.statusCode === 403 || error.code === "NoPermission" || error.code.startsWith("Forbidden");
}

interface Probe {
  outcome: RetryOutcome<{ requestId?: string }>;
  /** Set when the probe's call was refused, as it should be. */
  refusal?: ClassifiedError;
}

async function probe(
  ctx: CheckContext,
  call: (timeoutMs: number) => Promise<{ requestId?: string }>,
): Promise<Probe> {
  const outcome = await retryUntilDeadline(call, {
    clock: ctx.clock,
    deadline: ctx.deadline,
    ...(ctx.options.requestTimeoutMs !== undefined ? { requestTimeoutMs: ctx.options.requestTimeoutMs } : {}),
    onRetry: (error, attempt, delayMs) => ctx.onRetry?.("least-privilege", error, attempt, delayMs),
  });
  if (!outcome.ok && outcome.stoppedBy === "fatal" && isRefusal(outcome.error)) {
    return { outcome, refusal: outcome.error };
  }
  return { outcome };
}

/**
 * The recipe's separation of duties: the role's session reaches nothing outside VOD (RAM ListUsers
 * is refused), and the user's permanent key reaches nothing but AssumeRole (VOD refuses it).
 */
export async function leastPrivilegeCheck(ctx: CheckContext, temporaryKey: AccessKey): Promise<CheckResult> {
  const { options, clock, api } = ctx;
  const startedAt = clock.now();
  const [session, permanent] = await Promise.all([
    probe(ctx, (timeoutMs) => api.ramListUsers(temporaryKey, timeoutMs)),
    probe(ctx, (timeoutMs) => api.vodGetCategories(ctx.userKey, timeoutMs)),
  ]);
  const attempts = session.outcome.attempts + permanent.outcome.attempts;
  const problems: string[] = [];
  let firstError: ClassifiedError | undefined;
  if (session.outcome.ok) {
    problems.push(
      `the role's temporary credentials may call ram:ListUsers — the role ${options.outputs.roleName} has more than VOD access (AdministratorAccess, AliyunRAMFullAccess or a * policy?); attach only VOD policies to it${requestIdText(session.outcome.value.requestId)}`,
    );
  } else if (!session.refusal) {
    firstError = session.outcome.error;
    problems.push(
      `RAM ListUsers probe inconclusive: ${describeProbeError(ctx, "RAM", options.endpoints.ram, session.outcome.error)}`,
    );
  }
  if (permanent.outcome.ok) {
    problems.push(
      `the permanent key of ${userPrincipal(ctx)} may call VOD directly — detach VOD policies from the user; it should only be able to assume the role${requestIdText(permanent.outcome.value.requestId)}`,
    );
  } else if (!permanent.refusal) {
    firstError ??= permanent.outcome.error;
    problems.push(
      `VOD probe with the permanent key inconclusive: ${describeProbeError(ctx, "VOD", options.endpoints.vod, permanent.outcome.error)}`,
    );
  }
  if (problems.length > 0) {
    return failed("least-privilege", ctx, startedAt, attempts, problems.join("; "), firstError);
  }
  return passed(
    "least-privilege",
    ctx,
    startedAt,
    attempts,
    `RAM refused the temporary credentials (${session.refusal?.code}) and VOD refused the permanent key (${permanent.refusal?.code})`,
    session.refusal?.requestId,
  );
}

function requestIdText(requestId: string | undefined): string {
  return requestId ? ` (RequestId: ${requestId})` : "";
}

function describeProbeError(
  ctx: CheckContext,
  service: string,
  host: string,
  error: ClassifiedError,
): string {
  const text =
    error.kind === "fatal"
      ? `${error.code}: ${error.message}`
      : describeTransient(service, host, error, ctx.options.timeoutMs);
  return text + requestIdText(error.requestId);
}
