import { parseArgs, type ParseArgsConfig } from "node:util";
// Pure data and builders, no Pulumi import: the session policies the README documents.
import { VOD_PRESET_ACTIONS, type VodPreset, vodSessionPolicy } from "../infra/policies";
import { ConfigError } from "./errors";
import { CHECK_NAMES, type CheckName, type Endpoints } from "./types";

type ParseArgsOptions = NonNullable<ParseArgsConfig["options"]>;

/** The flags, described once: parseArgs' schema and the help text come from this table. */
export const FLAGS = {
  outputs: {
    type: "string",
    arg: "FILE|-",
    help: "stack outputs JSON (pulumi stack output --json --show-secrets); - reads stdin",
  },
  stack: { type: "string", arg: "NAME", help: "read the outputs of this stack with the pulumi CLI" },
  "role-arn": {
    type: "string",
    arg: "ARN",
    help: "role to assume with the env key (or ALIBABA_CLOUD_ROLE_ARN)",
  },
  region: { type: "string", arg: "ID", help: "region (default: the outputs', then ALIBABA_CLOUD_REGION)" },
  "sts-endpoint": {
    type: "string",
    arg: "HOST[:PORT]",
    help: "STS endpoint (default sts.<region>.aliyuncs.com)",
  },
  "vod-endpoint": {
    type: "string",
    arg: "HOST[:PORT]",
    help: "VOD endpoint (default vod.<region>.aliyuncs.com)",
  },
  "ram-endpoint": { type: "string", arg: "HOST[:PORT]", help: "RAM endpoint (default ram.aliyuncs.com)" },
  endpoint: { type: "string", arg: "HOST:PORT", help: "one endpoint for every product (the emulator)" },
  protocol: { type: "string", arg: "http|https", help: "protocol for every client (default https)" },
  "session-name": {
    type: "string",
    arg: "NAME",
    help: "RoleSessionName (default vod-sts-verify-<timestamp>)",
  },
  duration: { type: "string", arg: "SECONDS", help: "token lifetime, 900–43200 (default 900)" },
  policy: {
    type: "string",
    arg: "FILE|JSON|preset:P",
    help: "session policy narrowing the role; preset:upload,play = the token-vending policy of those VOD presets",
  },
  "external-id": { type: "string", arg: "ID", help: "ExternalId the trust policy requires" },
  timeout: {
    type: "string",
    arg: "SECONDS",
    help: "deadline for propagation and transient faults (default 60)",
  },
  skip: {
    type: "string",
    multiple: true,
    arg: "CHECK",
    help: `skip a check (${CHECK_NAMES.join(", ")}); repeatable`,
  },
  json: { type: "boolean", help: "print one JSON document instead of lines" },
  "show-secrets": { type: "boolean", help: "print the temporary credentials as export lines" },
  verbose: { type: "boolean", help: "print retries, and stack traces on errors" },
  help: { type: "boolean", short: "h", help: "show this help" },
} as const;

export function helpText(): string {
  const rows = Object.entries(FLAGS).map(([name, flag]) => {
    const left = `  --${name}${"arg" in flag ? ` ${flag.arg}` : ""}`;
    return `${left.padEnd(32)}${flag.help}`;
  });
  return [
    "Usage: npm run verify -- [--outputs FILE|- | --stack NAME | --role-arn ARN] [options]",
    "",
    "Proves the vod user → vodrole → VOD chain: AssumeRole, GetCallerIdentity, VOD access, least privilege.",
    "Exit codes: 0 all checks passed, 1 a check failed, 2 bad usage or configuration.",
    "",
    ...rows,
    "",
  ].join("\n");
}

export interface CliFlags {
  outputs?: string;
  stack?: string;
  roleArn?: string;
  region?: string;
  stsEndpoint?: string;
  vodEndpoint?: string;
  ramEndpoint?: string;
  endpoint?: string;
  protocol: "http" | "https";
  sessionName?: string;
  durationSeconds: number;
  /** A file path or inline JSON, as given. */
  policy?: string;
  externalId?: string;
  timeoutMs: number;
  skip: CheckName[];
  json: boolean;
  showSecrets: boolean;
  verbose: boolean;
  help: boolean;
}

const HOST = /^[A-Za-z0-9.-]+(:\d{1,5})?$/;
const SESSION_NAME = /^[\w.@-]{2,64}$/;
const EXTERNAL_ID = /^[\w+=,.@:/-]{2,1224}$/;

export const DEFAULT_DURATION_SECONDS = 900;
export const DEFAULT_TIMEOUT_SECONDS = 60;

/** Parses argv into flags; every problem found is listed in one ConfigError. */
export function parseFlags(argv: string[]): CliFlags {
  const options: ParseArgsOptions = Object.fromEntries(
    Object.entries(FLAGS).map(([name, flag]) => [
      name,
      {
        type: flag.type,
        ...("multiple" in flag ? { multiple: true } : {}),
        ...("short" in flag ? { short: flag.short } : {}),
      },
    ]),
  );
  let values: Record<string, unknown>;
  try {
    ({ values } = parseArgs({ args: argv, options, strict: true, allowPositionals: false }));
  } catch (err) {
    throw new ConfigError(describeParseError(err));
  }
  const problems: string[] = [];
  const str = (name: keyof typeof FLAGS) => values[name] as string | undefined;

  const protocol = str("protocol") ?? "https";
  if (protocol !== "http" && protocol !== "https")
    problems.push(`--protocol "${protocol}" must be http or https`);

  for (const name of ["sts-endpoint", "vod-endpoint", "ram-endpoint", "endpoint"] as const) {
    const value = str(name);
    if (value === undefined) continue;
    if (/^[a-z]+:\/\//i.test(value))
      problems.push(`--${name} "${value}" must not include a scheme; give HOST[:PORT] and --protocol`);
    else if (!HOST.test(value)) problems.push(`--${name} "${value}" is not HOST[:PORT]`);
  }

  const durationSeconds = integerFlag(
    str("duration"),
    "--duration",
    DEFAULT_DURATION_SECONDS,
    900,
    43200,
    problems,
  );
  const timeoutText = str("timeout");
  let timeoutMs = DEFAULT_TIMEOUT_SECONDS * 1000;
  if (timeoutText !== undefined) {
    const seconds = Number(timeoutText);
    if (timeoutText.trim() === "" || !Number.isFinite(seconds) || seconds <= 0 || seconds > 3600) {
      problems.push(`--timeout "${timeoutText}" must be a number of seconds in (0, 3600]`);
    } else timeoutMs = Math.round(seconds * 1000);
  }

  const sessionName = str("session-name");
  if (sessionName !== undefined && !SESSION_NAME.test(sessionName)) {
    problems.push(`--session-name "${sessionName}" must be 2–64 letters, digits or . @ - _`);
  }
  const externalId = str("external-id");
  if (externalId !== undefined && !EXTERNAL_ID.test(externalId)) {
    problems.push(
      `--external-id "${externalId}" must be 2–1224 characters of letters, digits and _ + = , . @ : / -`,
    );
  }

  const skip: CheckName[] = [];
  for (const item of ((values.skip as string[] | undefined) ?? []).flatMap((s) => s.split(","))) {
    const name = item.trim();
    if ((CHECK_NAMES as readonly string[]).includes(name)) skip.push(name as CheckName);
    else problems.push(`--skip "${name}" is not a check; allowed: ${CHECK_NAMES.join(", ")}`);
  }

  if (str("outputs") !== undefined && str("stack") !== undefined) {
    problems.push("--outputs and --stack are exclusive: give one source of outputs");
  }
  if (str("role-arn") !== undefined && (str("outputs") !== undefined || str("stack") !== undefined)) {
    problems.push(
      "--role-arn is for the env credentials; with --outputs or --stack the role comes from the outputs",
    );
  }
  if (problems.length > 0) throw new ConfigError(problems.join("; "));

  return {
    ...optional("outputs", str("outputs")),
    ...optional("stack", str("stack")),
    ...optional("roleArn", str("role-arn")),
    ...optional("region", str("region")),
    ...optional("stsEndpoint", str("sts-endpoint")),
    ...optional("vodEndpoint", str("vod-endpoint")),
    ...optional("ramEndpoint", str("ram-endpoint")),
    ...optional("endpoint", str("endpoint")),
    protocol: protocol as "http" | "https",
    ...optional("sessionName", sessionName),
    durationSeconds,
    ...optional("policy", str("policy")),
    ...optional("externalId", externalId),
    timeoutMs,
    skip,
    json: values.json === true,
    showSecrets: values["show-secrets"] === true,
    verbose: values.verbose === true,
    help: values.help === true,
  };
}

function optional<K extends string>(key: K, value: string | undefined): { [P in K]?: string } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: string };
}

function integerFlag(
  text: string | undefined,
  flag: string,
  fallback: number,
  min: number,
  max: number,
  problems: string[],
): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!/^\d+$/.test(text.trim()) || value < min || value > max) {
    problems.push(`${flag} "${text}" must be a whole number of seconds from ${min} to ${max}`);
    return fallback;
  }
  return value;
}

function describeParseError(err: unknown): string {
  const code = (err as { code?: string }).code;
  const message = err instanceof Error ? err.message : String(err);
  const flag = /'(-{1,2}[^']*)'/.exec(message)?.[1];
  const allowed = `allowed: ${Object.keys(FLAGS)
    .map((name) => `--${name}`)
    .join(", ")}`;
  switch (code) {
    case "ERR_PARSE_ARGS_UNKNOWN_OPTION":
      return `unknown flag ${flag ?? message}; ${allowed}`;
    case "ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL":
      return `unexpected argument ${flag ?? message}; verify takes flags only (${allowed})`;
    case "ERR_PARSE_ARGS_INVALID_OPTION_VALUE":
      return flag ? `${flag.split(" ")[0]} needs a value` : message;
    default:
      return message;
  }
}

/** Default endpoints per reference/alibaba-api.md §2, §4, §6; `--endpoint` overrides them all. */
export function resolveEndpoints(flags: CliFlags, region: string): Endpoints {
  return {
    sts: flags.stsEndpoint ?? flags.endpoint ?? `sts.${region}.aliyuncs.com`,
    vod: flags.vodEndpoint ?? flags.endpoint ?? `vod.${region}.aliyuncs.com`,
    ram: flags.ramEndpoint ?? flags.endpoint ?? "ram.aliyuncs.com",
    protocol: flags.protocol,
  };
}

/** `vod-sts-verify-20260101T120000Z`: valid RoleSessionName characters, and says when it ran. */
export function defaultSessionName(now: Date): string {
  return `vod-sts-verify-${now
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d+Z$/, "Z")}`;
}

/** `--policy` takes inline JSON (starts with `{`) or a file path; the result must be a policy object ≤ 2048 bytes. */
/** `--policy preset:upload,play`: the token-vending session policy of those VOD presets. */
const PRESET_POLICY = /^preset:([a-z,]+)$/;

export async function loadSessionPolicy(value: string): Promise<string> {
  const preset = PRESET_POLICY.exec(value.trim());
  if (preset) {
    const names = preset[1].split(",").filter((name) => name !== "");
    const unknown = names.filter((name) => !(name in VOD_PRESET_ACTIONS));
    if (names.length === 0 || unknown.length > 0) {
      throw new ConfigError(
        `--policy "${value}": ${unknown.length > 0 ? `unknown preset ${unknown.join(", ")}` : "no preset"}; allowed: preset:<${Object.keys(VOD_PRESET_ACTIONS).join("|")}>[,…]`,
      );
    }
    return JSON.stringify(vodSessionPolicy(names as VodPreset[]));
  }
  let text = value;
  const source = value.trimStart().startsWith("{") ? "--policy" : `--policy ${value}`;
  if (!value.trimStart().startsWith("{")) {
    const { readFile } = await import("node:fs/promises");
    try {
      text = await readFile(value, "utf8");
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      throw new ConfigError(
        `--policy "${value}": not inline JSON and not a readable file (${code === "ENOENT" ? "no such file" : code})`,
      );
    }
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new ConfigError(
      `${source}: not valid JSON — expected a policy like {"Version":"1","Statement":[{"Effect":"Allow","Action":"vod:*","Resource":"*"}]}`,
    );
  }
  if (
    typeof parsed !== "object" ||
    parsed === null ||
    !Array.isArray((parsed as { Statement?: unknown }).Statement)
  ) {
    throw new ConfigError(`${source}: a policy needs "Version":"1" and a "Statement" list`);
  }
  // STS limits the session policy to 2048 bytes (reference/alibaba-api.md §2, InvalidParameter.PolicySize).
  const compact = JSON.stringify(parsed);
  if (Buffer.byteLength(compact) > 2048) {
    throw new ConfigError(
      `${source}: ${Buffer.byteLength(compact)} bytes once compacted; STS allows at most 2048`,
    );
  }
  return compact;
}
