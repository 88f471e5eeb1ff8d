import type { AccessKey } from "../clients";
import { retryUntilDeadline } from "../retry";
import type { CheckResult } from "../types";
import { describeTransient, failed, passed, skipped, type CheckContext } from "./context";

/** A new role attachment may take seconds to apply, so a denial is retried until the deadline. */
export const VOD_PROPAGATION_CODES: ReadonlySet<string> = new Set(["Forbidden.RAM", "NoPermission"]);

/** VOD GetCategories with the temporary key: the role really reaches VOD. */
export async function vodAccessCheck(ctx: CheckContext, temporaryKey: AccessKey): Promise<CheckResult> {
  const { options, clock } = ctx;
  const { rolePolicyScope, roleName } = options.outputs;
  if (rolePolicyScope !== "account") {
    // Resource-group grants apply only to resources in the group; GetCategories is account-level
    // (reference/alibaba-api.md §5), so a denial here would prove nothing.
    return skipped(
      "vod-access",
      `the role's permissions are scoped to resource group ${rolePolicyScope}; GetCategories is an account-level action, so this probe cannot prove them`,
    );
  }
  const startedAt = clock.now();
  const outcome = await retryUntilDeadline((timeoutMs) => ctx.api.vodGetCategories(temporaryKey, timeoutMs), {
    clock,
    deadline: ctx.deadline,
    propagationCodes: VOD_PROPAGATION_CODES,
    ...(options.requestTimeoutMs !== undefined ? { requestTimeoutMs: options.requestTimeoutMs } : {}),
    onRetry: (error, attempt, delayMs) => ctx.onRetry?.("vod-access", error, attempt, delayMs),
  });
  if (outcome.ok) {
    return passed(
      "vod-access",
      ctx,
      startedAt,
      outcome.attempts,
      `VOD GetCategories accepted the temporary credentials`,
      outcome.value.requestId,
    );
  }
  const { error } = outcome;
  let message: string;
  if (error.kind === "propagation") {
    const sessionPolicy = options.policy
      ? "; or the --policy session policy does not allow vod:GetCategories"
      : "";
    message = `the role ${roleName} may not call vod:GetCategories (${error.code}) after ${Math.round(options.timeoutMs / 1000)} s — attach AliyunVODFullAccess (or AliyunVODReadOnlyAccess) to the role${sessionPolicy}`;
  } else if (error.kind === "fatal") {
    message = `VOD GetCategories failed with the temporary credentials: ${error.code}: ${error.message}`;
  } else {
    message = describeTransient("VOD", options.endpoints.vod, error, options.timeoutMs);
  }
  return failed("vod-access", ctx, startedAt, outcome.attempts, message, error);
}
