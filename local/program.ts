/**
 * Runs the real infra/ program under Pulumi's mock runtime. Shared by the tests and by
 * `npm run local`: the mocks decide whether resources are recorded or realised in the emulator.
 * Sequence checked on Node 20 with @pulumi/pulumi 3.248.0 (DESIGN.md, "Notes that save time").
 */
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";

export const PROGRAM_PATH = path.resolve(__dirname, "..", "infra", "index");

export interface ProgramRun {
  /** Every stack output, resolved. */
  outputs: Record<string, unknown>;
  /** Names of the outputs that are Pulumi secrets. */
  secretOutputs: Set<string>;
}

export interface RunProgramOptions {
  project: string;
  stack: string;
  config: Record<string, string>;
  mocks: pulumi.runtime.Mocks;
  /** Loads the program module; tests pass their own loader so the module registry can be reset. */
  load?: () => Promise<Record<string, unknown>>;
}

/** Resolves an Output without the runtime's preview unknowns (mock runs are never previews). */
const resolveOutput = (output: pulumi.Output<unknown>): Promise<unknown> =>
  new Promise((resolve) => {
    output.apply((value) => {
      resolve(value);
      return value;
    });
  });

export async function runProgram(options: RunProgramOptions): Promise<ProgramRun> {
  pulumi.runtime.setAllConfig(options.config);
  await pulumi.runtime.setMocks(options.mocks, options.project, options.stack, false);
  const program = await (options.load ?? (() => import(PROGRAM_PATH) as Promise<Record<string, unknown>>))();
  // Returns once every resource registration (and each mock call behind it) has finished.
  await pulumi.runtime.disconnect();

  const outputs: Record<string, unknown> = {};
  const secretOutputs = new Set<string>();
  for (const [name, value] of Object.entries(program)) {
    if (pulumi.Output.isInstance(value)) {
      const resolved = await resolveOutput(value);
      if (resolved === undefined) continue;
      outputs[name] = resolved;
      if (await pulumi.isSecret(value)) secretOutputs.add(name);
    } else if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") {
      outputs[name] = value;
    }
  }
  return { outputs, secretOutputs };
}
