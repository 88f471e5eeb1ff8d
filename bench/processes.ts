// Child processes for the benchmarks: every measured program runs as its own process, as a user
// runs it, on 127.0.0.1 only, each with a hard time limit.
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { copyFileSync, existsSync, readdirSync, readFileSync, symlinkSync } from "node:fs";
import { join } from "node:path";
import { createInterface } from "node:readline";

export const ROOT = join(__dirname, "..");
/** The tsx launcher the npm scripts use (`tsx emulator/cli.ts`, `tsx verify/cli.ts`, …). */
export const TSX = join(ROOT, "node_modules", ".bin", "tsx");

/** Env for every child: no credential of the caller's, no colours, no metadata-service probe. */
export function childEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (/^(ALIBABA_CLOUD_|ALICLOUD_|ALIBABACLOUD_)/.test(name)) continue;
    env[name] = value;
  }
  return {
    ...env,
    NO_COLOR: "1",
    ALIBABA_CLOUD_ECS_METADATA_DISABLED: "true",
    ALIBABA_CLOUD_CLI_PROFILE_DISABLED: "true",
    ...extra,
  };
}

/** `taskset -c CPU` in front of a command when CPU pinning is asked for and available. */
export function pinned(cpu: number | undefined, command: string, args: string[]): [string, string[]] {
  return cpu === undefined ? [command, args] : ["taskset", ["-c", String(cpu), command, ...args]];
}

export interface Finished {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  wallMs: number;
}

/** Runs a command to completion; killed (and rejected) after `timeoutMs`. */
export function runTimed(
  command: string,
  args: string[],
  options: { timeoutMs: number; env?: NodeJS.ProcessEnv; cpu?: number; cwd?: string },
): Promise<Finished> {
  const [cmd, argv] = pinned(options.cpu, command, args);
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(cmd, argv, {
      cwd: options.cwd ?? ROOT,
      env: options.env ?? childEnv(),
      stdio: "pipe",
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString("utf8")));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`${command} ${args.join(" ")} ran longer than ${options.timeoutMs} ms`));
    }, options.timeoutMs);
    child.on("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
      resolve({ code, signal, stdout, stderr, wallMs });
    });
  });
}

/** A long-running child that printed one JSON line on start (emulator CLI, bare server). */
export interface Served<T> {
  info: T;
  child: ChildProcess;
  /** The pid of the process that serves (tsx runs the script in a child of its own). */
  servingPid(): number;
  stop(): Promise<void>;
}

export function startServing<T>(
  command: string,
  args: string[],
  options: { timeoutMs: number; cpu?: number; env?: NodeJS.ProcessEnv },
): Promise<Served<T>> {
  const [cmd, argv] = pinned(options.cpu, command, args);
  const child = spawn(cmd, argv, {
    cwd: ROOT,
    env: options.env ?? childEnv(),
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
  const stop = (): Promise<void> =>
    new Promise((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      const killer = setTimeout(() => child.kill("SIGKILL"), 5000);
      child.once("close", () => {
        clearTimeout(killer);
        resolve();
      });
      child.kill("SIGTERM");
    });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      void stop();
      reject(new Error(`${command} ${args.join(" ")} printed nothing in ${options.timeoutMs} ms: ${stderr}`));
    }, options.timeoutMs);
    child.once("close", (code) => {
      clearTimeout(timer);
      reject(new Error(`${command} ${args.join(" ")} exited with ${code} before serving: ${stderr}`));
    });
    const lines = createInterface({ input: child.stdout });
    lines.once("line", (line) => {
      clearTimeout(timer);
      child.removeAllListeners("close");
      resolve({
        info: JSON.parse(line) as T,
        child,
        servingPid: () => servingPid(child.pid!),
        stop,
      });
    });
  });
}

/**
 * tsx (and taskset) start the script in a descendant process: the deepest `node` below `pid` is
 * the one that serves, whose memory the memory benchmark reads.
 */
export function servingPid(pid: number): number {
  let current = pid;
  for (let depth = 0; depth < 5; depth++) {
    const children = childPids(current);
    if (children.length === 0) return current;
    current = children[children.length - 1]!;
  }
  return current;
}

function childPids(pid: number): number[] {
  try {
    const text = readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").trim();
    return text === "" ? [] : text.split(/\s+/).map(Number);
  } catch {
    return [];
  }
}

/** VmRSS of a process in MiB, read from /proc (Linux). */
export function rssMiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const match = /^VmRSS:\s+(\d+) kB$/m.exec(status);
  if (!match) throw new Error(`no VmRSS in /proc/${pid}/status`);
  return Number(match[1]) / 1024;
}

/**
 * The project compiled with tsc into a scratch directory (node_modules linked, the stack config
 * copied), so a figure can be taken without tsx: no esbuild transform, no source-map handling,
 * no launcher process. Type errors do not stop the emit.
 */
export async function compileProject(outDir: string): Promise<void> {
  const tsc = join(ROOT, "node_modules", ".bin", "tsc");
  const run = await runTimed(
    tsc,
    ["-p", "tsconfig.json", "--outDir", outDir, "--noEmit", "false", "--sourceMap", "false"],
    { timeoutMs: 300_000 },
  );
  if (!existsSync(join(outDir, "verify", "cli.js")) || !existsSync(join(outDir, "local", "run.js"))) {
    throw new Error(`tsc emitted no verify/cli.js or local/run.js: ${run.stdout.slice(0, 500)}`);
  }
  symlinkSync(join(ROOT, "node_modules"), join(outDir, "node_modules"), "dir");
  for (const name of readdirSync(ROOT)) {
    if (/^Pulumi(\..+)?\.yaml$/.test(name)) copyFileSync(join(ROOT, name), join(outDir, name));
  }
}

let clockTicks: number | undefined;

/**
 * CPU time (user + system) a process has used, in ms, from /proc/<pid>/stat. On a shared machine
 * this is the figure other tenants do not distort: requests per CPU-second is the capacity the
 * process would have on a core of its own.
 */
export function cpuMs(pid: number): number {
  clockTicks ??= Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  // Fields after the command name, which is in parentheses and may hold spaces.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  return ((utime + stime) * 1000) / clockTicks;
}
