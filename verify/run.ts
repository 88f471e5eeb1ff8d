import { assumeRoleCheck } from "./checks/assumeRole";
import { callerIdentityCheck } from "./checks/callerIdentity";
import { skipped, type CheckContext } from "./checks/context";
import { leastPrivilegeCheck } from "./checks/leastPrivilege";
import { vodAccessCheck } from "./checks/vodAccess";
import { createAlibabaApi, type AccessKey, type AlibabaApi } from "./clients";
import { classifyError, type ClassifiedError } from "./errors";
import { SecretMasker } from "./mask";
import { realClock } from "./retry";
import {
  CHECK_NAMES,
  type CheckName,
  type CheckResult,
  type VerifyOptions,
  type VerifyReport,
} from "./types";

export interface VerifyHooks {
  onCheckStart?: (name: CheckName) => void;
  onCheckEnd?: (result: CheckResult) => void;
  /** A healable error, about to be retried after `delayMs`; `error.message` is already masked. */
  onRetry?: (name: CheckName, error: ClassifiedError, attempt: number, delayMs: number) => void;
  /** Replaces the SDK-backed calls (tests of the check logic without a server). */
  api?: AlibabaApi;
}

/**
 * Runs the checks in order: assume-role first (the others need its credentials), then
 * caller-identity, vod-access and least-privilege in parallel. Never throws for a failing check:
 * the report carries the verdicts, and every message in it is masked.
 */
export async function runChecks(options: VerifyOptions, hooks: VerifyHooks = {}): Promise<VerifyReport> {
  const clock = options.clock ?? realClock;
  const startedAt = clock.now();
  const masker = new SecretMasker([options.outputs.accessKeySecret]);
  const ctx: CheckContext = {
    options,
    api: hooks.api ?? createAlibabaApi(options.endpoints),
    clock,
    deadline: startedAt + options.timeoutMs,
    masker,
    userKey: { accessKeyId: options.outputs.accessKeyId, accessKeySecret: options.outputs.accessKeySecret },
    onRetry: (name, error, attempt, delayMs) =>
      hooks.onRetry?.(name, { ...error, message: masker.mask(error.message) }, attempt, delayMs),
  };
  const results = new Map<CheckName, CheckResult>();
  const record = (result: CheckResult): CheckResult => {
    results.set(result.name, result);
    hooks.onCheckEnd?.(result);
    return result;
  };
  /** Runs one check; an unexpected exception becomes a failing verdict, masked. */
  const guarded = async <T>(name: CheckName, run: () => Promise<T>, toResult: (value: T) => CheckResult) => {
    if (options.skip.includes(name)) return record(skipped(name, "skipped with --skip"));
    hooks.onCheckStart?.(name);
    const checkStart = clock.now();
    try {
      return record(toResult(await run()));
    } catch (err) {
      const error = classifyError(err);
      return record({
        name,
        verdict: "fail",
        durationMs: clock.now() - checkStart,
        attempts: 1,
        message: masker.mask(`unexpected error: ${error.code}: ${error.message}`),
        code: error.code,
      });
    }
  };

  let temporaryKey: AccessKey | undefined;
  let credentials: VerifyReport["temporaryCredentials"];
  let assumedRoleArn: string | undefined;
  let identity: VerifyReport["identity"];
  await guarded(
    "assume-role",
    () => assumeRoleCheck(ctx),
    (outcome) => {
      credentials = outcome.credentials;
      assumedRoleArn = outcome.assumedRoleArn;
      if (credentials) {
        temporaryKey = { ...credentials };
        identity = {
          arn: assumedRoleArn ?? "",
          accountId: options.outputs.accountId,
          ...(outcome.assumedRoleId ? { assumedRoleId: outcome.assumedRoleId } : {}),
        };
      }
      return outcome.result;
    },
  );

  const dependents: CheckName[] = ["caller-identity", "vod-access", "least-privilege"];
  if (!temporaryKey) {
    const why = options.skip.includes("assume-role") ? "was skipped" : "failed";
    for (const name of dependents) {
      record(
        skipped(
          name,
          options.skip.includes(name)
            ? "skipped with --skip"
            : `needs the temporary credentials from assume-role, which ${why}`,
        ),
      );
    }
  } else {
    const key = temporaryKey;
    await Promise.all([
      guarded(
        "caller-identity",
        () => callerIdentityCheck(ctx, key),
        (outcome) => {
          if (outcome.identity) identity = outcome.identity;
          return outcome.result;
        },
      ),
      guarded(
        "vod-access",
        () => vodAccessCheck(ctx, key),
        (result) => result,
      ),
      guarded(
        "least-privilege",
        () => leastPrivilegeCheck(ctx, key),
        (result) => result,
      ),
    ]);
  }

  const checks = CHECK_NAMES.map((name) => results.get(name)!);
  const report = {
    ok: checks.every((check) => check.verdict !== "fail"),
    roleArn: options.outputs.roleArn,
    accountId: options.outputs.accountId,
    region: options.outputs.region,
    sessionName: options.sessionName,
    checks,
    ...(identity ? { identity } : {}),
    ...(credentials
      ? { expiration: credentials.expiration, temporaryAccessKeyId: credentials.accessKeyId }
      : {}),
    startedAt: new Date(startedAt).toISOString(),
    durationMs: clock.now() - startedAt,
  } as VerifyReport;
  // Not enumerable: JSON.stringify, spreading and object dumps in test failures never show them.
  Object.defineProperty(report, "temporaryCredentials", { value: credentials, enumerable: false });
  Object.defineProperty(report, "secrets", { value: masker.secrets, enumerable: false });
  return report;
}

/** 0 when no check failed (skips allowed), 1 otherwise; 2 is for usage errors, decided by the CLI. */
export function exitCodeFor(report: VerifyReport): 0 | 1 {
  return report.ok ? 0 : 1;
}
