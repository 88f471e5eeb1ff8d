import { accessSync, constants, statSync } from "node:fs";
import path from "node:path";

/** The deployer's credentials the alicloud provider reads (reference/pulumi.md, "Provider credentials"). */
export const DEPLOYER_KEY_VARIABLES = [
  "ALIBABA_CLOUD_ACCESS_KEY_ID",
  "ALIBABA_CLOUD_ACCESS_KEY_SECRET",
] as const;

/**
 * Every environment spelling of Alibaba Cloud credentials the SDKs, the provider and
 * aliyun/configure-aliyun-credentials-action use; verify runs with none of them.
 */
export const ALIBABA_CREDENTIAL_VARIABLES = [
  "ALIBABA_CLOUD_ACCESS_KEY_ID",
  "ALIBABA_CLOUD_ACCESS_KEY_SECRET",
  "ALIBABA_CLOUD_SECURITY_TOKEN",
  "ALICLOUD_ACCESS_KEY",
  "ALICLOUD_SECRET_KEY",
  "ALICLOUD_SECURITY_TOKEN",
  "ALIBABACLOUD_ACCESS_KEY_ID",
  "ALIBABACLOUD_ACCESS_KEY_SECRET",
  "ALIBABACLOUD_SECURITY_TOKEN",
] as const;

/** The opt-in: the test creates and deletes real RAM users, keys and roles. */
export const OPT_IN_VARIABLE = "VOD_STS_INTEGRATION";

/**
 * What the real-account test needs and this machine lacks, one phrase per missing thing, in a
 * fixed order. Empty when the test can run.
 */
export function missingIntegrationPrerequisites(env: NodeJS.ProcessEnv, pulumiOnPath: boolean): string[] {
  const missing: string[] = [];
  if (env[OPT_IN_VARIABLE] !== "1") {
    missing.push(`${OPT_IN_VARIABLE} is not 1 (opt-in: the test creates real RAM resources)`);
  }
  if (!pulumiOnPath) missing.push("pulumi CLI not on PATH");
  for (const name of DEPLOYER_KEY_VARIABLES) {
    if (!env[name]) missing.push(`${name} not set`);
  }
  return missing;
}

export function skipReason(missing: readonly string[]): string {
  return `skipped: ${missing.join("; ")}`;
}

/** Whether an executable file called `command` is in one of PATH's directories. */
export function isExecutableOnPath(
  command: string,
  searchPath: string | undefined = process.env.PATH,
  platform: NodeJS.Platform = process.platform,
): boolean {
  const names = platform === "win32" ? [`${command}.exe`, `${command}.cmd`, command] : [command];
  for (const dir of (searchPath ?? "").split(path.delimiter)) {
    if (!dir) continue;
    for (const name of names) {
      const candidate = path.join(dir, name);
      try {
        if (!statSync(candidate).isFile()) continue;
        accessSync(candidate, constants.X_OK);
        return true;
      } catch {
        // not here, or not executable: keep looking
      }
    }
  }
  return false;
}

/**
 * A stack name no other run uses: `it-<UTC yyyymmddhhmmss>-<6 hex>`. The time in it tells a
 * person which leftover stack is stale if a cleanup ever fails.
 */
export function ephemeralStackName(now: Date, randomHex: string): string {
  if (!/^[0-9a-f]{6}$/.test(randomHex)) {
    throw new Error(`randomHex must be 6 lowercase hex digits, got "${randomHex}"`);
  }
  const stamp = now.toISOString().replace(/[-:T]/g, "").slice(0, 14);
  return `it-${stamp}-${randomHex}`;
}

/**
 * RAM names for the ephemeral stack, so it never collides with a deployed `vod`/`vodrole`
 * (users: 1–64 of [A-Za-z0-9._-], roles: 1–64 of [A-Za-z0-9.-] — Pulumi.yaml `userName`/`roleName`).
 */
export function ephemeralRamNames(stackName: string): { userName: string; roleName: string } {
  return { userName: `${stackName}-vod`, roleName: `${stackName}-vodrole` };
}
