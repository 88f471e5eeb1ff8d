/**
 * Runs infra/ under the mock runtime with a strict, recording mock (STYLE.md, "Mock tests that
 * check what is sent"): every registered resource is recorded with the inputs the provider would
 * receive, and any invoke other than getCallerIdentity fails the run.
 */
import * as pulumi from "@pulumi/pulumi";
import { vi } from "vitest";
import { runProgram, type ProgramRun } from "../../local/program";
import { loadStackConfig } from "../../local/stackConfig";

export const TEST_ACCOUNT_ID = "1234567890123456";

export interface RecordedResource {
  type: string;
  name: string;
  inputs: Record<string, any>;
  id: string;
}

export interface MockRun extends ProgramRun {
  resources: RecordedResource[];
  /** The alicloud resources of one type, in registration order. */
  ofType(type: string): RecordedResource[];
}

/** Provider-like answers: ids and computed outputs the real provider would return. */
function providerState(
  type: string,
  name: string,
  inputs: Record<string, any>,
): { id: string; state: Record<string, any> } {
  switch (type) {
    case "alicloud:ram/user:User":
      return { id: `2${name.length}0000000000000`, state: { ...inputs } };
    case "alicloud:ram/accessKey:AccessKey":
      return inputs.pgpKey
        ? {
            id: `LTAI5tMOCK${name.length}KEY`,
            state: {
              ...inputs,
              encryptedSecret: "wcBMA-encrypted",
              keyFingerprint: "ab:cd",
              status: "Active",
            },
          }
        : {
            id: `LTAI5tMOCK${name.length}KEY`,
            state: { ...inputs, secret: `mock-secret-of-${name}`, status: "Active" },
          };
    case "alicloud:ram/role:Role":
      return {
        id: inputs.roleName,
        state: {
          ...inputs,
          arn: `acs:ram::${TEST_ACCOUNT_ID}:role/${String(inputs.roleName).toLowerCase()}`,
          roleId: "300000000000000001",
        },
      };
    default:
      return { id: `${name}-id`, state: { ...inputs } };
  }
}

/**
 * One program run with the project's defaults, the dev stack's values and `overrides`
 * (`key=value`, as `npm run local -- --config` takes them). Rejects with the program's error.
 */
export async function runMockProgram(overrides: readonly string[] = []): Promise<MockRun> {
  const { project, values } = loadStackConfig("dev", overrides);
  const resources: RecordedResource[] = [];
  const mocks: pulumi.runtime.Mocks = {
    newResource(args) {
      const { id, state } = providerState(args.type, args.name, args.inputs);
      resources.push({ type: args.type, name: args.name, inputs: args.inputs, id });
      return { id, state };
    },
    call(args) {
      if (args.token === "alicloud:index/getCallerIdentity:getCallerIdentity") {
        return {
          accountId: TEST_ACCOUNT_ID,
          arn: `acs:ram::${TEST_ACCOUNT_ID}:root`,
          id: TEST_ACCOUNT_ID,
          identityType: "Account",
        };
      }
      throw new Error(`unexpected invoke ${args.token}`);
    },
  };
  vi.resetModules();
  const run = await runProgram({
    project,
    stack: "dev",
    config: values,
    mocks,
    load: () => import("../../infra/index"),
  });
  return { ...run, resources, ofType: (type) => resources.filter((r) => r.type === type) };
}

/** Runs a program expected to be refused; returns its error and what was registered anyway. */
export async function runRefusedProgram(
  overrides: readonly string[],
): Promise<{ error: Error; resources: RecordedResource[] }> {
  const { project, values } = loadStackConfig("dev", overrides);
  const resources: RecordedResource[] = [];
  vi.resetModules();
  try {
    await runProgram({
      project,
      stack: "dev",
      config: values,
      mocks: {
        newResource(args) {
          resources.push({ type: args.type, name: args.name, inputs: args.inputs, id: "" });
          return { id: `${args.name}-id`, state: args.inputs };
        },
        call(args) {
          throw new Error(`unexpected invoke ${args.token}`);
        },
      },
      load: () => import("../../infra/index"),
    });
  } catch (error) {
    return { error: error as Error, resources };
  }
  throw new Error("the program was expected to be refused but ran");
}

export const parseJson = (text: unknown): unknown => JSON.parse(String(text));
