// Leak check over every CLI (issue 8): the real processes — `tsx emulator/cli.ts`,
// `tsx verify/cli.ts`, `tsx local/run.ts`, as the npm scripts run them — in the modes the tests use
// (text, --json, stdin outputs, env credentials, failure and bad-usage paths, --verbose), with
// stdout, stderr and every file they write (HOME, TMPDIR and GITHUB_STEP_SUMMARY point into a
// fresh directory per run) scanned for AccessKey secrets, STS secrets and security tokens. Only
// `--show-secrets` prints them (a control run proves the scan sees them), and the emulator CLI's
// one JSON line, which prints the local fake account's root key by design.
import { spawn } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { setUpRecipe } from "../helpers/recipeFixture";

const ROOT = join(__dirname, "..", "..");
const TSX = join(ROOT, "node_modules", ".bin", "tsx");
const RUN_LIMIT_MS = 60_000;

/**
 * Secret shapes (emulator/ids.ts, emulator/sessions.ts, reference/alibaba-api.md §2): permanent
 * secrets are 30 alphanumerics, STS secrets 44 base64 characters ending in "=", tokens start CAIS.
 */
const SHAPES: Record<string, RegExp> = {
  "AccessKey secret":
    /(?<![A-Za-z0-9])(?=[A-Za-z0-9]*\d)(?=[A-Za-z0-9]*[a-z])(?=[A-Za-z0-9]*[A-Z])[A-Za-z0-9]{30}(?![A-Za-z0-9])/g,
  "STS secret": /(?<![A-Za-z0-9+/])[A-Za-z0-9+/]{43}=/g,
  "security token": /CAIS[A-Za-z0-9+/=._-]{16,}/g,
};

/** Every secret-shaped string and every known secret found in `text`, labelled. */
function secretsIn(text: string, known: readonly string[] = []): string[] {
  const found: string[] = [];
  for (const [label, shape] of Object.entries(SHAPES)) {
    for (const match of text.match(shape) ?? []) found.push(`${label} ${match.slice(0, 4)}…`);
  }
  for (const secret of known) if (text.includes(secret)) found.push(`known secret ${secret.slice(0, 4)}…`);
  return found;
}

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  /** Name and content of every file the process wrote under its HOME/TMPDIR. */
  files: Record<string, string>;
}

const scratch = mkdtempSync(join(tmpdir(), "vod-sts-leaks-"));
let runs = 0;

function baseEnv(home: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (!/^(ALIBABA_CLOUD_|ALICLOUD_|ALIBABACLOUD_|GITHUB_STEP_SUMMARY)/.test(name)) env[name] = value;
  }
  return {
    ...env,
    HOME: home,
    TMPDIR: home,
    NO_COLOR: "1",
    ALIBABA_CLOUD_ECS_METADATA_DISABLED: "true",
    ALIBABA_CLOUD_CLI_PROFILE_DISABLED: "true",
  };
}

function filesUnder(dir: string, prefix = ""): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) Object.assign(out, filesUnder(path, `${prefix}${name}/`));
    else if (statSync(path).size < 5_000_000) out[`${prefix}${name}`] = readFileSync(path, "utf8");
  }
  return out;
}

/** Runs one CLI as `npm run <script>` does, in its own HOME/TMPDIR; killed after RUN_LIMIT_MS. */
function runCli(
  script: string,
  args: string[],
  options: { env?: NodeJS.ProcessEnv; stdin?: string; summary?: boolean; stopWhenPrinted?: string } = {},
): Promise<Run> {
  const home = mkdtempSync(join(scratch, `run-${++runs}-`));
  const env = { ...baseEnv(home), ...options.env };
  if (options.summary) env.GITHUB_STEP_SUMMARY = join(home, "step-summary.md");
  return new Promise((resolve, reject) => {
    const child = spawn(TSX, [script, ...args], { cwd: ROOT, env, stdio: "pipe" });
    let stdout = "";
    let stderr = "";
    let stopping = false;
    child.stdout.on("data", (c: Buffer) => {
      stdout += c.toString("utf8");
      // A serving process (local --serve) is stopped the way a user stops it, once it is up.
      if (options.stopWhenPrinted && !stopping && stdout.includes(options.stopWhenPrinted)) {
        stopping = true;
        child.kill("SIGTERM");
      }
    });
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString("utf8")));
    const timer = setTimeout(() => child.kill("SIGKILL"), RUN_LIMIT_MS);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, files: filesUnder(home) });
    });
    child.stdin.end(options.stdin ?? "");
  });
}

interface EmulatorProcess {
  line: { endpoint: string; accountId: string; accessKeyId: string; accessKeySecret: string };
  /** SIGTERM, then everything it printed. */
  stop(): Promise<Run>;
}

function startEmulatorCli(): Promise<EmulatorProcess> {
  const home = mkdtempSync(join(scratch, "emulator-"));
  const child = spawn(TSX, ["emulator/cli.ts"], {
    cwd: ROOT,
    env: baseEnv(home),
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stderr.on("data", (c: Buffer) => (stderr += c.toString("utf8")));
  const closed = new Promise<number | null>((resolve) => child.on("close", resolve));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`the emulator CLI printed nothing in ${RUN_LIMIT_MS} ms: ${stderr}`));
    }, RUN_LIMIT_MS);
    const lines = createInterface({ input: child.stdout });
    lines.on("line", (line) => {
      stdout += `${line}\n`;
      if (stdout !== `${line}\n`) return;
      clearTimeout(timer);
      resolve({
        line: JSON.parse(line) as EmulatorProcess["line"],
        stop: async () => {
          const killer = setTimeout(() => child.kill("SIGKILL"), 10_000);
          child.kill("SIGTERM");
          const code = await closed;
          clearTimeout(killer);
          return { code, stdout, stderr, files: filesUnder(home) };
        },
      });
    });
  });
}

/** Runs tasks at most `limit` at a time (two cores: a few CLIs in parallel, not all). */
async function limited<T>(limit: number, tasks: (() => Promise<T>)[]): Promise<T[]> {
  const results: T[] = new Array<T>(tasks.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < tasks.length) {
        const i = next++;
        results[i] = await tasks[i]();
      }
    }),
  );
  return results;
}

function everything(run: Run): string {
  return [run.stdout, run.stderr, ...Object.values(run.files)].join("\n");
}

let emulator: EmulatorProcess;
let emulatorRun: Run;
let userSecret: string;
const verifyRuns: Record<string, Run> = {};
const localRuns: Record<string, Run> = {};
const emulatorCliRuns: Record<string, Run> = {};

beforeAll(async () => {
  emulator = await startEmulatorCli();
  const { endpoint, accountId, accessKeyId, accessKeySecret } = emulator.line;
  const { outputs } = await setUpRecipe({
    endpoint,
    accountId,
    rootCredentials: { accessKeyId, accessKeySecret },
  });
  userSecret = outputs.accessKeySecret;
  const dir = mkdtempSync(join(scratch, "outputs-"));
  const file = (name: string, value: object) => {
    const path = join(dir, name);
    writeFileSync(path, JSON.stringify(value), { mode: 0o600 });
    return path;
  };
  const good = file("good.json", outputs);
  const wrongSecret = file("wrong.json", { ...outputs, accessKeySecret: "Wr0ngSecretWr0ngSecretWr0ngSe" });
  const noRole = file("norole.json", {
    ...outputs,
    roleArn: `acs:ram::${accountId}:role/gone`,
    roleName: "gone",
  });
  const target = ["--endpoint", endpoint, "--protocol", "http"];
  const verify: [string, () => Promise<Run>][] = [
    [
      "text with a step summary",
      () => runCli("verify/cli.ts", ["--outputs", good, ...target], { summary: true }),
    ],
    ["--json", () => runCli("verify/cli.ts", ["--outputs", good, ...target, "--json"])],
    [
      "--outputs - (stdin)",
      () => runCli("verify/cli.ts", ["--outputs", "-", ...target], { stdin: JSON.stringify(outputs) }),
    ],
    [
      "env credentials with --role-arn",
      () =>
        runCli("verify/cli.ts", ["--role-arn", outputs.roleArn, "--region", "cn-shanghai", ...target], {
          env: {
            ALIBABA_CLOUD_ACCESS_KEY_ID: outputs.accessKeyId,
            ALIBABA_CLOUD_ACCESS_KEY_SECRET: outputs.accessKeySecret,
          },
        }),
    ],
    [
      "failure: wrong secret",
      () => runCli("verify/cli.ts", ["--outputs", wrongSecret, ...target, "--json"], { summary: true }),
    ],
    [
      "failure: missing role, --verbose",
      () => runCli("verify/cli.ts", ["--outputs", noRole, ...target, "--timeout", "1", "--verbose"]),
    ],
    ["bad usage", () => runCli("verify/cli.ts", ["--outputs", good, ...target, "--timeout", "soon"])],
    [
      "--show-secrets (control)",
      () => runCli("verify/cli.ts", ["--outputs", good, ...target, "--show-secrets"]),
    ],
  ];
  const local: [string, () => Promise<Run>][] = [
    ["text", () => runCli("local/run.ts", [])],
    ["--json", () => runCli("local/run.ts", ["--json"])],
    ["bad usage", () => runCli("local/run.ts", ["--propagation-delay", "soon"])],
    [
      "failure: propagation beyond --timeout, --verbose",
      () => runCli("local/run.ts", ["--propagation-delay", "3000", "--timeout", "1", "--verbose"]),
    ],
    [
      "--serve, stopped with SIGTERM",
      () => runCli("local/run.ts", ["--serve"], { stopWhenPrinted: "Press Ctrl+C to stop." }),
    ],
    ["--show-secrets (control)", () => runCli("local/run.ts", ["--show-secrets"])],
  ];
  const emulatorCli: [string, () => Promise<Run>][] = [
    ["--help", () => runCli("emulator/cli.ts", ["--help"])],
    ["bad usage", () => runCli("emulator/cli.ts", ["--port", "soon"])],
  ];
  const all = [
    ...verify.map(
      ([name, task]) =>
        async () =>
          void (verifyRuns[name] = await task()),
    ),
    ...local.map(
      ([name, task]) =>
        async () =>
          void (localRuns[name] = await task()),
    ),
    ...emulatorCli.map(
      ([name, task]) =>
        async () =>
          void (emulatorCliRuns[name] = await task()),
    ),
  ];
  await limited(4, all);
  emulatorRun = await emulator.stop();
}, 180_000);

afterAll(() => {
  rmSync(scratch, { recursive: true, force: true });
});

describe("no CLI prints a secret without --show-secrets (stdout, stderr and files written)", () => {
  it.each([
    ["text with a step summary", 0],
    ["--json", 0],
    ["--outputs - (stdin)", 0],
    ["env credentials with --role-arn", 0],
    ["failure: wrong secret", 1],
    ["failure: missing role, --verbose", 1],
    ["bad usage", 2],
  ])("verify, %s: exit %i and no secret anywhere", (mode, code) => {
    const run = verifyRuns[mode];
    expect(run.code).toBe(code);
    expect(secretsIn(everything(run), [userSecret, emulator.line.accessKeySecret])).toEqual([]);
  });

  it("verify writes the step summary it is asked for, and it holds no secret", () => {
    const run = verifyRuns["text with a step summary"];
    expect(run.files["step-summary.md"]).toContain("### ✅ STS chain verified");
    expect(run.stdout).toContain("verified: acs:ram::");
  });

  it("verify --verbose prints its retries without a secret", () => {
    const run = verifyRuns["failure: missing role, --verbose"];
    expect(run.stderr).toContain("… assume-role: attempt 1 got EntityNotExist.Role");
  });

  it.each([
    ["text", 0],
    ["--json", 0],
    ["bad usage", 2],
    ["failure: propagation beyond --timeout, --verbose", 1],
    ["--serve, stopped with SIGTERM", 0],
  ])("local, %s: exit %i and no secret anywhere", (mode, code) => {
    const run = localRuns[mode];
    expect(run.code).toBe(code);
    expect(secretsIn(everything(run))).toEqual([]);
  });

  it("local --serve prints the stack outputs with the AccessKey secret shown as [secret]", () => {
    const run = localRuns["--serve, stopped with SIGTERM"];
    expect(run.stdout).toContain("  accessKeySecret: [secret]\n");
    expect(run.stdout).toContain("stopping the emulator\n");
  });

  it.each([
    ["--help", 0],
    ["bad usage", 2],
  ])("emulator CLI, %s: exit %i and no secret anywhere", (mode, code) => {
    const run = emulatorCliRuns[mode];
    expect(run.code).toBe(code);
    expect(secretsIn(everything(run))).toEqual([]);
  });

  it("the emulator CLI prints its root key in its one JSON line and nowhere else, even while serving verify", () => {
    expect(emulatorRun.code).toBe(0);
    const lines = emulatorRun.stdout.trimEnd().split("\n");
    expect(lines.length).toBe(1);
    expect(secretsIn(lines[0])).toEqual([`AccessKey secret ${emulator.line.accessKeySecret.slice(0, 4)}…`]);
    expect(secretsIn(emulatorRun.stderr + Object.values(emulatorRun.files).join("\n"), [userSecret])).toEqual(
      [],
    );
  });
});

describe("--show-secrets prints them (the control that proves the scan sees secrets)", () => {
  it("verify --show-secrets prints the STS secret and the security token as export lines", () => {
    const run = verifyRuns["--show-secrets (control)"];
    expect(run.code).toBe(0);
    const found = secretsIn(run.stdout);
    expect(found.some((f) => f.startsWith("STS secret"))).toBe(true);
    expect(found.some((f) => f.startsWith("security token CAIS"))).toBe(true);
    expect(run.stdout).toMatch(/^export ALIBABA_CLOUD_SECURITY_TOKEN=CAIS/m);
  });

  it("local --show-secrets prints the STS secret and the security token", () => {
    const run = localRuns["--show-secrets (control)"];
    expect(run.code).toBe(0);
    const found = secretsIn(run.stdout + run.stderr);
    expect(found.some((f) => f.startsWith("STS secret"))).toBe(true);
    expect(found.some((f) => f.startsWith("security token CAIS"))).toBe(true);
  });
});
