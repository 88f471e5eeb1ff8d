import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { once } from "node:events";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseEmulatorArgs } from "../../emulator/cliArgs";
import { stsClient } from "./clients";
import { send } from "./rawHttp";

const ROOT = join(__dirname, "..", "..");
const TSX = join(ROOT, "node_modules", ".bin", "tsx");

function startCli(args: string[]): ChildProcessWithoutNullStreams {
  return spawn(TSX, ["emulator/cli.ts", ...args], { cwd: ROOT, env: { ...process.env, NO_COLOR: "1" } });
}

async function firstLine(child: ChildProcessWithoutNullStreams): Promise<string> {
  let buffered = "";
  for await (const chunk of child.stdout) {
    buffered += String(chunk);
    const newline = buffered.indexOf("\n");
    if (newline >= 0) return buffered.slice(0, newline);
  }
  throw new Error(`emulator CLI exited before printing its JSON line; stdout: ${buffered}`);
}

async function exitOf(
  child: ChildProcessWithoutNullStreams,
): Promise<{ code: number | null; stderr: string }> {
  let stderr = "";
  child.stderr.on("data", (c: Buffer) => (stderr += String(c)));
  const [code] = (await once(child, "exit")) as [number | null];
  return { code, stderr };
}

describe("npm run emulator (emulator/cli.ts)", () => {
  it("prints exactly one JSON line with endpoint, accountId and the root key, serves the SDK, and exits 0 on SIGTERM", async () => {
    const child = startCli(["--port", "0", "--account-id", "1234567890123456", "--assume-role-quota", "0"]);
    const exited = exitOf(child);
    const line = await firstLine(child);
    const printed = JSON.parse(line) as Record<string, string>;
    expect(Object.keys(printed)).toEqual(["endpoint", "accountId", "accessKeyId", "accessKeySecret"]);
    expect(printed.endpoint).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(printed.accountId).toBe("1234567890123456");
    const identity = await stsClient(printed.endpoint, {
      accessKeyId: printed.accessKeyId,
      accessKeySecret: printed.accessKeySecret,
    }).getCallerIdentity();
    expect(identity.body!.arn).toBe("acs:ram::1234567890123456:root");
    child.kill("SIGTERM");
    expect((await exited).code).toBe(0);
  });

  it("exits 0 on SIGINT as well", async () => {
    const child = startCli([]);
    const exited = exitOf(child);
    await firstLine(child);
    child.kill("SIGINT");
    expect((await exited).code).toBe(0);
  });

  it("exits 0 promptly on SIGTERM even while a response waits out --latency", async () => {
    const child = startCli(["--latency", "60000"]);
    const exited = exitOf(child);
    const printed = JSON.parse(await firstLine(child)) as { endpoint: string };
    const pending = send(printed.endpoint, { path: "/" }).catch((error: Error) => error.message);
    await new Promise((resolve) => setTimeout(resolve, 100));
    child.kill("SIGTERM");
    const outcome = await Promise.race([
      exited.then((e) => `exit ${e.code}`),
      new Promise((r) => setTimeout(() => r("still running after 5 s"), 5000)),
    ]);
    expect(outcome).toBe("exit 0");
    expect(await pending).toBe("socket hang up");
  });

  it("exits 2 on a bad flag value, naming the flag, the value and what is allowed", async () => {
    const { code, stderr } = await exitOf(startCli(["--propagation-delay", "soon"]));
    expect(code).toBe(2);
    expect(stderr).toContain('emulator: --propagation-delay is "soon"; allowed: an integer 0..2147483647.');
  });

  it("exits 2 on an unknown flag, listing the allowed flags", async () => {
    const { code, stderr } = await exitOf(startCli(["--verbose"]));
    expect(code).toBe(2);
    expect(stderr).toContain("Unknown option '--verbose'");
    expect(stderr).toContain("--propagation-delay");
  });
});

describe("emulator CLI flags", () => {
  it("maps every fault flag onto the fault settings", () => {
    const { options } = parseEmulatorArgs([
      "--propagation-delay=5000",
      "--assume-role-quota=0",
      "--throttle-next=2",
      "--throttle-action=AssumeRole",
      "--throttle-retry-after=250",
      "--server-error-next=1",
      "--server-error-code=ServiceUnavailable",
      "--server-error-action=GetCategories",
      "--latency=10",
      "--gateway-error-next=3",
      "--region=cn-beijing",
    ]);
    expect(options).toEqual({
      region: "cn-beijing",
      faults: {
        propagationDelayMs: 5000,
        assumeRoleQuotaPerSecond: 0,
        throttleNext: 2,
        throttleAction: "AssumeRole",
        throttleRetryAfterMs: 250,
        serverErrorNext: 1,
        serverErrorCode: "ServiceUnavailable",
        serverErrorAction: "GetCategories",
        latencyMs: 10,
        gatewayErrorNext: 3,
      },
    });
  });

  it.each([
    [["--port", "70000"], '--port is "70000"; allowed: an integer 0..65535.'],
    [["--account-id", "abc"], '--account-id is "abc"; allowed: 16 digits not starting with 0.'],
    [
      ["--server-error-code", "Boom"],
      '--server-error-code is "Boom"; allowed: InternalError or ServiceUnavailable.',
    ],
  ])("refuses %j with %s", (argv, message) => {
    expect(() => parseEmulatorArgs(argv)).toThrowError(message);
  });
});
