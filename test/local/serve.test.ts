import { spawn } from "node:child_process";
import * as path from "node:path";
import { $OpenApiUtil } from "@alicloud/openapi-core";
import Sts, { AssumeRoleRequest } from "@alicloud/sts20150401";
import { expect, it } from "vitest";

const ROOT = path.resolve(__dirname, "..", "..");

/** Starts `npm run local -- --serve …` as a real process; resolves once it prints its serve banner. */
function startServe(args: string[]) {
  const child = spawn(path.join(ROOT, "node_modules", ".bin", "tsx"), ["local/run.ts", "--serve", ...args], {
    cwd: ROOT,
    env: {
      ...process.env,
      ALIBABA_CLOUD_ECS_METADATA_DISABLED: "true",
      ALIBABA_CLOUD_CLI_PROFILE_DISABLED: "true",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const banner = new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`no serve banner after 20 s:\n${stdout}\n${stderr}`)),
      20_000,
    );
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
      if (stdout.includes("Press Ctrl+C to stop.")) {
        clearTimeout(timer);
        resolve(stdout);
      }
    });
  });
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return { child, banner, exited, output: () => stdout + stderr };
}

const outputOf = (text: string, name: string): string =>
  new RegExp(`^  ${name}: (.+)$`, "m").exec(text)?.[1] ?? "";

it("--serve keeps the emulator answering the official SDK and stops with exit 0 on SIGTERM", async () => {
  const serve = startServe(["--show-secrets"]);
  try {
    const text = await serve.banner;
    const endpoint = /serving at http:\/\/(127\.0\.0\.1:\d+)/.exec(text)![1];
    const sts = new Sts(
      new $OpenApiUtil.Config({
        accessKeyId: outputOf(text, "accessKeyId"),
        accessKeySecret: outputOf(text, "accessKeySecret"),
        endpoint,
        protocol: "http",
      }),
    );
    const { body } = await sts.assumeRole(
      new AssumeRoleRequest({
        roleArn: outputOf(text, "roleArn"),
        roleSessionName: "serve-test",
        durationSeconds: 900,
      }),
    );
    expect(body!.credentials!.accessKeyId).toMatch(/^STS\./);
    serve.child.kill("SIGTERM");
    expect(await serve.exited).toBe(0);
    expect(serve.output()).toContain("stopping the emulator");
  } finally {
    serve.child.kill("SIGKILL");
  }
});

it("--serve masks the AccessKey secret in the printed outputs without --show-secrets", async () => {
  const serve = startServe([]);
  try {
    const text = await serve.banner;
    expect(outputOf(text, "accessKeySecret")).toBe("[secret]");
    serve.child.kill("SIGINT");
    expect(await serve.exited).toBe(0);
  } finally {
    serve.child.kill("SIGKILL");
  }
});
