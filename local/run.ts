/**
 * `npm run local`: the whole flow offline. Starts the emulator in-process, applies the real
 * infra/ program to it under Pulumi's mock runtime (EmulatorProvider), then runs verify against it
 * through verify's own CLI entry — the same code path as `npm run verify`.
 */
import { Readable } from "node:stream";
import { parseArgs } from "node:util";
import { startEmulator, type Emulator } from "../emulator";
import { runVerifyCli } from "../verify/cli";
import { deployToEmulator } from "./deploy";
import type { CreatedResource } from "./provider";
import { loadStackConfig, StackConfigError } from "./stackConfig";

export const LOCAL_HELP = `Usage: npm run local -- [options]

Deploys the infra/ program into a local Alibaba Cloud emulator and verifies it.

  --stack NAME              stack config to use: Pulumi.NAME.yaml (default dev)
  --config KEY=VALUE        override a setting (repeatable); lists as JSON or comma-separated
  --propagation-delay MS    delay before new keys, roles and grants take effect (default 0)
  --timeout SECONDS         verify's deadline for propagation (default: the delay + 5 s)
  --account-id ID           the emulator's 16-digit account ID (default: random)
  --serve                   keep the emulator running after verify; print how to reach it
  --port N                  emulator port with --serve (default: a free port)
  --json                    print verify's JSON report on stdout (progress goes to stderr)
  --show-secrets            print secrets (the AccessKey secret, the temporary credentials)
  --verbose                 stack traces on errors
  -h, --help                show this help

Exit code: verify's (0 passed, 1 a check failed), 2 for bad usage or configuration.`;

export interface LocalIo {
  env: NodeJS.ProcessEnv;
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  /** Resolves when the user asks a --serve run to stop (SIGINT/SIGTERM in the CLI). */
  stopSignal?: Promise<void>;
  /** A terminal: numbered steps and colours (never with NO_COLOR); plain lines otherwise (CI). */
  tty?: boolean;
  /** Gets the running emulator once it serves (tests use it to inspect state). */
  onEmulator?: (emulator: Emulator) => void;
}

interface LocalFlags {
  stack: string;
  config: string[];
  propagationDelayMs: number;
  timeoutSeconds: number;
  accountId: string | undefined;
  serve: boolean;
  port: number;
  json: boolean;
  showSecrets: boolean;
  verbose: boolean;
  help: boolean;
}

class UsageError extends Error {}

function parseLocalFlags(argv: string[]): LocalFlags {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        stack: { type: "string", default: "dev" },
        config: { type: "string", multiple: true, default: [] },
        "propagation-delay": { type: "string", default: "0" },
        timeout: { type: "string" },
        "account-id": { type: "string" },
        serve: { type: "boolean", default: false },
        port: { type: "string", default: "0" },
        json: { type: "boolean", default: false },
        "show-secrets": { type: "boolean", default: false },
        verbose: { type: "boolean", default: false },
        help: { type: "boolean", short: "h", default: false },
      },
    }));
  } catch (error) {
    throw new UsageError(`${(error as Error).message}; see npm run local -- --help`);
  }
  const integer = (flag: string, text: string, max: number): number => {
    if (!/^\d+$/.test(text) || Number(text) > max) {
      throw new UsageError(
        `--${flag} ${JSON.stringify(text)} is not allowed: use a whole number from 0 to ${max}`,
      );
    }
    return Number(text);
  };
  const propagationDelayMs = integer("propagation-delay", values["propagation-delay"], 600_000);
  if (values["account-id"] !== undefined && !/^[1-9]\d{15}$/.test(values["account-id"])) {
    throw new UsageError(
      `--account-id ${JSON.stringify(values["account-id"])} is not allowed: use 16 digits`,
    );
  }
  return {
    stack: values.stack,
    config: values.config,
    propagationDelayMs,
    // Nothing in the emulator heals after the configured delay: a refusal past it is final.
    timeoutSeconds:
      values.timeout === undefined
        ? Math.ceil(propagationDelayMs / 1000) + 5
        : Math.max(1, integer("timeout", values.timeout, 3600)),
    accountId: values["account-id"],
    serve: values.serve,
    port: integer("port", values.port, 65535),
    json: values.json,
    showSecrets: values["show-secrets"],
    verbose: values.verbose,
    help: values.help,
  };
}

/** A short table of what the program created. */
export function renderResourceTable(created: readonly CreatedResource[]): string {
  const rows = created
    .filter((r) => r.type.startsWith("alicloud:"))
    .map((r) => [r.type.replace(/^alicloud:([^/]+)\/[^:]+:(\w+)$/, "$1.$2"), r.name, r.id]);
  const header = ["resource", "name", "id"];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]))
      .join("  ")
      .trimEnd();
  return [line(header), ...rows.map(line)].join("\n") + "\n";
}

/** Outputs the program marked secret show as `[secret]`, as `pulumi stack output` prints them. */
function renderServeInfo(
  emulator: Emulator,
  outputs: Record<string, unknown>,
  secretOutputs: ReadonlySet<string>,
  showSecrets: boolean,
): string {
  const shown = Object.entries(outputs).map(
    ([k, v]) => `  ${k}: ${secretOutputs.has(k) && !showSecrets ? "[secret]" : String(v)}`,
  );
  return [
    "",
    `Emulator serving at http://${emulator.endpoint} (account ${emulator.accountId}). Stack outputs:`,
    ...shown,
    "",
    'Point the official SDKs at it with config { endpoint: "' + emulator.endpoint + '", protocol: "http" },',
    `or run: npm run verify -- --endpoint ${emulator.endpoint} --protocol http --role-arn <roleArn> (with the key in ALIBABA_CLOUD_ACCESS_KEY_ID/_SECRET).`,
    "Press Ctrl+C to stop.",
    "",
  ].join("\n");
}

/** The testable entry of `npm run local`; returns the exit code. */
export async function runLocal(argv: string[], io: LocalIo): Promise<number> {
  let flags: LocalFlags;
  try {
    flags = parseLocalFlags(argv);
  } catch (error) {
    io.stderr(`error: ${(error as Error).message}\n`);
    return 2;
  }
  if (flags.help) {
    io.stdout(`${LOCAL_HELP}\n`);
    return 0;
  }
  // With --json, stdout carries only verify's JSON document.
  const progress = flags.json ? io.stderr : io.stdout;
  const tty = io.tty === true;
  const step = (n: number, text: string) =>
    progress(tty ? `\u001b[1m[${n}/3]\u001b[0m ${text}\n` : `${text}\n`);

  let stackConfig;
  try {
    stackConfig = loadStackConfig(flags.stack, flags.config);
  } catch (error) {
    if (error instanceof StackConfigError) {
      io.stderr(`error: ${error.message}\n`);
      return 2;
    }
    throw error;
  }

  const emulator = await startEmulator({
    port: flags.serve ? flags.port : 0,
    region: stackConfig.values["alicloud:region"],
    ...(flags.accountId ? { accountId: flags.accountId } : {}),
    faults: { propagationDelayMs: flags.propagationDelayMs },
  });
  try {
    io.onEmulator?.(emulator);
    step(1, `emulator: http://${emulator.endpoint} (account ${emulator.accountId})`);
    step(2, `deploying stack ${flags.stack} into the emulator…`);
    let outputs: Record<string, unknown>;
    let secretOutputs: ReadonlySet<string>;
    let resources: readonly CreatedResource[];
    try {
      ({ outputs, secretOutputs, resources } = await deployToEmulator(emulator, flags.stack, stackConfig));
    } catch (error) {
      const failure = error as Error;
      io.stderr(
        `error: ${failure.name === "SettingsError" ? "" : "the program failed: "}${failure.message}\n`,
      );
      if (flags.verbose && failure.stack) io.stderr(`${failure.stack}\n`);
      return 2;
    }
    progress(renderResourceTable(resources));
    step(3, "verifying…");

    const verifyArgs = ["--outputs", "-", "--endpoint", emulator.endpoint, "--protocol", "http"];
    verifyArgs.push("--timeout", String(flags.timeoutSeconds));
    if (flags.json) verifyArgs.push("--json");
    if (flags.showSecrets) verifyArgs.push("--show-secrets");
    if (flags.verbose) verifyArgs.push("--verbose");
    // The trust policy may require an ExternalId: pass the one the stack configures.
    const externalId = stackConfig.values[`${stackConfig.project}:externalId`];
    if (externalId) verifyArgs.push("--external-id", externalId);
    const code = await runVerifyCli(verifyArgs, {
      // The deployer's env credentials never reach verify; the outputs carry the user's key.
      env: { ...io.env, ALIBABA_CLOUD_ACCESS_KEY_ID: undefined, ALIBABA_CLOUD_ACCESS_KEY_SECRET: undefined },
      stdout: io.stdout,
      stderr: io.stderr,
      stdin: Readable.from([JSON.stringify(outputs)]),
      color: tty,
    });

    if (flags.serve) {
      progress(renderServeInfo(emulator, outputs, secretOutputs, flags.showSecrets));
      await (io.stopSignal ?? new Promise<void>(() => {}));
      progress("stopping the emulator\n");
    }
    return code;
  } finally {
    await emulator.close();
  }
}

if (require.main === module) {
  const stop = new Promise<void>((resolve) => {
    process.once("SIGINT", () => resolve());
    process.once("SIGTERM", () => resolve());
  });
  runLocal(process.argv.slice(2), {
    env: process.env,
    stdout: (s) => process.stdout.write(s),
    stderr: (s) => process.stderr.write(s),
    stopSignal: stop,
    tty: process.stdout.isTTY === true && !process.env.NO_COLOR,
  }).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`error: ${(error as Error).message}\n`);
      process.exitCode = 1;
    },
  );
}
