import { spawn } from "node:child_process";
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { Readable } from "node:stream";
import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import { setUpRecipe, type Recipe } from "../helpers/recipeFixture";
import { assertNoSecret, startVerifyHarness, type VerifyHarness } from "../helpers/verifyHarness";

const ROOT = resolve(__dirname, "../..");
const seenSecrets = new Set<string>();
const transcripts: string[] = [];

let h: VerifyHarness;
let recipe: Recipe;

beforeEach(async () => {
  h = await startVerifyHarness();
  recipe = await setUpRecipe(h.emulator);
  h.knowSecret(recipe.outputs.accessKeySecret);
});

afterEach(async () => {
  for (const secret of h.secrets) seenSecrets.add(secret);
  transcripts.push(...h.transcripts);
  await h.close();
});

const PASS_LINES = [
  /^✔ pass {2}assume-role /,
  /^✔ pass {2}caller-identity /,
  /^✔ pass {2}vod-access /,
  /^✔ pass {2}least-privilege /,
];

function expectAllPassed(stdout: string): void {
  const lines = stdout.trimEnd().split("\n");
  PASS_LINES.forEach((pattern, i) => expect(lines[i]).toMatch(pattern));
  expect(lines[4]).toMatch(/^verified: acs:ram::\d+:role\/vodrole — 4 passed, 0 failed, 0 skipped in /);
}

describe("input sources (happy path against the emulator)", () => {
  it("--outputs FILE: all four checks pass, exit 0", async () => {
    const result = await h.run(["--outputs", h.writeOutputs(recipe.outputs)]);
    expect(result.code).toBe(0);
    expectAllPassed(result.stdout);
    expect(result.stderr).toBe("");
  });

  it("--outputs - reads the outputs JSON from stdin, exit 0", async () => {
    const result = await h.run(["--outputs", "-"], {
      stdin: Readable.from([JSON.stringify(recipe.outputs)]),
    });
    expect(result.code).toBe(0);
    expectAllPassed(result.stdout);
  });

  it("env ALIBABA_CLOUD_ACCESS_KEY_ID/_SECRET with --role-arn, exit 0", async () => {
    const env = {
      ALIBABA_CLOUD_ACCESS_KEY_ID: recipe.outputs.accessKeyId,
      ALIBABA_CLOUD_ACCESS_KEY_SECRET: recipe.outputs.accessKeySecret,
      ALIBABA_CLOUD_REGION: "cn-shanghai",
    };
    const result = await h.run(["--role-arn", recipe.outputs.roleArn], { env });
    expect(result.code).toBe(0);
    // The user name is unknown with env input: the least-privilege line names the key's user by key ID.
    expectAllPassed(result.stdout);
  });

  it("--outputs ignores the env credentials: the deployer's (root) key in env is never used", async () => {
    const env = {
      ALIBABA_CLOUD_ACCESS_KEY_ID: h.emulator.rootCredentials.accessKeyId,
      ALIBABA_CLOUD_ACCESS_KEY_SECRET: h.emulator.rootCredentials.accessKeySecret,
    };
    const result = await h.run(["--outputs", h.writeOutputs(recipe.outputs)], { env });
    expect(result.code).toBe(0);
  });

  it("--stack NAME runs pulumi stack output --json --show-secrets --stack NAME (a fake pulumi on PATH), exit 0", async () => {
    const bin = mkdtempSync(join(tmpdir(), "fake-pulumi-"));
    const outputsFile = h.writeOutputs(recipe.outputs);
    writeFileSync(
      join(bin, "pulumi"),
      `#!/bin/sh\nif [ "$*" = "stack output --json --show-secrets --stack dev" ]; then cat '${outputsFile}'; else echo "unexpected args: $*" >&2; exit 3; fi\n`,
    );
    chmodSync(join(bin, "pulumi"), 0o755);
    const result = await h.run(["--stack", "dev"], { env: { PATH: `${bin}:/usr/bin:/bin` } });
    expect(result.code).toBe(0);
    expectAllPassed(result.stdout);
  });

  it("--stack with no pulumi CLI on PATH exits 2 with a clear message", async () => {
    const empty = mkdtempSync(join(tmpdir(), "no-pulumi-"));
    const result = await h.run(["--stack", "dev"], { env: { PATH: empty } });
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      "verify: --stack dev: the pulumi CLI was not found on PATH — install it, or pass --outputs FILE\n(run with --help for usage)\n",
    );
  });

  it("--stack whose pulumi fails exits 2 quoting pulumi's error", async () => {
    const bin = mkdtempSync(join(tmpdir(), "failing-pulumi-"));
    writeFileSync(join(bin, "pulumi"), `#!/bin/sh\necho "error: no stack named 'dev' found" >&2\nexit 255\n`);
    chmodSync(join(bin, "pulumi"), 0o755);
    const result = await h.run(["--stack", "dev"], { env: { PATH: `${bin}:/usr/bin:/bin` } });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      "verify: --stack dev: pulumi stack output failed (exit 255): error: no stack named 'dev' found",
    );
  });
});

describe("bad usage and bad outputs exit 2 with the message", () => {
  const cases: Array<[string, () => string[], string]> = [
    ["an unknown flag", () => ["--bogus"], "verify: unknown flag --bogus; allowed: --outputs, --stack,"],
    [
      "a missing outputs file",
      () => ["--outputs", "/nonexistent/outputs.json"],
      "verify: --outputs /nonexistent/outputs.json: no such file",
    ],
    ["no credentials at all", () => [], "verify: no credentials: pass --outputs FILE|-, or --stack NAME,"],
    [
      "a malformed --role-arn",
      () => ["--role-arn", "vodrole", "--region", "cn-shanghai"],
      'verify: --role-arn "vodrole" is not of the form',
    ],
    [
      "a bad --duration",
      () => ["--duration", "60"],
      'verify: --duration "60" must be a whole number of seconds from 900 to 43200',
    ],
  ];
  it.each(cases)("%s", async (_name, argv, message) => {
    const env = {
      ALIBABA_CLOUD_ACCESS_KEY_ID: "LTAIx",
      ALIBABA_CLOUD_ACCESS_KEY_SECRET: recipe.outputs.accessKeySecret,
    };
    const result = await h.run(argv(), { env: _name === "no credentials at all" ? {} : env });
    expect(result.code).toBe(2);
    expect(result.stderr.startsWith(message)).toBe(true);
    expect(result.stdout).toBe("");
  });

  it("an outputs file that is not JSON: exit 2, and the secret in it is not quoted", async () => {
    const broken = h.writeOutputs({}).replace(/\.json$/, "-broken.json");
    // An unquoted secret: Node's JSON.parse quotes the text around the error in its message. The
    // "x" prefix keeps the failure at the secret (a leading digit would parse as a number first).
    writeFileSync(broken, `{"accessKeySecret": x${recipe.outputs.accessKeySecret}}`);
    const result = await h.run(["--outputs", broken]);
    expect([result.code, result.stderr.split("\n")[0]]).toEqual([
      2,
      `verify: --outputs ${broken}: not valid JSON — expected the object printed by pulumi stack output --json --show-secrets`,
    ]);
  });

  it('outputs printed without --show-secrets ("[secret]"): exit 2 saying so', async () => {
    const result = await h.run([
      "--outputs",
      h.writeOutputs({ ...recipe.outputs, accessKeySecret: "[secret]" }),
    ]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      'accessKeySecret is "[secret]": the outputs were printed without --show-secrets',
    );
  });
});

describe("formats", () => {
  it("--json prints one JSON document with verdicts, identity and expiry, and no secret", async () => {
    const result = await h.run(["--outputs", h.writeOutputs(recipe.outputs), "--json"]);
    const report = JSON.parse(result.stdout);
    expect(result.code).toBe(0);
    expect(report.checks.map((c: { name: string; verdict: string }) => `${c.name}:${c.verdict}`)).toEqual([
      "assume-role:pass",
      "caller-identity:pass",
      "vod-access:pass",
      "least-privilege:pass",
    ]);
    expect(report.identity.arn).toMatch(/^acs:ram::\d+:assumed-role\/vodrole\/vod-sts-verify-\d{8}T\d{6}Z$/);
    expect(report.temporaryAccessKeyId).toMatch(/^STS\./);
    expect(Date.parse(report.expiration)).toBeGreaterThan(Date.now());
  });

  it("appends a Markdown table to $GITHUB_STEP_SUMMARY", async () => {
    const summary = join(mkdtempSync(join(tmpdir(), "summary-")), "summary.md");
    writeFileSync(summary, "earlier step\n");
    const result = await h.run(["--outputs", h.writeOutputs(recipe.outputs)], {
      env: { GITHUB_STEP_SUMMARY: summary },
    });
    const lines = readFileSync(summary, "utf8").split("\n");
    expect(result.code).toBe(0);
    expect(lines.slice(0, 2)).toEqual(["earlier step", "### ✅ STS chain verified"]);
    expect(lines.slice(5, 8)).toEqual([
      "| verdict | check | duration | detail |",
      "|---|---|---|---|",
      expect.stringMatching(
        /^\| ✔ pass \| `assume-role` \| \d+ ms \| STS\.\w+ for acs:ram::/,
      ) as unknown as string,
    ]);
    assertNoSecret(lines.join("\n"), h.secrets);
  });

  it("--show-secrets prints the temporary credentials as export lines", async () => {
    const result = await h.run(["--outputs", h.writeOutputs(recipe.outputs), "--show-secrets"], {
      allowSecrets: true,
    });
    const exports = result.stdout.trimEnd().split("\n").slice(-3);
    const stsSecrets = [...h.secrets].filter((s) => !s.startsWith("CAIS"));
    const token = [...h.secrets].find((s) => s.startsWith("CAIS"));
    expect(result.code).toBe(0);
    expect(exports[0]).toMatch(/^export ALIBABA_CLOUD_ACCESS_KEY_ID=STS\.\w+$/);
    expect(stsSecrets).toContain(exports[1].replace("export ALIBABA_CLOUD_ACCESS_KEY_SECRET=", ""));
    expect(exports[2]).toBe(`export ALIBABA_CLOUD_SECURITY_TOKEN=${token}`);
    // Only the temporary credentials: the user's permanent secret stays hidden.
    expect(result.stdout).not.toContain(recipe.outputs.accessKeySecret);
  });
});

describe("the real process", () => {
  function spawnVerify(argv: string[]): Promise<CliRunResult> {
    return new Promise((resolvePromise, reject) => {
      const child = spawn(join(ROOT, "node_modules/.bin/tsx"), ["verify/cli.ts", ...argv], {
        cwd: ROOT,
        env: { PATH: process.env.PATH, HOME: process.env.HOME },
        stdio: ["ignore", "pipe", "pipe"],
        timeout: 20_000,
      });
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
      child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
      child.on("error", reject);
      child.on("close", (code) => {
        transcripts.push(stdout, stderr);
        resolvePromise({ code, stdout, stderr });
      });
    });
  }
  interface CliRunResult {
    code: number | null;
    stdout: string;
    stderr: string;
  }

  it("npx tsx verify/cli.ts exits 0 on the recipe and prints the four lines", async () => {
    const result = await spawnVerify([
      "--outputs",
      h.writeOutputs(recipe.outputs),
      "--endpoint",
      h.endpoint,
      "--protocol",
      "http",
    ]);
    expect(result.code).toBe(0);
    expectAllPassed(result.stdout);
    assertNoSecret(result.stdout + result.stderr, h.secrets);
  });

  it("loading verify/index.ts loads no @pulumi module (start-up cost)", async () => {
    const probe =
      "require('./verify'); const loaded = Object.keys(require.cache).filter((k) => k.includes('@pulumi')); process.stdout.write(String(loaded.length));";
    const pulumiModules = await new Promise<string>((resolvePromise, reject) => {
      const child = spawn(process.execPath, ["-r", "tsx/cjs", "-e", probe], {
        cwd: ROOT,
        stdio: ["ignore", "pipe", "inherit"],
        timeout: 20_000,
      });
      let out = "";
      child.stdout.on("data", (d: Buffer) => (out += d.toString()));
      child.on("error", reject);
      child.on("close", () => resolvePromise(out));
    });
    expect(pulumiModules).toBe("0");
  });

  it("npx tsx verify/cli.ts exits 2 on an unknown flag, without a stack trace", async () => {
    const result = await spawnVerify(["--nope"]);
    expect(result.code).toBe(2);
    expect(result.stderr.split("\n")[0]).toMatch(/^verify: unknown flag --nope; allowed: /);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });
});

afterAll(() => {
  // Every run above already asserted this for its own output; this re-checks the whole file's
  // transcript against every secret any run knew.
  assertNoSecret(transcripts.join("\n"), seenSecrets);
});
