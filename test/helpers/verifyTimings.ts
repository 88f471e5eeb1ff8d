// Figures for the verify report (issue 4), measured side by side in one run against one emulator:
//   1. wall time of `tsx verify/cli.ts` (a successful run) vs `tsx test/helpers/verifyBaseline.ts`
//      (one AssumeRole, same SDK), alternated, medians and the ratio;
//   2. how long verify takes to notice a key that becomes valid 5 s after it is created.
// Usage: npx tsx test/helpers/verifyTimings.ts [RUNS]
import { spawn } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { startEmulator } from "../../emulator";
import { runChecks } from "../../verify/run";
import { setUpRecipe } from "./recipeFixture";

const ROOT = resolve(__dirname, "../..");
const TSX = join(ROOT, "node_modules/.bin/tsx");

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

// Asynchronous on purpose: the emulator runs in this process and must keep answering.
function timeRun(args: string[]): Promise<number> {
  return new Promise((resolvePromise, reject) => {
    const start = process.hrtime.bigint();
    const child = spawn(TSX, args, { cwd: ROOT, stdio: ["ignore", "ignore", "pipe"], timeout: 60_000 });
    let stderr = "";
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", reject);
    child.on("close", (code) => {
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      if (code !== 0) reject(new Error(`${args[0]} exited ${code}: ${stderr}`));
      else resolvePromise(ms);
    });
  });
}

async function startUpRatio(runs: number): Promise<void> {
  const emulator = await startEmulator({ faults: { assumeRoleQuotaPerSecond: 0 } });
  try {
    const { outputs } = await setUpRecipe(emulator);
    const file = join(mkdtempSync(join(tmpdir(), "verify-timings-")), "outputs.json");
    writeFileSync(file, JSON.stringify(outputs));
    const verifyArgs = [
      "verify/cli.ts",
      "--outputs",
      file,
      "--endpoint",
      emulator.endpoint,
      "--protocol",
      "http",
    ];
    const baselineArgs = ["test/helpers/verifyBaseline.ts", file, emulator.endpoint];
    // One warm-up each: tsx's transform cache, the OS file cache.
    await timeRun(verifyArgs);
    await timeRun(baselineArgs);
    const verifyMs: number[] = [];
    const baselineMs: number[] = [];
    for (let i = 0; i < runs; i++) {
      verifyMs.push(await timeRun(verifyArgs));
      baselineMs.push(await timeRun(baselineArgs));
    }
    const v = median(verifyMs);
    const b = median(baselineMs);
    console.log(
      `verify (4 checks, 5 calls):   median ${v.toFixed(0)} ms over ${runs} runs [${verifyMs.map((x) => x.toFixed(0)).join(", ")}]`,
    );
    console.log(
      `baseline (1 AssumeRole call): median ${b.toFixed(0)} ms over ${runs} runs [${baselineMs.map((x) => x.toFixed(0)).join(", ")}]`,
    );
    console.log(`ratio verify/baseline: ${(v / b).toFixed(2)} (budget 1.5)`);
  } finally {
    await emulator.close();
  }
}

async function propagationNotice(delayMs: number): Promise<void> {
  const emulator = await startEmulator({ faults: { propagationDelayMs: delayMs } });
  try {
    const { outputs } = await setUpRecipe(emulator);
    const key = emulator.state.getAccessKey(outputs.accessKeyId)!;
    // The chain works once its last piece (key, role, attachments) is effective.
    const chainValidAt = Math.max(
      key.effectiveAt,
      emulator.state.getRole(outputs.roleName)!.effectiveAt,
      ...emulator.state.listAttachments().map((a) => a.effectiveAt),
    );
    let passedAt = 0;
    const report = await runChecks(
      {
        outputs,
        endpoints: {
          sts: emulator.endpoint,
          vod: emulator.endpoint,
          ram: emulator.endpoint,
          protocol: "http",
        },
        sessionName: "timing",
        durationSeconds: 900,
        timeoutMs: 30_000,
        skip: [],
      },
      { onCheckEnd: (r) => (r.name === "assume-role" ? (passedAt = Date.now()) : undefined) },
    );
    const assume = report.checks[0];
    console.log(
      `key valid ${delayMs} ms after creation: assume-role ${assume.verdict} after ${assume.attempts} attempts, ` +
        `${passedAt - chainValidAt} ms after the chain became valid (${passedAt - key.effectiveAt} ms after the key did); ` +
        `whole run ${report.ok ? "passed" : "failed"} in ${report.durationMs} ms`,
    );
  } finally {
    await emulator.close();
  }
}

async function main(): Promise<void> {
  const runs = Number(process.argv[2] ?? 7);
  await startUpRatio(runs);
  for (let i = 0; i < 3; i++) await propagationNotice(5000);
}

void main();
