import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { parse } from "yaml";

/** The parts of a GitHub Actions workflow the contract tests read. */
export interface WorkflowStep {
  id?: string;
  name?: string;
  uses?: string;
  run?: string;
  if?: string;
  with?: Record<string, unknown>;
  env?: Record<string, string>;
  "continue-on-error"?: boolean | string;
}

export interface WorkflowJob {
  name?: string;
  needs?: string | string[];
  permissions?: Record<string, string>;
  concurrency?: { group: string; "cancel-in-progress"?: boolean };
  strategy?: { matrix?: Record<string, unknown> };
  env?: Record<string, string>;
  steps: WorkflowStep[];
}

export interface Workflow {
  name: string;
  on: Record<string, unknown>;
  permissions?: Record<string, string>;
  env?: Record<string, string>;
  jobs: Record<string, WorkflowJob>;
}

export interface WorkflowFile {
  /** File name inside .github/workflows, e.g. `deploy.yml`. */
  file: string;
  text: string;
  workflow: Workflow;
}

export const repoRoot = path.resolve(__dirname, "../..");
export const workflowDir = path.join(repoRoot, ".github", "workflows");

export function loadWorkflows(): WorkflowFile[] {
  return readdirSync(workflowDir)
    .filter((file) => /\.ya?ml$/.test(file))
    .sort()
    .map((file) => {
      const text = readFileSync(path.join(workflowDir, file), "utf8");
      return { file, text, workflow: parse(text) as Workflow };
    });
}

export function workflowNamed(workflows: WorkflowFile[], file: string): Workflow {
  const found = workflows.find((w) => w.file === file);
  if (!found) throw new Error(`.github/workflows/${file} is missing`);
  return found.workflow;
}

/** A step together with where it lives, for messages that point at it. */
export interface LocatedStep {
  file: string;
  jobId: string;
  job: WorkflowJob;
  index: number;
  step: WorkflowStep;
}

export function allSteps(workflows: WorkflowFile[]): LocatedStep[] {
  return workflows.flatMap(({ file, workflow }) =>
    Object.entries(workflow.jobs).flatMap(([jobId, job]) =>
      job.steps.map((step, index) => ({ file, jobId, job, index, step })),
    ),
  );
}

export function describeStep({ file, jobId, index, step }: LocatedStep): string {
  return `${file} ${jobId}[${index}] ${step.id ?? step.name ?? step.uses ?? step.run ?? ""}`.trim();
}

/** npm built-ins that need no script; `test`/`start`/… are script shorthands and are checked. */
const NPM_BUILTINS = new Set(["ci", "install", "i", "exec", "pack", "publish", "audit", "version"]);
const NPM_SCRIPT_SHORTHANDS = new Set(["test", "start", "stop", "restart"]);

/**
 * The package.json scripts a shell line runs: `npm run X`, `npm run-script X`, `npm test`, …
 * Flags before the script name (`npm run -s X`) are skipped.
 */
export function npmScriptsCalled(run: string): string[] {
  const scripts: string[] = [];
  for (const match of run.matchAll(/(?:^|[\s;&|(])npm((?:[ \t]+[^\s;&|)]+)+)/g)) {
    const words = match[1].trim().split(/[ \t]+/);
    const [command, ...rest] = words;
    if (command === "run" || command === "run-script") {
      const script = rest.find((word) => !word.startsWith("-"));
      if (script) scripts.push(script);
    } else if (NPM_SCRIPT_SHORTHANDS.has(command)) {
      scripts.push(command);
    } else if (!NPM_BUILTINS.has(command)) {
      scripts.push(`<unknown npm command: ${command}>`);
    }
  }
  return scripts;
}

/** Every `steps.<id>.outputs.<name>` inside `${{ }}` expressions of a text. */
export function stepOutputReferences(text: string): Array<{ stepId: string; output: string }> {
  const refs: Array<{ stepId: string; output: string }> = [];
  for (const expression of text.matchAll(/\$\{\{([\s\S]*?)\}\}/g)) {
    for (const ref of expression[1].matchAll(/\bsteps\.([A-Za-z0-9_-]+)\.outputs\.([A-Za-z0-9_-]+)/g)) {
      refs.push({ stepId: ref[1], output: ref[2] });
    }
  }
  return refs;
}

/** Names a shell line removes from its environment with `env -u NAME`. */
export function namesUnsetByEnv(run: string): string[] {
  return [...run.matchAll(/(?:^|\s)-u\s+([A-Z_][A-Z0-9_]*)/g)].map((m) => m[1]).sort();
}
