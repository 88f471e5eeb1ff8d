import type { AccessKey } from "../clients";
import { retryUntilDeadline } from "../retry";
import type { AssumedIdentity, CheckResult } from "../types";
import { describeTransient, failed, passed, type CheckContext } from "./context";

export interface CallerIdentityOutcome {
  result: CheckResult;
  identity?: AssumedIdentity;
}

/** GetCallerIdentity with the temporary key: an assumed-role identity of this role and session. */
export async function callerIdentityCheck(
  ctx: CheckContext,
  temporaryKey: AccessKey,
): Promise<CallerIdentityOutcome> {
  const { options, clock } = ctx;
  const { accountId, roleName } = options.outputs;
  const startedAt = clock.now();
  const outcome = await retryUntilDeadline(
    (timeoutMs) => ctx.api.getCallerIdentity(temporaryKey, timeoutMs),
    {
      clock,
      deadline: ctx.deadline,
      ...(options.requestTimeoutMs !== undefined ? { requestTimeoutMs: options.requestTimeoutMs } : {}),
      onRetry: (error, attempt, delayMs) => ctx.onRetry?.("caller-identity", error, attempt, delayMs),
    },
  );
  if (!outcome.ok) {
    const { error } = outcome;
    const message =
      error.kind === "fatal"
        ? `GetCallerIdentity refused the temporary credentials: ${error.code}: ${error.message}`
        : describeTransient("STS", options.endpoints.sts, error, options.timeoutMs);
    return { result: failed("caller-identity", ctx, startedAt, outcome.attempts, message, error) };
  }
  const answer = outcome.value;
  // Documented form for an assumed role (reference/alibaba-api.md §2, GetCallerIdentity).
  const expectedArn = `acs:ram::${accountId}:assumed-role/${roleName}/${options.sessionName}`;
  const problems: string[] = [];
  if (answer.identityType !== "AssumedRoleUser") {
    problems.push(`IdentityType is "${answer.identityType ?? ""}", expected "AssumedRoleUser"`);
  }
  if (answer.accountId !== accountId) {
    problems.push(`AccountId is "${answer.accountId ?? ""}", expected "${accountId}" (the stack's account)`);
  }
  if ((answer.arn ?? "").toLowerCase() !== expectedArn.toLowerCase()) {
    problems.push(`Arn is "${answer.arn ?? ""}", expected "${expectedArn}"`);
  }
  if (problems.length > 0) {
    const withId = answer.requestId ? ` (RequestId: ${answer.requestId})` : "";
    return {
      result: failed(
        "caller-identity",
        ctx,
        startedAt,
        outcome.attempts,
        `the temporary credentials are not this role's session: ${problems.join("; ")}${withId}`,
      ),
    };
  }
  return {
    result: passed("caller-identity", ctx, startedAt, outcome.attempts, `${answer.arn}`, answer.requestId),
    identity: {
      arn: answer.arn ?? expectedArn,
      accountId,
      ...(answer.principalId ? { assumedRoleId: answer.principalId } : {}),
    },
  };
}
