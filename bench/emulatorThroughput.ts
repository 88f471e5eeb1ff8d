// Signed AssumeRole throughput of the emulator on loopback: the emulator runs in its own process
// (as `npm run emulator` does), N concurrent official STS clients (ACS3-HMAC-SHA256) call it.
// Usage: npx tsx bench/emulatorThroughput.ts [--requests 20000] [--concurrency 32]
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import * as $Ram from "@alicloud/ram20150501";
import * as $Sts from "@alicloud/sts20150401";
import { ramClient, stsClient } from "../test/emulator/clients";

const { values } = parseArgs({
  options: { requests: { type: "string", default: "20000" }, concurrency: { type: "string", default: "32" } },
});
const total = Number(values.requests);
const concurrency = Number(values.concurrency);
if (!Number.isInteger(total) || total < 1 || !Number.isInteger(concurrency) || concurrency < 1) {
  throw new Error(
    `--requests and --concurrency must be positive integers, got ${values.requests} and ${values.concurrency}`,
  );
}

function rssMiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) / 1024;
}

async function main(): Promise<void> {
  const root = join(__dirname, "..");
  // EMULATOR_NODE_FLAGS (e.g. "--cpu-prof") lets a profile of the emulator side be taken.
  const nodeFlags = (process.env.EMULATOR_NODE_FLAGS ?? "").split(" ").filter(Boolean);
  const child = spawn(
    process.execPath,
    [...nodeFlags, "--import", "tsx", "emulator/cli.ts", "--assume-role-quota", "0"],
    {
      cwd: root,
      stdio: ["ignore", "pipe", "inherit"],
    },
  );
  try {
    const line = await new Promise<string>((resolve, reject) => {
      let buffered = "";
      child.stdout.on("data", (c: Buffer) => {
        buffered += String(c);
        if (buffered.includes("\n")) resolve(buffered.split("\n")[0]);
      });
      child.once("exit", () => reject(new Error("emulator exited early")));
    });
    const started = JSON.parse(line) as {
      endpoint: string;
      accountId: string;
      accessKeyId: string;
      accessKeySecret: string;
    };
    const ram = ramClient(started.endpoint, started);
    await ram.createUser(new $Ram.CreateUserRequest({ userName: "vod" }));
    const key = (await ram.createAccessKey(new $Ram.CreateAccessKeyRequest({ userName: "vod" }))).body!
      .accessKey!;
    await ram.attachPolicyToUser(
      new $Ram.AttachPolicyToUserRequest({
        userName: "vod",
        policyType: "System",
        policyName: "AliyunSTSAssumeRoleAccess",
      }),
    );
    const trust = {
      Version: "1",
      Statement: [
        {
          Effect: "Allow",
          Action: "sts:AssumeRole",
          Principal: { RAM: [`acs:ram::${started.accountId}:user/vod`] },
        },
      ],
    };
    const role = await ram.createRole(
      new $Ram.CreateRoleRequest({ roleName: "vodrole", assumeRolePolicyDocument: JSON.stringify(trust) }),
    );
    await ram.attachPolicyToRole(
      new $Ram.AttachPolicyToRoleRequest({
        roleName: "vodrole",
        policyType: "System",
        policyName: "AliyunVODFullAccess",
      }),
    );
    const roleArn = role.body!.role!.arn!;
    const clients = Array.from({ length: concurrency }, () =>
      stsClient(started.endpoint, { accessKeyId: key.accessKeyId!, accessKeySecret: key.accessKeySecret! }),
    );

    const rssBefore = rssMiB(child.pid!);
    const latencies: number[] = [];
    let issued = 0;
    let failures = 0;
    const startedAt = performance.now();
    await Promise.all(
      clients.map(async (client, worker) => {
        while (issued < total) {
          issued++;
          const t0 = performance.now();
          try {
            await client.assumeRole(
              new $Sts.AssumeRoleRequest({ roleArn, roleSessionName: `bench-${worker}` }),
            );
          } catch {
            failures++;
          }
          latencies.push(performance.now() - t0);
        }
      }),
    );
    const seconds = (performance.now() - startedAt) / 1000;
    latencies.sort((a, b) => a - b);
    const pct = (p: number): string =>
      latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))].toFixed(1);
    const rssAfter = rssMiB(child.pid!);
    process.stdout.write(
      `${JSON.stringify({
        requests: latencies.length,
        failures,
        concurrency,
        seconds: Number(seconds.toFixed(2)),
        requestsPerSecond: Math.round(latencies.length / seconds),
        p50Ms: Number(pct(50)),
        p99Ms: Number(pct(99)),
        emulatorRssMiBBefore: Math.round(rssBefore),
        emulatorRssMiBAfter: Math.round(rssAfter),
      })}\n`,
    );
  } finally {
    child.kill("SIGTERM");
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench: ${(error as Error).message}\n`);
  process.exitCode = 1;
});
