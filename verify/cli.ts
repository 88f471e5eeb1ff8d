import {
  defaultSessionName,
  helpText,
  loadSessionPolicy,
  parseFlags,
  resolveEndpoints,
  type CliFlags,
} from "./args";
import { ConfigError } from "./errors";
import { SecretMasker } from "./mask";
import { DECRYPTED_SECRET_ENV, readOutputsFile, readStackOutputs, targetFromEnv } from "./outputs";
import { renderJson, renderStepSummary, renderText } from "./render";
import { exitCodeFor, runChecks } from "./run";
import type { VerifyOptions, VerifyTarget } from "./types";

export interface VerifyCliIo {
  env: NodeJS.ProcessEnv;
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  stdin?: NodeJS.ReadableStream;
  /** Colours in text output; the caller decides (a TTY, and no NO_COLOR). Default off. */
  color?: boolean;
}

/** Precedence (DESIGN.md, "verify"): --outputs, then --stack, then the env key with --role-arn. */
async function loadTarget(flags: CliFlags, io: VerifyCliIo): Promise<VerifyTarget> {
  if (flags.outputs !== undefined)
    return readOutputsFile(flags.outputs, io.stdin, io.env[DECRYPTED_SECRET_ENV]);
  if (flags.stack !== undefined) return readStackOutputs(flags.stack, io.env);
  return targetFromEnv(io.env, flags.roleArn, flags.region ?? io.env.ALIBABA_CLOUD_REGION);
}

async function buildOptions(flags: CliFlags, io: VerifyCliIo, masker: SecretMasker): Promise<VerifyOptions> {
  const outputs = await loadTarget(flags, io);
  masker.add(outputs.accessKeySecret);
  const region = flags.region ?? outputs.region;
  return {
    outputs: { ...outputs, region },
    endpoints: resolveEndpoints(flags, region),
    sessionName: flags.sessionName ?? defaultSessionName(new Date()),
    durationSeconds: flags.durationSeconds,
    ...(flags.policy !== undefined ? { policy: await loadSessionPolicy(flags.policy) } : {}),
    ...(flags.externalId !== undefined ? { externalId: flags.externalId } : {}),
    timeoutMs: flags.timeoutMs,
    skip: flags.skip,
  };
}

/**
 * The testable entry of `npm run verify`: flags and env in, report out, exit code back
 * (0 all passed, 1 a check failed, 2 bad usage or configuration). Everything written passes
 * through the masker, except the export lines `--show-secrets` asks for.
 */
export async function runVerifyCli(argv: string[], io: VerifyCliIo): Promise<number> {
  const masker = new SecretMasker([
    io.env.ALIBABA_CLOUD_ACCESS_KEY_SECRET,
    io.env.ALIBABA_CLOUD_SECURITY_TOKEN,
    io.env[DECRYPTED_SECRET_ENV],
  ]);
  const out = (s: string) => io.stdout(masker.mask(s));
  const err = (s: string) => io.stderr(masker.mask(s));
  let verbose = argv.includes("--verbose");
  try {
    const flags = parseFlags(argv);
    verbose = flags.verbose;
    if (flags.help) {
      out(helpText());
      return 0;
    }
    const options = await buildOptions(flags, io, masker);
    const report = await runChecks(options, {
      ...(flags.verbose
        ? {
            onCheckStart: (name) => err(`… ${name}\n`),
            onRetry: (name, error, attempt, delayMs) =>
              err(
                `… ${name}: attempt ${attempt} got ${error.code}${error.requestId ? ` (RequestId: ${error.requestId})` : ""}; retrying in ${delayMs} ms\n`,
              ),
          }
        : {}),
    });
    for (const secret of report.secrets) masker.add(secret);
    if (flags.json) out(renderJson(report));
    else {
      const text = renderText(report, {
        showSecrets: flags.showSecrets,
        color: io.color === true && !io.env.NO_COLOR,
      });
      // The one place a secret may be printed: the user asked for the export lines.
      if (flags.showSecrets) io.stdout(text);
      else out(text);
    }
    const summaryPath = io.env.GITHUB_STEP_SUMMARY;
    if (summaryPath) {
      const { appendFile } = await import("node:fs/promises");
      try {
        await appendFile(summaryPath, masker.mask(renderStepSummary(report)));
      } catch (e) {
        err(`verify: could not append the step summary to ${summaryPath}: ${(e as Error).message}\n`);
      }
    }
    return exitCodeFor(report);
  } catch (e) {
    if (e instanceof ConfigError) {
      err(`verify: ${e.message}\n(run with --help for usage)\n`);
      return 2;
    }
    const error = e instanceof Error ? e : new Error(String(e));
    err(`verify: unexpected error: ${error.message}\n`);
    if (verbose && error.stack) err(`${error.stack}\n`);
    return 1;
  }
}

if (require.main === module) {
  void runVerifyCli(process.argv.slice(2), {
    env: process.env,
    stdout: (s) => process.stdout.write(s),
    stderr: (s) => process.stderr.write(s),
    stdin: process.stdin,
    color: process.stdout.isTTY === true,
  }).then((code) => {
    process.exitCode = code;
  });
}
