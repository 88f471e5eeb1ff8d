import type { AssumeRoleAnswer } from "../clients";
import type { ClassifiedError } from "../errors";
import { retryUntilDeadline } from "../retry";
import type { CheckResult, TemporaryCredentials } from "../types";
import { describeTransient, failed, passed, seconds, userPrincipal, type CheckContext } from "./context";

/**
 * Codes that, right after `pulumi up`, mean "not propagated yet": the new key is unknown, the new
 * attachment or trust is not effective, the new role is not visible (reference/alibaba-api.md §3, §4).
 */
export const ASSUME_ROLE_PROPAGATION_CODES: ReadonlySet<string> = new Set([
  "InvalidAccessKeyId.NotFound",
  "NoPermission",
  "EntityNotExist.Role",
]);

/** Server and client clocks differ; an expiry this much beyond the asked duration is still fine. */
export const EXPIRY_SLACK_MS = 120_000;

export interface AssumeRoleOutcome {
  result: CheckResult;
  credentials?: TemporaryCredentials;
  assumedRoleArn?: string;
  assumedRoleId?: string;
}

export async function assumeRoleCheck(ctx: CheckContext): Promise<AssumeRoleOutcome> {
  const { options, api, clock } = ctx;
  const startedAt = clock.now();
  const outcome = await retryUntilDeadline(
    (timeoutMs) =>
      api.assumeRole(
        ctx.userKey,
        {
          roleArn: options.outputs.roleArn,
          sessionName: options.sessionName,
          durationSeconds: options.durationSeconds,
          ...(options.policy !== undefined ? { policy: options.policy } : {}),
          ...(options.externalId !== undefined ? { externalId: options.externalId } : {}),
        },
        timeoutMs,
      ),
    {
      clock,
      deadline: ctx.deadline,
      propagationCodes: ASSUME_ROLE_PROPAGATION_CODES,
      ...(options.requestTimeoutMs !== undefined ? { requestTimeoutMs: options.requestTimeoutMs } : {}),
      onRetry: (error, attempt, delayMs) => ctx.onRetry?.("assume-role", error, attempt, delayMs),
    },
  );
  if (!outcome.ok) {
    const message = await explainAssumeRoleFailure(ctx, outcome.error);
    return { result: failed("assume-role", ctx, startedAt, outcome.attempts, message, outcome.error) };
  }
  const answer = outcome.value;
  ctx.masker.add(answer.accessKeySecret);
  ctx.masker.add(answer.securityToken);
  const problem = validateAnswer(ctx, answer);
  if (problem) {
    const withId = answer.requestId ? `${problem} (RequestId: ${answer.requestId})` : problem;
    return { result: failed("assume-role", ctx, startedAt, outcome.attempts, withId) };
  }
  const credentials: TemporaryCredentials = {
    accessKeyId: answer.accessKeyId!,
    accessKeySecret: answer.accessKeySecret!,
    securityToken: answer.securityToken!,
    expiration: answer.expiration!,
  };
  const tries = outcome.attempts === 1 ? "1 attempt" : `${outcome.attempts} attempts`;
  return {
    result: passed(
      "assume-role",
      ctx,
      startedAt,
      outcome.attempts,
      `${credentials.accessKeyId} for ${answer.assumedRoleArn}, expires ${credentials.expiration} (${tries})`,
      answer.requestId,
    ),
    credentials,
    assumedRoleArn: answer.assumedRoleArn,
    ...(answer.assumedRoleId ? { assumedRoleId: answer.assumedRoleId } : {}),
  };
}

/** The answer must be what the recipe promises: an STS key for this role that expires soon. */
export function validateAnswer(ctx: CheckContext, answer: AssumeRoleAnswer): string | undefined {
  const { outputs, sessionName, durationSeconds } = ctx.options;
  if (!answer.accessKeyId?.startsWith("STS.")) {
    return `AssumeRole answered AccessKeyId "${answer.accessKeyId ?? ""}", which is not a temporary (STS.) key`;
  }
  if (!answer.accessKeySecret || !answer.securityToken) {
    return "AssumeRole answered without an AccessKeySecret or SecurityToken";
  }
  const expiry = Date.parse(answer.expiration ?? "");
  const now = ctx.clock.now();
  if (Number.isNaN(expiry)) {
    return `AssumeRole answered Expiration "${answer.expiration ?? ""}", which is not a date`;
  }
  if (expiry <= now) {
    return `the temporary credentials expired already (Expiration ${answer.expiration}); check this machine's clock`;
  }
  if (expiry > now + durationSeconds * 1000 + EXPIRY_SLACK_MS) {
    return `the temporary credentials expire at ${answer.expiration}, later than the ${durationSeconds} s asked for`;
  }
  // The ARN's role part is matched case-insensitively: which case the service echoes is not
  // documented (reference/alibaba-api.md §2).
  const expected = `${outputs.roleArn}/${sessionName}`;
  if ((answer.assumedRoleArn ?? "").toLowerCase() !== expected.toLowerCase()) {
    return `AssumeRole answered AssumedRoleUser.Arn "${answer.assumedRoleArn ?? ""}", expected "${expected}"`;
  }
  return undefined;
}

async function explainAssumeRoleFailure(ctx: CheckContext, error: ClassifiedError): Promise<string> {
  const { outputs } = ctx.options;
  const key = ctx.userKey.accessKeyId;
  const waited = seconds(ctx.options.timeoutMs);
  switch (error.code) {
    case "InvalidAccessKeyId.NotFound":
      return `the key ${key} was not found after ${waited} — was it deleted, or is this the deployer's key? Re-read the outputs (pulumi stack output --json --show-secrets) or run pulumi up`;
    case "InvalidAccessKeyId.Inactive":
      return `the key ${key} is disabled — enable it (RAM console, or UpdateAccessKey Status=Active) or replace it with pulumi up`;
    case "SignatureDoesNotMatch":
    case "IncompleteSignature":
      return `the AccessKey secret does not match key ${key} — the accessKeySecret output is wrong or stale; re-read it with pulumi stack output --json --show-secrets`;
    case "EntityNotExist.Role":
      return `the role ${outputs.roleArn} does not exist after ${waited} — was it deleted, or are these outputs from another stack or account?`;
    case "NoPermission":
      return explainNoPermission(ctx, error);
    case "InvalidParameter.DurationSeconds":
      return `--duration ${ctx.options.durationSeconds} is outside 900 s … the role's MaxSessionDuration — lower --duration or raise the role's maxSessionDuration`;
    case "InvalidParameter.PolicyGrammar":
    case "InvalidParameter.PolicySize":
      return `the --policy session policy was refused (${error.code}): ${error.message}`;
  }
  if (error.kind !== "fatal")
    return describeTransient("STS", ctx.options.endpoints.sts, error, ctx.options.timeoutMs);
  return `AssumeRole failed: ${error.code}: ${error.message}`;
}

/**
 * NoPermission has two causes the service reports alike: the user lacks `sts:AssumeRole` on the
 * role, or the role's trust policy does not name the user. `AccessDeniedDetail.PolicyType` tells
 * them apart when present; otherwise GetCallerIdentity (which needs no permission) shows whose key
 * this is, which catches the deployer's key being used by mistake.
 */
async function explainNoPermission(ctx: CheckContext, error: ClassifiedError): Promise<string> {
  const { outputs } = ctx.options;
  const principal = userPrincipal(ctx);
  const notTrusted = `the role's trust policy does not name ${principal} — add it to the Principal of ${outputs.roleArn}'s trust policy (the trust mode in Pulumi config)`;
  const noAssume = `${principal} may not call sts:AssumeRole on ${outputs.roleArn} — attach AliyunSTSAssumeRoleAccess (or a policy allowing sts:AssumeRole on this role) to the user`;
  const policyType = error.deniedPolicyType?.toLowerCase() ?? "";
  if (policyType.includes("assumerole") || policyType.includes("trust")) return notTrusted;
  if (
    policyType.includes("identity") ||
    policyType.includes("account") ||
    policyType.includes("resourcegroup")
  ) {
    return noAssume;
  }
  try {
    const identity = await ctx.api.getCallerIdentity(ctx.userKey, 3000);
    if (outputs.userName && identity.arn && identity.arn.toLowerCase() !== principal.toLowerCase()) {
      return `the key ${ctx.userKey.accessKeyId} belongs to ${identity.arn}, not to ${principal} — is this the deployer's key? Use the stack's accessKeyId/accessKeySecret outputs`;
    }
  } catch {
    // Best effort: without the identity the message lists both causes.
  }
  // A trust statement may also carry conditions the service does not name in its refusal.
  const conditions = ctx.options.externalId
    ? "; or a condition of the trust policy does not hold: its sts:ExternalId does not match --external-id, or its acs:SourceIp (allowedSourceIps) excludes this machine's address"
    : "; or a condition of the trust policy does not hold: it requires an ExternalId (pass --external-id), or its acs:SourceIp (allowedSourceIps) excludes this machine's address";
  return `AssumeRole was refused (NoPermission) for ${seconds(ctx.options.timeoutMs)}: either ${noAssume}; or ${notTrusted}${conditions}`;
}
