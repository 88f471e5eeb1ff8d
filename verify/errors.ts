/**
 * Error classification for retries. openapi-core 1.0.8 throws ClientError (4xx), ServerError (5xx)
 * and ThrottlingError (Code contains "Throttling", `retryAfter` ms from `x-acs-retry-after`), each
 * with `.code`, `.statusCode`, `.data` (the body) and `.requestId`; a non-JSON error body becomes a
 * bare SyntaxError; httpx rejects with `RequestTimeoutError` ("ReadTimeout…"/"ConnectTimeout…") or a
 * Node socket error with `.code` (reference/alibaba-api.md §1).
 */
export type ErrorKind =
  /** An error that, right after a deploy, means "not propagated yet" for this call. */
  | "propagation"
  | "throttling"
  | "server"
  | "timeout"
  | "network"
  /** The endpoint answered with something that is not an Alibaba JSON body (a gateway's 502 page). */
  | "bad-response"
  /** Will not heal by waiting: a wrong secret, a disabled key, a bad parameter, an unknown host. */
  | "fatal";

export interface ClassifiedError {
  kind: ErrorKind;
  healable: boolean;
  /** The Alibaba error code, or the socket error code, or the error's name. */
  code: string;
  statusCode?: number;
  requestId?: string;
  retryAfterMs?: number;
  /** The raw message: may quote a URL; mask it before printing. */
  message: string;
  /** `AccessDeniedDetail.PolicyType` of a 403 when the service sends one. */
  deniedPolicyType?: string;
}

const HEALABLE_NETWORK_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EPIPE",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "EAI_AGAIN",
  "ECONNABORTED",
  "UND_ERR_SOCKET",
]);

interface ErrorLike {
  name?: unknown;
  code?: unknown;
  statusCode?: unknown;
  requestId?: unknown;
  retryAfter?: unknown;
  message?: unknown;
  data?: unknown;
  accessDeniedDetail?: unknown;
}

function text(value: unknown): string | undefined {
  return typeof value === "string" && value !== "" && value !== "undefined" ? value : undefined;
}

/**
 * @param propagationCodes the Alibaba codes that mean "not there yet" for this particular call
 * (for AssumeRole: an unknown key, NoPermission, an unknown role).
 */
export function classifyError(
  err: unknown,
  propagationCodes: ReadonlySet<string> = new Set(),
): ClassifiedError {
  const e: ErrorLike = typeof err === "object" && err !== null ? err : { message: String(err) };
  const message = text(e.message) ?? String(err);
  const name = text(e.name) ?? "Error";
  const data = typeof e.data === "object" && e.data !== null ? (e.data as Record<string, unknown>) : {};
  const statusCode =
    typeof e.statusCode === "number"
      ? e.statusCode
      : typeof data.statusCode === "number"
        ? data.statusCode
        : undefined;
  const requestId = text(e.requestId) ?? text(data.RequestId);
  const code = text(e.code) ?? text(data.Code);

  if (name === "SyntaxError") {
    return { kind: "bad-response", healable: true, code: "NonJsonResponse", message };
  }
  if (name === "RequestTimeoutError" || /^(Read|Connect)Timeout/.test(message)) {
    return { kind: "timeout", healable: true, code: "RequestTimeout", message };
  }
  if (statusCode === undefined && code !== undefined && /^E[A-Z_]+$|^UND_ERR/.test(code)) {
    return {
      kind: HEALABLE_NETWORK_CODES.has(code) ? "network" : "fatal",
      healable: HEALABLE_NETWORK_CODES.has(code),
      code,
      message,
    };
  }
  if (code !== undefined && code.includes("Throttling")) {
    const retryAfterMs = typeof e.retryAfter === "number" && e.retryAfter >= 0 ? e.retryAfter : undefined;
    return { kind: "throttling", healable: true, code, statusCode, requestId, retryAfterMs, message };
  }
  if (statusCode !== undefined && statusCode >= 500) {
    return {
      kind: "server",
      healable: true,
      code: code ?? `HTTP${statusCode}`,
      statusCode,
      requestId,
      message,
    };
  }
  if (code !== undefined && propagationCodes.has(code)) {
    const detail = (e.accessDeniedDetail ?? data.AccessDeniedDetail) as Record<string, unknown> | undefined;
    const deniedPolicyType = detail ? text(detail.PolicyType) : undefined;
    return { kind: "propagation", healable: true, code, statusCode, requestId, message, deniedPolicyType };
  }
  return { kind: "fatal", healable: false, code: code ?? name, statusCode, requestId, message };
}

/** " (RequestId: …)" when there is one: the id Alibaba support asks for. */
export function requestIdSuffix(requestId: string | undefined): string {
  return requestId ? ` (RequestId: ${requestId})` : "";
}

/** Bad usage or configuration: the CLI prints the message alone and exits 2. */
export class ConfigError extends Error {
  override readonly name = "ConfigError";
}
