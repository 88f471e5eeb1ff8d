import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import {
  ephemeralRamNames,
  ephemeralStackName,
  isExecutableOnPath,
  missingIntegrationPrerequisites,
  skipReason,
} from "./prerequisites";

const ready = {
  VOD_STS_INTEGRATION: "1",
  ALIBABA_CLOUD_ACCESS_KEY_ID: "LTAI-deployer",
  ALIBABA_CLOUD_ACCESS_KEY_SECRET: "deployer-secret",
};

describe("integration test prerequisites", () => {
  it("an empty environment without the CLI names all four missing things, in order", () => {
    expect(missingIntegrationPrerequisites({}, false)).toEqual([
      "VOD_STS_INTEGRATION is not 1 (opt-in: the test creates real RAM resources)",
      "pulumi CLI not on PATH",
      "ALIBABA_CLOUD_ACCESS_KEY_ID not set",
      "ALIBABA_CLOUD_ACCESS_KEY_SECRET not set",
    ]);
  });

  it("opted in, with the CLI and both deployer key variables, nothing is missing", () => {
    expect(missingIntegrationPrerequisites(ready, true)).toEqual([]);
  });

  it.each([
    [
      { ...ready, VOD_STS_INTEGRATION: "true" },
      true,
      ["VOD_STS_INTEGRATION is not 1 (opt-in: the test creates real RAM resources)"],
    ],
    [{ ...ready, ALIBABA_CLOUD_ACCESS_KEY_SECRET: "" }, true, ["ALIBABA_CLOUD_ACCESS_KEY_SECRET not set"]],
    [ready, false, ["pulumi CLI not on PATH"]],
  ] as const)("%j with the CLI on PATH=%s is missing %j", (env, onPath, expected) => {
    expect(missingIntegrationPrerequisites(env, onPath)).toEqual(expected);
  });

  it("the skip reason lists what is missing after `skipped:`", () => {
    expect(skipReason(["pulumi CLI not on PATH", "ALIBABA_CLOUD_ACCESS_KEY_ID not set"])).toBe(
      "skipped: pulumi CLI not on PATH; ALIBABA_CLOUD_ACCESS_KEY_ID not set",
    );
  });
});

describe("finding the pulumi CLI on PATH", () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), "vod-sts-path-"));
  writeFileSync(path.join(dir, "pulumi"), "#!/bin/sh\n");
  chmodSync(path.join(dir, "pulumi"), 0o755);
  writeFileSync(path.join(dir, "not-executable"), "#!/bin/sh\n");
  chmodSync(path.join(dir, "not-executable"), 0o644);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.each([
    ["pulumi", `/nonexistent${path.delimiter}${dir}`, true],
    ["pulumi", "/nonexistent", false],
    ["pulumi", "", false],
    ["not-executable", dir, false],
  ] as const)("%s on PATH %j → %s", (command, searchPath, expected) => {
    expect(isExecutableOnPath(command, searchPath, "linux")).toBe(expected);
  });
});

describe("ephemeral stack names", () => {
  it("are it-<UTC time to the second>-<6 hex digits>", () => {
    expect(ephemeralStackName(new Date(Date.UTC(2026, 11, 4, 15, 30, 7)), "a1b2c3")).toBe(
      "it-20261204153007-a1b2c3",
    );
  });

  it("refuse a random part that is not 6 lowercase hex digits", () => {
    expect(() => ephemeralStackName(new Date(0), "XYZ")).toThrowError(
      'randomHex must be 6 lowercase hex digits, got "XYZ"',
    );
  });

  it("give RAM names that never collide with the recipe's vod/vodrole and fit RAM's name rules", () => {
    const names = ephemeralRamNames("it-20261204153007-a1b2c3");
    expect(names).toEqual({
      userName: "it-20261204153007-a1b2c3-vod",
      roleName: "it-20261204153007-a1b2c3-vodrole",
    });
    expect(names.userName).toMatch(/^[A-Za-z0-9._-]{1,64}$/);
    expect(names.roleName).toMatch(/^[A-Za-z0-9.-]{1,64}$/);
  });
});
