/**
 * One `pulumi up` of the infra/ program into an emulator: the mock runtime drives the program,
 * EmulatorProvider realises each resource, and what an earlier deploy created but this one no
 * longer declares is deleted. Used by `npm run local` and by the end-to-end tests.
 */
import type { Emulator } from "../emulator";
import { EmulatorProvider, type ResourceRecord } from "./provider";
import { runProgram, type ProgramRun } from "./program";
import type { StackConfig } from "./stackConfig";

export interface Deployment extends ProgramRun {
  /** Every resource the stack now holds, in registration order: the input of the next deploy. */
  resources: ResourceRecord[];
  /** What this deploy deleted. */
  deleted: ResourceRecord[];
}

export class DeployError extends Error {
  override name = "DeployError";
}

export async function deployToEmulator(
  emulator: Pick<Emulator, "endpoint" | "rootCredentials">,
  stack: string,
  stackConfig: StackConfig,
  previous: readonly ResourceRecord[] = [],
  load?: () => Promise<Record<string, unknown>>,
): Promise<Deployment> {
  const provider = new EmulatorProvider(
    { endpoint: emulator.endpoint, ...emulator.rootCredentials },
    previous,
  );
  const run = await runProgram({
    project: stackConfig.project,
    stack,
    config: stackConfig.values,
    mocks: provider,
    ...(load ? { load } : {}),
  });
  // The runtime reports a failed hook only as a log line: surface the hook's own error.
  if (provider.failures.length > 0) {
    throw new DeployError(provider.failures.map((failure) => failure.message).join("\n"));
  }
  const deleted = await provider.deleteUndeclared();
  return { ...run, resources: provider.created, deleted };
}
