// Everything one emulator instance holds, handed to authentication, authorization and handlers.
import type { NonceCache } from "./auth/nonces";
import type { FaultSettings, RateWindow } from "./faults";
import type { SessionIssuer, StsSession } from "./sessions";
import type { EmulatorState, UserRecord } from "./state";
import type { VideoStore } from "./handlers/vod/videos";

export interface EmulatorContext {
  state: EmulatorState;
  faults: FaultSettings;
  sessions: SessionIssuer;
  nonces: NonceCache;
  region: string;
  assumeRoleWindow: RateWindow;
  videos: VideoStore;
}

/** Who signed the request. */
export type Caller =
  | { kind: "Account"; accountId: string; accessKeyId: string }
  | { kind: "RAMUser"; accountId: string; accessKeyId: string; user: UserRecord }
  | { kind: "AssumedRoleUser"; accountId: string; accessKeyId: string; session: StsSession };
