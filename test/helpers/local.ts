/** Runs `npm run local` in-process, capturing its output and the emulator it served. */
import { vi } from "vitest";
import type { Emulator } from "../../emulator";
import { runLocal } from "../../local/run";

export interface LocalRun {
  code: number;
  stdout: string;
  stderr: string;
  /** Closed by the time the run returns, but its state stays inspectable. */
  emulator: Emulator | undefined;
}

export async function runLocalInProcess(argv: string[], stopSignal?: Promise<void>): Promise<LocalRun> {
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
    ...(stopSignal ? { stopSignal } : {}),
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
