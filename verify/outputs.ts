import type { StackOutputs } from "../infra/stackOutputs";
import { ConfigError } from "./errors";
import type { VerifyTarget } from "./types";

const ROLE_ARN = /^acs:ram::(\d+):role\/([A-Za-z0-9.-]{1,64})$/;
const ACCOUNT_ID = /^\d{1,32}$/;
const REGION = /^[a-z]{2,}(-[a-z0-9]+)+$/;
const USER_NAME = /^[A-Za-z0-9._-]{1,64}$/;
const RESOURCE_GROUP = /^rg-[A-Za-z0-9]+$/;

export function parseRoleArn(arn: string): { accountId: string; roleName: string } | undefined {
  const match = ROLE_ARN.exec(arn);
  return match ? { accountId: match[1], roleName: match[2] } : undefined;
}

/** The shape users see in messages: `acs:ram::<16-digit account id>:role/<role name>`. */
export const ROLE_ARN_FORM = "acs:ram::<account id>:role/<role name>";

/**
 * Parses the JSON printed by `pulumi stack output --json --show-secrets` and validates it against
 * the output contract (infra/stackOutputs.ts). One error lists every problem; secret values are
 * never quoted.
 */
/**
 * With `pgpKey` the stack holds only the encrypted secret; the person or job running verify
 * decrypts it and passes it in this variable (never ALIBABA_CLOUD_ACCESS_KEY_SECRET, which in CI
 * is the deployer's).
 */
export const DECRYPTED_SECRET_ENV = "VOD_STS_ACCESS_KEY_SECRET";

export function parseStackOutputs(text: string, source: string, decryptedSecret?: string): VerifyTarget {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    // JSON.parse quotes a piece of the input in its message, which may be the secret: keep only
    // the position.
    const position = /position (\d+)/.exec(err instanceof Error ? err.message : "")?.[1];
    throw new ConfigError(
      `${source}: not valid JSON${position ? ` (at position ${position})` : ""} — expected the object printed by pulumi stack output --json --show-secrets`,
    );
  }
  if (typeof data !== "object" || data === null || Array.isArray(data)) {
    throw new ConfigError(
      `${source}: expected a JSON object of stack outputs, got ${Array.isArray(data) ? "an array" : typeof data}`,
    );
  }
  return validateOutputs(data as Record<string, unknown>, source, decryptedSecret);
}

export function validateOutputs(
  raw: Record<string, unknown>,
  source: string,
  decryptedSecret?: string,
): VerifyTarget {
  if (Object.keys(raw).length === 0) {
    throw new ConfigError(`${source}: the stack has no outputs — run pulumi up first`);
  }
  const problems: string[] = [];
  const str = (name: keyof StackOutputs): string | undefined => {
    const value = raw[name];
    if (value === undefined || value === null || value === "") {
      problems.push(`${name} is missing`);
      return undefined;
    }
    if (typeof value !== "string") {
      problems.push(`${name} must be a string, got ${typeof value}`);
      return undefined;
    }
    return value;
  };
  const accountId = str("accountId");
  const userName = str("userName");
  const accessKeyId = str("accessKeyId");
  let accessKeySecret: string | undefined;
  if (raw.accessKeySecret === "[secret]") {
    problems.push(`accessKeySecret is "[secret]": the outputs were printed without --show-secrets`);
  } else if (raw.accessKeySecret === undefined && raw.accessKeyEncryptedSecret !== undefined) {
    if (decryptedSecret) accessKeySecret = decryptedSecret;
    else {
      problems.push(
        `accessKeySecret is missing: the key was created with pgpKey — decrypt accessKeyEncryptedSecret (base64 -d | gpg --decrypt) and pass it in ${DECRYPTED_SECRET_ENV}`,
      );
    }
  } else {
    accessKeySecret = str("accessKeySecret");
  }
  const roleName = str("roleName");
  const roleArn = str("roleArn");
  const region = str("region");
  const rolePolicyScope = str("rolePolicyScope");

  if (accountId !== undefined && !ACCOUNT_ID.test(accountId)) {
    problems.push(`accountId "${accountId}" is not an account ID (digits only)`);
  }
  if (userName !== undefined && !USER_NAME.test(userName)) {
    problems.push(`userName "${userName}" is not a RAM user name (1–64 of letters, digits, . _ -)`);
  }
  if (region !== undefined && !REGION.test(region)) {
    problems.push(`region "${region}" is not a region ID (like cn-shanghai)`);
  }
  if (
    rolePolicyScope !== undefined &&
    rolePolicyScope !== "account" &&
    !RESOURCE_GROUP.test(rolePolicyScope)
  ) {
    problems.push(`rolePolicyScope "${rolePolicyScope}" must be "account" or a resource group ID (rg-…)`);
  }
  if (roleArn !== undefined) {
    const parsed = parseRoleArn(roleArn);
    if (!parsed) {
      problems.push(`roleArn "${roleArn}" is not of the form ${ROLE_ARN_FORM}`);
    } else {
      if (accountId !== undefined && parsed.accountId !== accountId) {
        problems.push(
          `roleArn "${roleArn}" names account ${parsed.accountId}, but accountId is ${accountId}`,
        );
      }
      if (roleName !== undefined && parsed.roleName.toLowerCase() !== roleName.toLowerCase()) {
        problems.push(`roleArn "${roleArn}" names role ${parsed.roleName}, but roleName is ${roleName}`);
      }
    }
  }
  if (problems.length > 0) {
    throw new ConfigError(`${source}: ${problems.join("; ")}`);
  }
  return {
    accountId: accountId!,
    userName: userName!,
    accessKeyId: accessKeyId!,
    accessKeySecret: accessKeySecret!,
    roleName: roleName!,
    roleArn: roleArn!,
    region: region!,
    rolePolicyScope: rolePolicyScope!,
  };
}

/**
 * The recipe's own input: the user's key in `ALIBABA_CLOUD_ACCESS_KEY_ID`/`_SECRET` and the role
 * ARN from `--role-arn` or `ALIBABA_CLOUD_ROLE_ARN`. The user name is unknown here; the role's
 * permissions are taken to be account-scoped.
 */
export function targetFromEnv(
  env: NodeJS.ProcessEnv,
  roleArnFlag: string | undefined,
  region: string | undefined,
): VerifyTarget {
  const accessKeyId = env.ALIBABA_CLOUD_ACCESS_KEY_ID;
  const accessKeySecret = env.ALIBABA_CLOUD_ACCESS_KEY_SECRET;
  const roleArn = roleArnFlag ?? env.ALIBABA_CLOUD_ROLE_ARN;
  const missing: string[] = [];
  if (!accessKeyId) missing.push("ALIBABA_CLOUD_ACCESS_KEY_ID");
  if (!accessKeySecret) missing.push("ALIBABA_CLOUD_ACCESS_KEY_SECRET");
  if (!roleArn) missing.push("--role-arn (or ALIBABA_CLOUD_ROLE_ARN)");
  if (missing.length > 0) {
    throw new ConfigError(
      `no credentials: pass --outputs FILE|-, or --stack NAME, or set ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET (the vod user's key) with --role-arn; missing: ${missing.join(", ")}`,
    );
  }
  const parsed = parseRoleArn(roleArn!);
  if (!parsed) {
    throw new ConfigError(
      `${roleArnFlag ? "--role-arn" : "ALIBABA_CLOUD_ROLE_ARN"} "${roleArn}" is not of the form ${ROLE_ARN_FORM}`,
    );
  }
  if (!region) {
    throw new ConfigError("no region: pass --region (like cn-shanghai) or set ALIBABA_CLOUD_REGION");
  }
  return {
    accountId: parsed.accountId,
    accessKeyId: accessKeyId!,
    accessKeySecret: accessKeySecret!,
    roleName: parsed.roleName,
    roleArn: roleArn!,
    region,
    rolePolicyScope: "account",
  };
}

export async function readOutputsFile(
  path: string,
  stdin: NodeJS.ReadableStream | undefined,
  decryptedSecret?: string,
): Promise<VerifyTarget> {
  const { readFile } = await import("node:fs/promises");
  if (path === "-") {
    if (!stdin) throw new ConfigError("--outputs -: no standard input to read");
    const chunks: Buffer[] = [];
    for await (const chunk of stdin) chunks.push(typeof chunk === "string" ? Buffer.from(chunk) : chunk);
    return parseStackOutputs(Buffer.concat(chunks).toString("utf8"), "--outputs - (stdin)", decryptedSecret);
  }
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why =
      code === "ENOENT"
        ? "no such file"
        : code === "EISDIR"
          ? "is a directory"
          : code === "EACCES"
            ? "permission denied"
            : `unreadable (${code})`;
    throw new ConfigError(`--outputs ${path}: ${why}`);
  }
  return parseStackOutputs(text, `--outputs ${path}`, decryptedSecret);
}

/**
 * `--stack NAME`: runs `pulumi stack output --json --show-secrets --stack NAME`. child_process is
 * loaded only here, so runs without --stack do not pay for it.
 */
export async function readStackOutputs(
  stack: string,
  env: NodeJS.ProcessEnv,
  timeoutMs = 60_000,
): Promise<VerifyTarget> {
  const { execFile } = await import("node:child_process");
  const stdout = await new Promise<string>((resolve, reject) => {
    execFile(
      "pulumi",
      ["stack", "output", "--json", "--show-secrets", "--stack", stack],
      { env, timeout: timeoutMs, maxBuffer: 4 * 1024 * 1024, windowsHide: true },
      (err, out, errOut) => {
        if (!err) return resolve(out);
        const code = (err as NodeJS.ErrnoException).code;
        if (code === "ENOENT") {
          return reject(
            new ConfigError(
              `--stack ${stack}: the pulumi CLI was not found on PATH — install it, or pass --outputs FILE`,
            ),
          );
        }
        // Pulumi's own error lines (no stack output in them: it failed) help more than the exit code.
        const detail = String(errOut).trim().split("\n").slice(-3).join(" ").slice(0, 500);
        reject(
          new ConfigError(
            `--stack ${stack}: pulumi stack output failed (exit ${String(code ?? "?")})${detail ? `: ${detail}` : ""}`,
          ),
        );
      },
    );
  });
  return parseStackOutputs(stdout, `--stack ${stack}`, env[DECRYPTED_SECRET_ENV]);
}
