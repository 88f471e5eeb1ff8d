// Flags of `npm run emulator` → EmulatorOptions. Every flag is described once, here.
import { parseArgs } from "node:util";
import type { EmulatorOptions } from "./index";
import type { FaultSettings } from "./faults";

interface FlagSpec {
  description: string;
  /** How the value is checked and where it goes. */
  kind: "count" | "port" | "text";
  apply: (options: EmulatorOptions, faults: Partial<FaultSettings>, value: number | string) => void;
  pattern?: RegExp;
  allowed?: string;
}

export const FLAGS: Record<string, FlagSpec> = {
  port: {
    description: "TCP port on 127.0.0.1 (0 = any free port; default 0)",
    kind: "port",
    apply: (o, _f, v) => (o.port = v as number),
  },
  "account-id": {
    description: "account UID, 16 digits (default: random)",
    kind: "text",
    pattern: /^[1-9]\d{15}$/,
    allowed: "16 digits not starting with 0",
    apply: (o, _f, v) => (o.accountId = v as string),
  },
  region: {
    description: "region for VOD ARNs and upload addresses (default cn-shanghai)",
    kind: "text",
    pattern: /^[a-z]{2,}(-[a-z0-9]+)+$/,
    allowed: "a region ID such as cn-shanghai",
    apply: (o, _f, v) => (o.region = v as string),
  },
  "propagation-delay": {
    description: "ms before new AccessKeys, roles and attachments take effect (default 0)",
    kind: "count",
    apply: (_o, f, v) => (f.propagationDelayMs = v as number),
  },
  "assume-role-quota": {
    description: "AssumeRole requests per second per account, 0 = unlimited (default 100)",
    kind: "count",
    apply: (_o, f, v) => (f.assumeRoleQuotaPerSecond = v as number),
  },
  "throttle-next": {
    description: "answer the next N requests with Throttling.User (default 0)",
    kind: "count",
    apply: (_o, f, v) => (f.throttleNext = v as number),
  },
  "throttle-action": {
    description: "throttle only this API action, e.g. AssumeRole",
    kind: "text",
    pattern: /^[A-Za-z]{1,64}$/,
    allowed: "an API action name such as AssumeRole",
    apply: (_o, f, v) => (f.throttleAction = v as string),
  },
  "throttle-retry-after": {
    description: "x-acs-retry-after value in ms on injected throttling (default 1000)",
    kind: "count",
    apply: (_o, f, v) => (f.throttleRetryAfterMs = v as number),
  },
  "server-error-next": {
    description: "answer the next N requests with a 5xx JSON error (default 0)",
    kind: "count",
    apply: (_o, f, v) => (f.serverErrorNext = v as number),
  },
  "server-error-code": {
    description: "InternalError (500) or ServiceUnavailable (503) (default InternalError)",
    kind: "text",
    pattern: /^(InternalError|ServiceUnavailable)$/,
    allowed: "InternalError or ServiceUnavailable",
    apply: (_o, f, v) => (f.serverErrorCode = v as FaultSettings["serverErrorCode"]),
  },
  "server-error-action": {
    description: "inject the 5xx only for this API action",
    kind: "text",
    pattern: /^[A-Za-z]{1,64}$/,
    allowed: "an API action name such as AssumeRole",
    apply: (_o, f, v) => (f.serverErrorAction = v as string),
  },
  latency: {
    description: "ms of delay before every response (default 0)",
    kind: "count",
    apply: (_o, f, v) => (f.latencyMs = v as number),
  },
  "gateway-error-next": {
    description: "answer the next N requests with a non-JSON 502 page (default 0)",
    kind: "count",
    apply: (_o, f, v) => (f.gatewayErrorNext = v as number),
  },
};

export class UsageError extends Error {}

export function usage(): string {
  const lines = Object.entries(FLAGS).map(([name, spec]) => `  --${name.padEnd(22)} ${spec.description}`);
  return [
    "Usage: npm run emulator -- [flags]",
    "",
    ...lines,
    `  --${"help".padEnd(22)} print this help`,
  ].join("\n");
}

/** Parses argv; throws UsageError naming the flag, the bad value and what is allowed. */
export function parseEmulatorArgs(argv: string[]): { help: boolean; options: EmulatorOptions } {
  let values: Record<string, string | boolean | undefined>;
  try {
    const parsed = parseArgs({
      args: argv,
      options: {
        ...Object.fromEntries(Object.keys(FLAGS).map((name) => [name, { type: "string" as const }])),
        help: { type: "boolean" as const },
      },
      strict: true,
      allowPositionals: false,
    });
    values = parsed.values;
  } catch (error) {
    throw new UsageError(
      `${(error as Error).message}. Allowed flags: ${Object.keys(FLAGS)
        .map((f) => `--${f}`)
        .join(", ")}, --help.`,
    );
  }
  const options: EmulatorOptions = {};
  const faults: Partial<FaultSettings> = {};
  for (const [name, spec] of Object.entries(FLAGS)) {
    const raw = values[name];
    if (typeof raw !== "string") continue;
    if (spec.kind === "text") {
      if (spec.pattern && !spec.pattern.test(raw))
        throw new UsageError(`--${name} is ${JSON.stringify(raw)}; allowed: ${spec.allowed}.`);
      spec.apply(options, faults, raw);
      continue;
    }
    const max = spec.kind === "port" ? 65535 : 2_147_483_647;
    const value = /^\d{1,10}$/.test(raw) ? Number(raw) : Number.NaN;
    if (!Number.isInteger(value) || value > max) {
      throw new UsageError(`--${name} is ${JSON.stringify(raw)}; allowed: an integer 0..${max}.`);
    }
    spec.apply(options, faults, value);
  }
  if (Object.keys(faults).length > 0) options.faults = faults;
  return { help: values.help === true, options };
}
