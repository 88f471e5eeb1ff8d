/** Runs `npm run local` in-process, capturing its output and the emulator it served. */
import { Readable } from "node:stream";
import { vi } from "vitest";
import type { Emulator } from "../../emulator";
import { deployToEmulator, type Deployment } from "../../local/deploy";
import type { ResourceRecord } from "../../local/provider";
import { runLocal } from "../../local/run";
import { loadStackConfig } from "../../local/stackConfig";
import { runVerifyCli } from "../../verify/cli";

export interface LocalRun {
  code: number;
  stdout: string;
  stderr: string;
  /** Closed by the time the run returns, but its state stays inspectable. */
  emulator: Emulator | undefined;
}

export async function runLocalInProcess(
  argv: string[],
  options: { stopSignal?: Promise<void>; tty?: boolean } = {},
): Promise<LocalRun> {
  // The program is imported once per run: give each run a fresh module registry.
  vi.resetModules();
  let stdout = "";
  let stderr = "";
  let emulator: Emulator | undefined;
  const code = await runLocal(argv, {
    env: {
      ...process.env,
      ALIBABA_CLOUD_ECS_METADATA_DISABLED: "true",
      ALIBABA_CLOUD_CLI_PROFILE_DISABLED: "true",
    },
    stdout: (s) => (stdout += s),
    stderr: (s) => (stderr += s),
    onEmulator: (e) => (emulator = e),
    ...(options.stopSignal ? { stopSignal: options.stopSignal } : {}),
    tty: options.tty === true,
  });
  return { code, stdout, stderr, emulator };
}

/**
 * Every secret the emulator knows of the run: AccessKey secrets (user and root). STS secrets and
 * tokens are matched by shape in `leakedSecrets` (the emulator keeps no session store).
 */
export function knownSecrets(emulator: Emulator): string[] {
  const secrets = [emulator.rootCredentials.accessKeySecret];
  for (const user of emulator.state.listUsers()) {
    for (const key of emulator.state.listAccessKeys(user.userName)) secrets.push(key.accessKeySecret);
  }
  return secrets;
}

/** Secrets found in `text`: known AccessKey secrets, and anything shaped like an STS token. */
export function leakedSecrets(text: string, emulator: Emulator): string[] {
  const found = knownSecrets(emulator).filter((secret) => text.includes(secret));
  const tokens = text.match(/CAIS[A-Za-z0-9+/=_-]{16,}/g) ?? [];
  return [...found, ...tokens];
}

/** One deploy of the program into a running emulator (a fresh module registry per deploy). */
export async function deployInEmulator(
  emulator: Emulator,
  overrides: readonly string[],
  previous: readonly ResourceRecord[] = [],
): Promise<Deployment> {
  vi.resetModules();
  return deployToEmulator(
    emulator,
    "dev",
    loadStackConfig("dev", overrides),
    previous,
    () => import("../../infra/index"),
  );
}

/** `npm run verify -- --outputs - --endpoint <emulator> --protocol http …` in-process. */
export async function verifyInEmulator(
  emulator: Emulator,
  outputs: Record<string, unknown>,
  args: readonly string[] = [],
  env: NodeJS.ProcessEnv = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  const code = await runVerifyCli(
    ["--outputs", "-", "--endpoint", emulator.endpoint, "--protocol", "http", "--timeout", "1", ...args],
    {
      env: {
        ALIBABA_CLOUD_ECS_METADATA_DISABLED: "true",
        ALIBABA_CLOUD_CLI_PROFILE_DISABLED: "true",
        ...env,
      },
      stdout: (s) => (stdout += s),
      stderr: (s) => (stderr += s),
      stdin: Readable.from([JSON.stringify(outputs)]),
    },
  );
  return { code, stdout, stderr };
}
