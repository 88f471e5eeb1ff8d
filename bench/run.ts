// `npm run bench -- [--only verify,propagation,local,throughput,memory] [--runs N]`
// Measures what users feel against the targets of issue 8, each figure side by side with its
// baseline in one run, every program in its own process, loopback only. Prints a line per figure
// and a Markdown table at the end (pasted into bench/RESULTS.md).
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { setUpRecipe, type EmulatorAccount } from "../test/helpers/recipeFixture";
import type { LoadResult } from "./loadGenerator";
import {
  childEnv,
  compileProject,
  cpuMs,
  rssMiB,
  runTimed,
  startServing,
  TSX,
  type Served,
} from "./processes";
import { median, round } from "./stats";

const SECTIONS = ["verify", "propagation", "local", "throughput", "memory"] as const;
type Section = (typeof SECTIONS)[number];

interface Figure {
  section: Section;
  figure: string;
  value: string;
  target: string;
  met: boolean | undefined;
  command: string;
}

const figures: Figure[] = [];
function report(f: Figure): void {
  f.value = `${f.value} [load ${round(loadavg()[0] ?? 0, 1)}]`;
  figures.push(f);
  const verdict = f.met === undefined ? "" : f.met ? "  [target met]" : "  [target MISSED]";
  process.stdout.write(`${f.section.padEnd(11)} ${f.figure}: ${f.value} (target ${f.target})${verdict}\n`);
}

interface EmulatorLine {
  endpoint: string;
  accountId: string;
  accessKeyId: string;
  accessKeySecret: string;
}

/** Two cores: the emulator on CPU 0, its load generator on CPU 1 (when there are two to pin). */
const PIN = cpus().length >= 2;
const EMULATOR_CPU = PIN ? 0 : undefined;
const LOAD_CPU = PIN ? 1 : undefined;

async function startEmulatorProcess(flags: string[], cpu?: number): Promise<Served<EmulatorLine>> {
  return startServing<EmulatorLine>(TSX, ["emulator/cli.ts", ...flags], { timeoutMs: 20_000, cpu });
}

function account(line: EmulatorLine): EmulatorAccount {
  return {
    endpoint: line.endpoint,
    accountId: line.accountId,
    rootCredentials: { accessKeyId: line.accessKeyId, accessKeySecret: line.accessKeySecret },
  };
}

const workDir = mkdtempSync(join(tmpdir(), "vod-sts-bench-"));
const compiledDir = join(workDir, "compiled");
let compiled: Promise<void> | undefined;
/** The tsc build used for the precompiled figures, made once per bench run. */
function compiledBuild(): Promise<string> {
  compiled ??= compileProject(compiledDir);
  return compiled.then(() => compiledDir);
}
let files = 0;
function writeOutputs(outputs: object): string {
  const path = join(workDir, `outputs-${++files}.json`);
  writeFileSync(path, JSON.stringify(outputs), { mode: 0o600 });
  return path;
}

function expectExit(name: string, code: number | null, stderr: string): void {
  if (code !== 0) throw new Error(`${name} exited with ${code}: ${stderr.slice(0, 500)}`);
}

interface Launcher {
  label: string;
  command: string;
  /** Script path without extension → argv for `command`. */
  args: (script: string) => string[];
  cwd?: string;
}

const THROUGH_TSX: Launcher = { label: "through tsx", command: TSX, args: (script) => [`${script}.ts`] };
function precompiled(dir: string): Launcher {
  return {
    label: "precompiled (tsc, node)",
    command: process.execPath,
    args: (script) => [`${script}.js`],
    cwd: dir,
  };
}

/** Verify and the one-call script, launched the same way, interleaved; returns both medians. */
async function verifyPair(launcher: Launcher, common: string[], runs: number): Promise<void> {
  const verifyMs: number[] = [];
  const minimalMs: number[] = [];
  for (let i = 0; i < runs; i++) {
    // Alternate which goes first so neither always meets a warmer page cache.
    const order = i % 2 === 0 ? (["verify", "minimal"] as const) : (["minimal", "verify"] as const);
    for (const which of order) {
      const script = which === "verify" ? "verify/cli" : "bench/minimalAssumeRole";
      const run = await runTimed(launcher.command, [...launcher.args(script), ...common], {
        timeoutMs: 60_000,
        ...(launcher.cwd ? { cwd: launcher.cwd } : {}),
      });
      expectExit(`${which} ${launcher.label}`, run.code, run.stderr);
      (which === "verify" ? verifyMs : minimalMs).push(run.wallMs);
    }
  }
  const ratio = median(verifyMs) / median(minimalMs);
  const how = (script: string) =>
    [launcher === THROUGH_TSX ? "tsx" : "node", ...launcher.args(script)].join(" ");
  const build = launcher === THROUGH_TSX ? "" : " (in a tsc --outDir build)";
  report({
    section: "verify",
    figure: `${launcher.label}: verify median wall (${runs} runs)`,
    value: `${round(median(verifyMs), 0)} ms (all: ${verifyMs.map((v) => round(v, 0)).join(", ")})`,
    target: "-",
    met: undefined,
    command: `${how("verify/cli")} --outputs FILE --endpoint 127.0.0.1:N --protocol http${build}`,
  });
  report({
    section: "verify",
    figure: `${launcher.label}: minimal AssumeRole median wall (${runs} runs)`,
    value: `${round(median(minimalMs), 0)} ms (all: ${minimalMs.map((v) => round(v, 0)).join(", ")})`,
    target: "-",
    met: undefined,
    command: `${how("bench/minimalAssumeRole")} --outputs FILE --endpoint 127.0.0.1:N --protocol http${build}`,
  });
  report({
    section: "verify",
    figure: `${launcher.label}: wall ratio verify / minimal`,
    value: `${round(ratio)}`,
    target: "<= 1.5",
    met: ratio <= 1.5,
    command: "npm run bench -- --only verify",
  });
}

/** 1. verify (four checks) vs the one-call script against the same emulator: via tsx, then precompiled. */
async function benchVerify(runs: number): Promise<void> {
  const emulator = await startEmulatorProcess([]);
  try {
    const { outputs } = await setUpRecipe(account(emulator.info));
    const common = [
      "--outputs",
      writeOutputs(outputs),
      "--endpoint",
      emulator.info.endpoint,
      "--protocol",
      "http",
    ];
    await verifyPair(THROUGH_TSX, common, runs);
    await verifyPair(precompiled(await compiledBuild()), common, runs);
  } finally {
    await emulator.stop();
  }
}

/** 2. A recipe whose key, role and grants take D ms to take effect; verify started right after. */
async function benchPropagation(delays: number[], runsEach: number): Promise<void> {
  for (const delayMs of delays) {
    const lags: number[] = [];
    for (let i = 0; i < runsEach; i++) {
      const emulator = await startEmulatorProcess(["--propagation-delay", String(delayMs)]);
      try {
        const { outputs } = await setUpRecipe(account(emulator.info));
        const file = writeOutputs(outputs);
        const timeout = String(Math.ceil(delayMs / 1000) + 10);
        const run = await runTimed(
          TSX,
          [
            "verify/cli.ts",
            "--outputs",
            file,
            "--endpoint",
            emulator.info.endpoint,
            "--protocol",
            "http",
            "--timeout",
            timeout,
          ],
          { timeoutMs: delayMs + 60_000 },
        );
        expectExit("verify", run.code, run.stdout + run.stderr);
        lags.push(run.wallMs - delayMs);
      } finally {
        await emulator.stop();
      }
    }
    const lag = median(lags);
    report({
      section: "propagation",
      figure: `D = ${delayMs / 1000} s: verify wall − D, median of ${runsEach}`,
      value: `${round(lag, 0)} ms (all: ${lags.map((v) => round(v, 0)).join(", ")})`,
      target: "<= 1000 ms",
      met: lag <= 1000,
      command: `tsx emulator/cli.ts --propagation-delay ${delayMs}; recipe via RAM SDK; tsx verify/cli.ts --outputs FILE --endpoint … --protocol http --timeout ${Math.ceil(delayMs / 1000) + 10}`,
    });
  }
}

/** 3. `npm run local` end to end, as a user types it; then the same program precompiled. */
async function benchLocal(runs: number): Promise<void> {
  const variants: { label: string; command: string; args: string[]; cwd?: string; target: boolean }[] = [
    { label: "npm run local", command: "npm", args: ["run", "-s", "local"], target: true },
    { label: "tsx local/run.ts (no npm)", command: TSX, args: ["local/run.ts"], target: false },
    {
      label: "node local/run.js (tsc output)",
      command: process.execPath,
      args: ["local/run.js"],
      cwd: await compiledBuild(),
      target: false,
    },
  ];
  const walls = variants.map(() => [] as number[]);
  for (let i = 0; i < runs; i++) {
    for (const [v, variant] of variants.entries()) {
      const run = await runTimed(variant.command, variant.args, {
        timeoutMs: 120_000,
        ...(variant.cwd ? { cwd: variant.cwd } : {}),
      });
      expectExit(variant.label, run.code, run.stdout + run.stderr);
      walls[v].push(run.wallMs);
    }
  }
  for (const [v, variant] of variants.entries()) {
    const m = median(walls[v]);
    report({
      section: "local",
      figure: `${variant.label} median wall (${runs} runs, interleaved)`,
      value: `${round(m, 0)} ms (all: ${walls[v].map((x) => round(x, 0)).join(", ")})`,
      target: variant.target ? "<= 3000 ms" : "-",
      met: variant.target ? m <= 3000 : undefined,
      command: variant.cwd
        ? `node local/run.js (in a tsc --outDir build)`
        : `${variant.label.split(" (")[0]}`,
    });
  }
}

async function runLoad(
  endpoint: string,
  key: { accessKeyId: string; accessKeySecret: string },
  roleArn: string,
  shape: string[],
  serverPid?: number,
): Promise<LoadResult & { serverCpuMsPerRequest?: number }> {
  const cpuBefore = serverPid === undefined ? 0 : cpuMs(serverPid);
  const run = await runTimed(
    TSX,
    [
      "bench/loadGenerator.ts",
      "--endpoint",
      endpoint,
      "--key-id",
      key.accessKeyId,
      "--role-arn",
      roleArn,
      "--concurrency",
      "32",
      ...shape,
    ],
    { timeoutMs: 240_000, cpu: LOAD_CPU, env: childEnv({ BENCH_ACCESS_KEY_SECRET: key.accessKeySecret }) },
  );
  expectExit("loadGenerator", run.code, run.stderr);
  const result = JSON.parse(run.stdout.trim()) as LoadResult;
  if (serverPid === undefined) return result;
  const total = result.warmupRequests + result.requests;
  return { ...result, serverCpuMsPerRequest: (cpuMs(serverPid) - cpuBefore) / total };
}

/** "0.25 ms CPU/request → 4000 req/s per dedicated core". */
function capacity(result: { serverCpuMsPerRequest?: number }): string {
  const perRequest = result.serverCpuMsPerRequest ?? Number.NaN;
  return `${round(perRequest, 3)} ms CPU/request → ${round(1000 / perRequest, 0)} req/s per dedicated core`;
}

type Measured = Awaited<ReturnType<typeof runLoad>>;

/** The run with the median throughput (its latencies are the ones reported), and all rates. */
function medianRun(results: Measured[]): { run: Measured; rates: string } {
  const sorted = [...results].sort((a, b) => a.requestsPerSecond - b.requestsPerSecond);
  return {
    run: sorted[Math.floor(sorted.length / 2)],
    rates: results.map((r) => r.requestsPerSecond).join(", "),
  };
}

/**
 * 4. Signed AssumeRole, quota off, 32 SDK clients, against the emulator and against a bare
 * node:http server, in interleaved rounds (the build machine is shared: a round can lose its core
 * to another tenant, so the median of three is reported, and the server's CPU per request, which
 * other tenants do not distort). Then one round each with a lighter client.
 */
async function benchThroughput(rounds: number): Promise<void> {
  const shape = ["--warmup-ms", "2000", "--duration-ms", "10000"];
  const emulator = await startEmulatorProcess(["--assume-role-quota", "0"], EMULATOR_CPU);
  let bareServer: Served<{ endpoint: string }> | undefined;
  const emu: Measured[] = [];
  const bare: Measured[] = [];
  let emuRaw: Measured;
  let bareRaw: Measured;
  try {
    bareServer = await startServing<{ endpoint: string }>(TSX, ["bench/bareServer.ts"], {
      timeoutMs: 20_000,
      cpu: EMULATOR_CPU,
    });
    const { outputs } = await setUpRecipe(account(emulator.info));
    const key = { accessKeyId: outputs.accessKeyId, accessKeySecret: outputs.accessKeySecret };
    const load = (server: Served<{ endpoint: string }>, extra: string[] = []) =>
      runLoad(server.info.endpoint, key, outputs.roleArn, [...shape, ...extra], server.servingPid());
    for (let round = 0; round < rounds; round++) {
      emu.push(await load(emulator));
      bare.push(await load(bareServer));
    }
    emuRaw = await load(emulator, ["--client", "raw"]);
    bareRaw = await load(bareServer, ["--client", "raw"]);
  } finally {
    await emulator.stop();
    await bareServer?.stop();
  }
  const e = medianRun(emu);
  const b = medianRun(bare);
  const errors = emu.reduce((sum, r) => sum + r.errors, 0);
  const cpuPerRequest = (results: Measured[]) =>
    median(results.map((r) => r.serverCpuMsPerRequest ?? Number.NaN));
  const command = `npm run bench -- --only throughput (emulator: tsx emulator/cli.ts --assume-role-quota 0${PIN ? " on CPU 0" : ""}; load: tsx bench/loadGenerator.ts --concurrency 32 --warmup-ms 2000 --duration-ms 10000${PIN ? " on CPU 1" : ""})`;
  report({
    section: "throughput",
    figure: `emulator signed AssumeRole, 32 SDK clients, median of ${rounds} rounds`,
    value: `${e.run.requestsPerSecond} req/s (rounds: ${e.rates})`,
    target: ">= 1500 req/s",
    met: e.run.requestsPerSecond >= 1500,
    command,
  });
  report({
    section: "throughput",
    figure: "emulator latency p50 / p99 (median round)",
    value: `${e.run.p50Ms} ms / ${e.run.p99Ms} ms (p99 per round: ${emu.map((r) => r.p99Ms).join(", ")})`,
    target: "p99 <= 50 ms",
    met: e.run.p99Ms <= 50,
    command,
  });
  report({
    section: "throughput",
    figure: `emulator errors over ${emu.reduce((sum, r) => sum + r.requests + r.warmupRequests, 0)} requests`,
    value: `${errors}`,
    target: "0",
    met: errors === 0,
    command,
  });
  report({
    section: "throughput",
    figure: `bare node:http, same clients, median of ${rounds} rounds`,
    value: `${b.run.requestsPerSecond} req/s (rounds: ${b.rates}), p50 ${b.run.p50Ms} ms, p99 ${b.run.p99Ms} ms`,
    target: "-",
    met: undefined,
    command: command.replace(
      "emulator: tsx emulator/cli.ts --assume-role-quota 0",
      "server: tsx bench/bareServer.ts",
    ),
  });
  report({
    section: "throughput",
    figure: "throughput ratio emulator / bare (SDK clients, medians)",
    value: `${round(e.run.requestsPerSecond / b.run.requestsPerSecond)}`,
    target: "report",
    met: undefined,
    command: "npm run bench -- --only throughput",
  });
  report({
    section: "throughput",
    figure: "server CPU per request, median of rounds: emulator | bare",
    value: `${capacity({ serverCpuMsPerRequest: cpuPerRequest(emu) })} | ${capacity({ serverCpuMsPerRequest: cpuPerRequest(bare) })}`,
    target: "-",
    met: undefined,
    command:
      "utime+stime of the server's node process (/proc/<pid>/stat) over each load run, warm-up included",
  });
  report({
    section: "throughput",
    figure: "capacity ratio emulator / bare (from CPU per request)",
    value: `${round(cpuPerRequest(bare) / cpuPerRequest(emu))}`,
    target: "report",
    met: undefined,
    command: "npm run bench -- --only throughput",
  });
  report({
    section: "throughput",
    figure:
      "lighter client (minimal V3 signer, keep-alive node:http, 32 concurrent), one round: emulator | bare",
    value: `${emuRaw.requestsPerSecond} req/s, p99 ${emuRaw.p99Ms} ms, errors ${emuRaw.errors} | ${bareRaw.requestsPerSecond} req/s, p99 ${bareRaw.p99Ms} ms, errors ${bareRaw.errors} → ratio ${round(emuRaw.requestsPerSecond / bareRaw.requestsPerSecond)}`,
    target: "-",
    met: undefined,
    command: `${command} --client raw`,
  });
}

/** 5. Emulator RSS after a warm-up and after 100k more signed AssumeRole calls, read from /proc. */
async function benchMemory(): Promise<void> {
  const emulator = await startEmulatorProcess(["--assume-role-quota", "0"], EMULATOR_CPU);
  try {
    const { outputs } = await setUpRecipe(account(emulator.info));
    const key = { accessKeyId: outputs.accessKeyId, accessKeySecret: outputs.accessKeySecret };
    const pid = emulator.servingPid();
    const warm = await runLoad(emulator.info.endpoint, key, outputs.roleArn, ["--count", "5000"]);
    const before = rssMiB(pid);
    const load = await runLoad(emulator.info.endpoint, key, outputs.roleArn, ["--count", "100000"]);
    const after = rssMiB(pid);
    const growth = after - before;
    report({
      section: "memory",
      figure: "emulator VmRSS after 5k warm-up → after 100k more requests",
      value: `${round(before, 1)} MiB → ${round(after, 1)} MiB (growth ${round(growth, 1)} MiB; ${warm.errors + load.errors} errors)`,
      target: "growth <= 50 MB",
      met: growth <= 50 && warm.errors + load.errors === 0,
      command:
        "npm run bench -- --only memory (VmRSS of the emulator's node process from /proc/<pid>/status)",
    });
  } finally {
    await emulator.stop();
  }
}

/** A Markdown table cell: pipes escaped so "emulator | bare" stays in one cell. */
function cell(text: string): string {
  return text.replace(/\|/g, "\\|");
}

function markdownTable(): string {
  const rows = figures.map(
    (f) =>
      `| ${f.section} | ${cell(f.figure)} | ${cell(f.value)} | ${f.target} | ${f.met === undefined ? "" : f.met ? "met" : "**missed**"} | \`${cell(f.command)}\` |`,
  );
  return ["| section | figure | value | target | | command |", "|---|---|---|---|---|---|", ...rows].join(
    "\n",
  );
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    args: process.argv.slice(2),
    options: { only: { type: "string" }, runs: { type: "string" } },
    strict: true,
  });
  const only = values.only?.split(",").map((s) => s.trim()) ?? [...SECTIONS];
  const unknown = only.filter((s) => !(SECTIONS as readonly string[]).includes(s));
  if (unknown.length > 0) {
    process.stderr.write(
      `bench: --only ${unknown.join(",")} is not a section; allowed: ${SECTIONS.join(", ")}\n`,
    );
    process.exitCode = 2;
    return;
  }
  const runs = values.runs === undefined ? 7 : Number(values.runs);
  if (!Number.isInteger(runs) || runs < 1 || runs > 50) {
    process.stderr.write(`bench: --runs ${JSON.stringify(values.runs)}; allowed: a whole number 1..50\n`);
    process.exitCode = 2;
    return;
  }
  process.stdout.write(
    `vod-sts bench ${new Date().toISOString()} — node ${process.version}, nproc ${cpus().length}, ${cpus()[0]?.model ?? "unknown CPU"}${PIN ? ", emulator pinned to CPU 0, load to CPU 1" : ""}\n`,
  );
  try {
    if (only.includes("verify")) await benchVerify(runs);
    if (only.includes("propagation")) await benchPropagation([2000, 10_000], 3);
    if (only.includes("local")) await benchLocal(5);
    if (only.includes("throughput")) await benchThroughput(3);
    if (only.includes("memory")) await benchMemory();
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
  process.stdout.write(`\n${markdownTable()}\n`);
  if (figures.some((f) => f.met === false)) process.stdout.write("\nSome targets were missed (see above).\n");
}

main().catch((error: unknown) => {
  process.stderr.write(`bench: ${(error as Error).message}\n`);
  process.exitCode = 1;
});
