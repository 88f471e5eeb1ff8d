/**
 * verify's library API, shared by `npm run verify` (verify/cli.ts) and `npm run local`. Loads no
 * Pulumi module: start-up time is what a user feels (DESIGN.md, "Notes that save time").
 */
export { runChecks, exitCodeFor, type VerifyHooks } from "./run";
export { renderText, renderJson, renderStepSummary, formatDuration } from "./render";
export { runVerifyCli, type VerifyCliIo } from "./cli";
export { SecretMasker, MASK } from "./mask";
export { parseStackOutputs, validateOutputs } from "./outputs";
export { ConfigError, classifyError, type ClassifiedError, type ErrorKind } from "./errors";
export { backoffDelay, retryUntilDeadline, BACKOFF } from "./retry";
export { createAlibabaApi, type AlibabaApi, type AccessKey } from "./clients";
export {
  CHECK_NAMES,
  type CheckName,
  type CheckResult,
  type Verdict,
  type VerifyOptions,
  type VerifyReport,
  type VerifyTarget,
  type Endpoints,
  type Clock,
  type TemporaryCredentials,
  type AssumedIdentity,
} from "./types";
