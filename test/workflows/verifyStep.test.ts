import { spawnSync, type SpawnSyncReturns } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadWorkflows, npmScriptsCalled, repoRoot, workflowNamed } from "./workflowModel";

/*
 * Runs deploy.yml's verify step exactly as written (bash, as GitHub's `run:` does on Linux), with
 * every Alibaba credential spelling set as the OIDC action would leave them and a fake `pulumi` on
 * PATH that records what it was called with. The fake prints `{}`, so verify stops with exit 2 at
 * output validation, before any network call.
 */

const deployerValues: Record<string, string> = {
  ALIBABA_CLOUD_ACCESS_KEY_ID: "LTAI-deployer-id",
  ALIBABA_CLOUD_ACCESS_KEY_SECRET: "deployer-secret-value",
  ALIBABA_CLOUD_SECURITY_TOKEN: "deployer-sts-token",
  ALICLOUD_ACCESS_KEY: "LTAI-deployer-id",
  ALICLOUD_SECRET_KEY: "deployer-secret-value",
  ALICLOUD_SECURITY_TOKEN: "deployer-sts-token",
  ALIBABACLOUD_ACCESS_KEY_ID: "LTAI-deployer-id",
  ALIBABACLOUD_ACCESS_KEY_SECRET: "deployer-secret-value",
  ALIBABACLOUD_SECURITY_TOKEN: "deployer-sts-token",
};

const verifyStep = workflowNamed(loadWorkflows(), "deploy.yml").jobs.deploy.steps.find(
  (step) => step.run !== undefined && npmScriptsCalled(step.run).includes("verify"),
);

describe("deploy.yml's verify step, run as written", () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), "vod-sts-verify-step-"));
  const fakeBin = path.join(dir, "bin");
  const record = path.join(dir, "record");
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  function runStep() {
    mkdirSync(fakeBin, { recursive: true });
    mkdirSync(record, { recursive: true });
    const fakePulumi = path.join(fakeBin, "pulumi");
    writeFileSync(
      fakePulumi,
      [
        "#!/bin/sh",
        'printf "%s\\n" "$*" > "$FAKE_PULUMI_RECORD/args"',
        'env > "$FAKE_PULUMI_RECORD/env"',
        "echo '{}'",
        "",
      ].join("\n"),
    );
    chmodSync(fakePulumi, 0o755);
    return spawnSync("bash", ["-e", "-c", verifyStep?.run ?? "exit 99"], {
      cwd: repoRoot,
      encoding: "utf8",
      timeout: 60_000,
      env: {
        // Hermetic: CI's own ALIBABA_CLOUD_* switches (metadata/profile off) must not count as
        // credentials the step leaked; only what the step itself sets or keeps is inspected.
        ...Object.fromEntries(
          Object.entries(process.env).filter(([name]) => !/^ALI(BABA_?CLOUD|CLOUD)_/.test(name)),
        ),
        ...deployerValues,
        ...verifyStep?.env,
        PULUMI_ACCESS_TOKEN: "pul-fake-token",
        STACK: "dev",
        PATH: `${fakeBin}${path.delimiter}${process.env.PATH ?? ""}`,
        FAKE_PULUMI_RECORD: record,
        GITHUB_STEP_SUMMARY: "",
      },
    });
  }

  let result: SpawnSyncReturns<string>;
  beforeAll(() => {
    result = runStep();
  }, 60_000);

  it("calls `pulumi stack output --json --show-secrets --stack dev`", () => {
    expect(readFileSync(path.join(record, "args"), "utf8").trim()).toBe(
      "stack output --json --show-secrets --stack dev",
    );
  });

  it("pulumi (and so verify) sees no Alibaba credential, only PULUMI_ACCESS_TOKEN", () => {
    const env = readFileSync(path.join(record, "env"), "utf8").split("\n");
    expect(env.filter((line) => /^ALI(BABA_?CLOUD|CLOUD)_/.test(line))).toEqual([]);
    expect(env.filter((line) => line.startsWith("PULUMI_ACCESS_TOKEN="))).toEqual([
      "PULUMI_ACCESS_TOKEN=pul-fake-token",
    ]);
  });

  it("fails the step with verify's configuration exit code 2 on outputs it cannot use, printing no deployer secret", () => {
    expect(result.status).toBe(2);
    const printed = `${result.stdout}${result.stderr}`;
    expect(printed.includes("deployer-secret-value") || printed.includes("deployer-sts-token")).toBe(false);
  });
});
