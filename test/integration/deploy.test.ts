import { randomBytes } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { OutputMap, Stack } from "@pulumi/pulumi/automation";
import { afterAll, describe, expect, it } from "vitest";
import {
  ALIBABA_CREDENTIAL_VARIABLES,
  ephemeralRamNames,
  ephemeralStackName,
  isExecutableOnPath,
  missingIntegrationPrerequisites,
  skipReason,
} from "./prerequisites";

/*
 * `pulumi up` → verify → `pulumi destroy` on a real Alibaba Cloud account, through the Automation
 * API (which shells out to the pulumi CLI; reference/pulumi.md, "Reading outputs and the
 * Automation API"). Opt-in only: it creates a RAM user, an AccessKey and a role. The CLI must be
 * logged in to a backend (PULUMI_ACCESS_TOKEN, or `pulumi login` / PULUMI_BACKEND_URL with
 * PULUMI_CONFIG_PASSPHRASE) — see docs/ci.md.
 */

const repoRoot = path.resolve(__dirname, "../..");
const missing = missingIntegrationPrerequisites(process.env, isExecutableOnPath("pulumi"));
const stackName = ephemeralStackName(new Date(), randomBytes(3).toString("hex"));
const ramNames = ephemeralRamNames(stackName);
const region = process.env.ALIBABA_CLOUD_REGION || "cn-shanghai";

/** Outputs the default configuration must produce (the pgp* ones exist only with `pgpKey`). */
const REQUIRED_OUTPUTS = [
  "accountId",
  "userName",
  "accessKeyId",
  "accessKeySecret",
  "roleName",
  "roleArn",
  "region",
  "rolePolicyScope",
];

// Bounded: `up` is aborted before the test's own timeout so that cleanup never races a running update.
const UP_DEADLINE_MS = 15 * 60_000;
const TEST_TIMEOUT_MS = 20 * 60_000;
const DESTROY_DEADLINE_MS = 10 * 60_000;
const CLEANUP_TIMEOUT_MS = 2 * DESTROY_DEADLINE_MS + 60_000;

function progress(text: string): void {
  process.stderr.write(text);
}

function redact(text: string, secrets: readonly string[]): string {
  return secrets.filter(Boolean).reduce((masked, secret) => masked.split(secret).join("***"), text);
}

function plainOutputs(outputs: OutputMap): Record<string, unknown> {
  return Object.fromEntries(Object.entries(outputs).map(([name, output]) => [name, output.value]));
}

/**
 * Runs verify in-process on the outputs, as `npm run verify -- --outputs FILE` would. The file
 * (it holds the AccessKey secret) lives in a private temp folder removed afterwards, and the
 * deployer's credentials are taken out of verify's environment: a pass must prove the stack's key.
 */
async function verifyOutputs(
  outputs: Record<string, unknown>,
): Promise<{ exitCode: number; stdout: string; stderr: string }> {
  const { runVerifyCli } = await import("../../verify/cli");
  const dir = await mkdtemp(path.join(os.tmpdir(), "vod-sts-it-"));
  try {
    const file = path.join(dir, "outputs.json");
    await writeFile(file, JSON.stringify(outputs), { mode: 0o600 });
    const env: NodeJS.ProcessEnv = { ...process.env };
    for (const name of [...ALIBABA_CREDENTIAL_VARIABLES, "GITHUB_STEP_SUMMARY"]) {
      delete env[name];
    }
    let stdout = "";
    let stderr = "";
    const exitCode = await runVerifyCli(["--outputs", file], {
      env,
      stdout: (text) => (stdout += text),
      stderr: (text) => (stderr += text),
    });
    return { exitCode, stdout, stderr };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * Destroys the stack's resources, then removes the stack (and its Pulumi.<stack>.yaml). When
 * destroy fails the stack is kept — its state is the record of what is left — and the error says
 * how to finish by hand.
 */
async function destroyAndRemove(stack: Stack): Promise<void> {
  const destroy = () =>
    stack.destroy({ onOutput: progress, color: "never", signal: AbortSignal.timeout(DESTROY_DEADLINE_MS) });
  try {
    await destroy();
  } catch (firstError) {
    // An update aborted at its deadline can leave the stack locked; cancel it and try once more.
    try {
      await stack.cancel();
      await destroy();
    } catch {
      const reason = firstError instanceof Error ? firstError.message : String(firstError);
      throw new Error(
        `destroy of ephemeral stack ${stack.name} failed; RAM user ${ramNames.userName} and role ` +
          `${ramNames.roleName} may remain. Finish by hand: pulumi destroy --stack ${stack.name} --yes && ` +
          `pulumi stack rm ${stack.name} --yes. Cause: ${reason}`,
      );
    }
  }
  await stack.workspace.removeStack(stack.name);
}

const suiteName =
  missing.length === 0
    ? `real account: up, verify and destroy on ephemeral stack ${stackName}`
    : `real account: up, verify and destroy on an ephemeral stack (${skipReason(missing)})`;

// The default reporter folds a skipped file to one line; this keeps the reason in sight.
if (missing.length > 0) console.warn(`test/integration/deploy.test.ts ${skipReason(missing)}`);

describe.skipIf(missing.length > 0)(suiteName, () => {
  let stack: Stack | undefined;

  afterAll(async () => {
    if (stack) await destroyAndRemove(stack);
  }, CLEANUP_TIMEOUT_MS);

  it(
    "verify exits 0 on the outputs of a fresh `pulumi up`, and prints no AccessKey secret",
    async () => {
      const { LocalWorkspace } = await import("@pulumi/pulumi/automation");
      stack = await LocalWorkspace.createStack({ stackName, workDir: repoRoot });
      await stack.setAllConfig({
        "alicloud:region": { value: region },
        "vod-sts:userName": { value: ramNames.userName },
        "vod-sts:roleName": { value: ramNames.roleName },
      });
      await stack.up({ onOutput: progress, color: "never", signal: AbortSignal.timeout(UP_DEADLINE_MS) });

      const outputs = plainOutputs(await stack.outputs());
      expect(REQUIRED_OUTPUTS.filter((name) => outputs[name] === undefined)).toEqual([]);
      expect(outputs.userName).toBe(ramNames.userName);
      expect(outputs.roleName).toBe(ramNames.roleName);
      expect(outputs.roleArn).toBe(`acs:ram::${String(outputs.accountId)}:role/${ramNames.roleName}`);
      expect(outputs.region).toBe(region);

      const secret = String(outputs.accessKeySecret);
      const { exitCode, stdout, stderr } = await verifyOutputs(outputs);
      // Booleans, not toContain: a failing toContain would print the secret it found.
      expect(stdout.includes(secret) || stderr.includes(secret), "verify printed the AccessKey secret").toBe(
        false,
      );
      expect(exitCode, redact(`verify said:\n${stdout}\n${stderr}`, [secret])).toBe(0);
    },
    TEST_TIMEOUT_MS,
  );
});
