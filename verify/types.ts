/** The checks verify runs, in order (DESIGN.md, "verify"). */
export const CHECK_NAMES = ["assume-role", "caller-identity", "vod-access", "least-privilege"] as const;
export type CheckName = (typeof CHECK_NAMES)[number];

export type Verdict = "pass" | "fail" | "skip";

/**
 * What verify needs from the stack outputs (infra/stackOutputs.ts): the user's permanent key, the
 * role, and where they live. `userName` is unknown when the key comes from the environment.
 */
export interface VerifyTarget {
  accountId: string;
  userName?: string;
  accessKeyId: string;
  accessKeySecret: string;
  roleName: string;
  roleArn: string;
  region: string;
  /** `account`, or the resource group ID the role's permissions are scoped to. */
  rolePolicyScope: string;
}

/** Hosts (`host` or `host:port`, no scheme) for each product, and the protocol for all of them. */
export interface Endpoints {
  sts: string;
  vod: string;
  ram: string;
  protocol: "http" | "https";
}

export interface Clock {
  now: () => number;
  sleep: (ms: number) => Promise<void>;
  /** A number in [0, 1): the jitter source. */
  random: () => number;
}

export interface VerifyOptions {
  outputs: VerifyTarget;
  endpoints: Endpoints;
  sessionName: string;
  durationSeconds: number;
  /** A session policy document (JSON text) that narrows the role's permissions. */
  policy?: string;
  externalId?: string;
  /** The overall deadline, from the start of the run, for errors that can heal (propagation, throttling, faults). */
  timeoutMs: number;
  skip: CheckName[];
  /** Upper bound of one HTTP call (connect and read); the remaining deadline lowers it. Default 5000. */
  requestTimeoutMs?: number;
  /** Injected for tests; defaults to the real clock, `setTimeout` and `Math.random`. */
  clock?: Clock;
}

export interface CheckResult {
  name: CheckName;
  verdict: Verdict;
  durationMs: number;
  /** Calls made, retries included (0 when skipped). */
  attempts: number;
  /** Pass: what was proven. Fail: cause and fix. Skip: the reason. Never holds a secret. */
  message: string;
  /** The Alibaba error code behind a failure. */
  code?: string;
  requestId?: string;
}

/** The temporary credentials AssumeRole returned; only `--show-secrets` prints them. */
export interface TemporaryCredentials {
  accessKeyId: string;
  accessKeySecret: string;
  securityToken: string;
  expiration: string;
}

export interface AssumedIdentity {
  /** `acs:ram::<uid>:assumed-role/<role>/<session>` from GetCallerIdentity, else the AssumeRole ARN. */
  arn: string;
  accountId: string;
  assumedRoleId?: string;
}

export interface VerifyReport {
  ok: boolean;
  roleArn: string;
  accountId: string;
  region: string;
  sessionName: string;
  checks: CheckResult[];
  identity?: AssumedIdentity;
  /** Expiry of the temporary credentials (ISO 8601, UTC). */
  expiration?: string;
  /** The temporary AccessKey ID (`STS.…`): not a secret, useful to find the session in ActionTrail. */
  temporaryAccessKeyId?: string;
  startedAt: string;
  durationMs: number;
  /**
   * Not enumerable, so JSON.stringify and spreading never carry it; read it only to print
   * `--show-secrets` export lines.
   */
  readonly temporaryCredentials?: TemporaryCredentials;
  /** Every secret value this run knew, for masking; not enumerable. */
  readonly secrets: readonly string[];
}
