// A local Alibaba Cloud (RAM, STS, VOD, ResourceManager subset) on 127.0.0.1 speaking the real
// wire protocol — see emulator/README.md and DESIGN.md "emulator".
import type { AddressInfo } from "node:net";
import { NonceCache } from "./auth/nonces";
import type { EmulatorContext } from "./context";
import { RateWindow, resolveFaults, type FaultSettings } from "./faults";
import { VideoStore } from "./handlers/vod/videos";
import { newAccountId } from "./ids";
import { createEmulatorServer } from "./server";
import { SessionIssuer } from "./sessions";
import { EmulatorState } from "./state";

export type { FaultSettings } from "./faults";
export { DEFAULT_FAULTS } from "./faults";
export { EmulatorState } from "./state";
export type { AccessKeyRecord, AttachmentRecord, CustomPolicyRecord, RoleRecord, UserRecord } from "./state";

export interface EmulatorOptions {
  /** TCP port on 127.0.0.1; 0 (default) picks a free one. */
  port?: number;
  /** The account (UID): 16 digits. Random by default. */
  accountId?: string;
  /** Region used in VOD resource ARNs and upload addresses. Default "cn-shanghai". */
  region?: string;
  /** Initial fault settings; the returned `faults` object stays mutable. */
  faults?: Partial<FaultSettings>;
  /** Nonces remembered for replay detection (default 200 000; see auth/nonces.ts). */
  nonceCapacity?: number;
}

export interface Emulator {
  /** "127.0.0.1:<port>" — what the SDKs take as `endpoint` with `protocol: 'http'`. */
  endpoint: string;
  accountId: string;
  /** The account's root AccessKey (a local fake key). */
  rootCredentials: { accessKeyId: string; accessKeySecret: string };
  state: EmulatorState;
  faults: FaultSettings;
  close(): Promise<void>;
}

function validateOptions(options: EmulatorOptions): string[] {
  const problems: string[] = [];
  const { port, accountId, region, nonceCapacity } = options;
  if (port !== undefined && (!Number.isInteger(port) || port < 0 || port > 65535)) {
    problems.push(`port is ${JSON.stringify(port)}; allowed: an integer 0..65535`);
  }
  if (accountId !== undefined && !/^[1-9]\d{15}$/.test(accountId)) {
    problems.push(`accountId is ${JSON.stringify(accountId)}; allowed: 16 digits not starting with 0`);
  }
  if (region !== undefined && !/^[a-z]{2,}(-[a-z0-9]+)+$/.test(region)) {
    problems.push(`region is ${JSON.stringify(region)}; allowed: a region ID such as cn-shanghai`);
  }
  if (nonceCapacity !== undefined && (!Number.isInteger(nonceCapacity) || nonceCapacity < 1)) {
    problems.push(`nonceCapacity is ${JSON.stringify(nonceCapacity)}; allowed: an integer >= 1`);
  }
  return problems;
}

export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const problems = validateOptions(options);
  let faults: FaultSettings;
  try {
    faults = resolveFaults(options.faults);
  } catch (error) {
    problems.push((error as Error).message);
    faults = resolveFaults(undefined);
  }
  if (problems.length > 0) throw new Error(`Invalid emulator options: ${problems.join("; ")}`);

  const state = new EmulatorState(options.accountId ?? newAccountId());
  const rootKey = state.addAccessKey(undefined, Date.now(), 0);
  const ctx: EmulatorContext = {
    state,
    faults,
    sessions: new SessionIssuer(),
    nonces: new NonceCache(options.nonceCapacity ?? 200_000),
    region: options.region ?? "cn-shanghai",
    assumeRoleWindow: new RateWindow(),
    videos: new VideoStore(10_000),
  };
  const { server, close } = createEmulatorServer(ctx);
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `127.0.0.1:${port}`,
    accountId: state.accountId,
    rootCredentials: { accessKeyId: rootKey.accessKeyId, accessKeySecret: rootKey.accessKeySecret },
    state,
    faults,
    close,
  };
}
