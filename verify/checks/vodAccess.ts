import type { AccessKey, VodProbeAction } from "../clients";
import { classifyError } from "../errors";
import { retryUntilDeadline } from "../retry";
import type { CheckResult } from "../types";
import { describeTransient, failed, passed, skipped, type CheckContext } from "./context";

/** A new role attachment may take seconds to apply, so a denial is retried until the deadline. */
export const VOD_PROPAGATION_CODES: ReadonlySet<string> = new Set(["Forbidden.RAM", "NoPermission"]);

/**
 * What each preset can be proven with, without side effects: GetCategories (full, readonly), then
 * the upload and play probes (see AlibabaApi.vodProbe) for roles granted only those.
 */
const FALLBACK_PROBES: readonly VodProbeAction[] = ["RefreshUploadVideo", "GetPlayInfo"];

const isDenial = (error: unknown): boolean => VOD_PROPAGATION_CODES.has(classifyError(error).code ?? "");

/** One attempt: the first probe VOD allows, or GetCategories' own error when every probe is denied. */
async function probeVod(ctx: CheckContext, key: AccessKey, timeoutMs: number) {
  try {
    return { action: "GetCategories", ...(await ctx.api.vodGetCategories(key, timeoutMs)) };
  } catch (categoriesError) {
    if (!isDenial(categoriesError)) throw categoriesError;
    for (const action of FALLBACK_PROBES) {
      try {
        return { action, ...(await ctx.api.vodProbe(key, action, timeoutMs)) };
      } catch (probeError) {
        if (!isDenial(probeError)) throw probeError;
      }
    }
    throw categoriesError;
  }
}

/** VOD with the temporary key: the role really reaches VOD. */
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
  const outcome = await retryUntilDeadline((timeoutMs) => probeVod(ctx, temporaryKey, timeoutMs), {
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
      outcome.value.action === "GetCategories"
        ? `VOD GetCategories accepted the temporary credentials`
        : `VOD allowed vod:${outcome.value.action} with the temporary credentials (GetCategories was refused: an upload/play-only role)`,
      outcome.value.requestId,
    );
  }
  const { error } = outcome;
  let message: string;
  if (error.kind === "propagation") {
    const sessionPolicy = options.policy
      ? "; or the --policy session policy does not allow vod:GetCategories"
      : "";
    message = `the role ${roleName} may not call vod:GetCategories, vod:RefreshUploadVideo or vod:GetPlayInfo (${error.code}) after ${Math.round(options.timeoutMs / 1000)} s — attach AliyunVODFullAccess (or a VOD preset: readonly, upload, play) to the role${sessionPolicy}`;
  } else if (error.kind === "fatal") {
    message = `VOD GetCategories failed with the temporary credentials: ${error.code}: ${error.message}`;
  } else {
    message = describeTransient("VOD", options.endpoints.vod, error, options.timeoutMs);
  }
  return failed("vod-access", ctx, startedAt, outcome.attempts, message, error);
}
