// The HTTP front: reads a request, applies faults, routes, authenticates, validates, authorizes,
// runs the action and answers JSON. Nothing a client sends can make it throw past this file.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { isUtf8 } from "node:buffer";
import type { Socket } from "node:net";
import { authenticate } from "./auth/authenticate";
import { authorize, conditionContext } from "./authorize";
import type { EmulatorContext } from "./context";
import { ApiError, apiError, errorBody, missingParameter, type Product } from "./errors";
import { takeFault } from "./faults";
import { checkParams } from "./handlers/params";
import { newRequestId } from "./ids";
import { buildCall, header, type ApiCall } from "./request";
import { productFor } from "./routes";

/** Bodies above this are refused: the largest legitimate parameter (a 6144-byte policy) fits many times. */
export const MAX_BODY_BYTES = 64 * 1024;

const JSON_TYPE = "application/json;charset=utf-8";

const GATEWAY_PAGE =
  "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>Tengine</center>\r\n</body>\r\n</html>\r\n";

interface Outcome {
  status: number;
  product: Product;
  body: Record<string, unknown> | string;
  headers?: Record<string, string>;
}

function send(res: ServerResponse, requestId: string, outcome: Outcome): void {
  if (res.headersSent || res.destroyed) return;
  const text = typeof outcome.body === "string" ? outcome.body : JSON.stringify(outcome.body);
  res.writeHead(outcome.status, {
    "Content-Type": typeof outcome.body === "string" ? "text/html" : JSON_TYPE,
    "Content-Length": Buffer.byteLength(text),
    "x-acs-request-id": requestId,
    ...outcome.headers,
  });
  res.end(text);
}

function failure(error: unknown, requestId: string, product: Product): Outcome {
  const apiErr = error instanceof ApiError ? error : apiError("InternalError");
  if (!(error instanceof ApiError)) {
    // A bug, not bad input: keep serving, say so on stderr without request data (it may hold secrets).
    process.stderr.write(
      `emulator: unexpected ${error instanceof Error ? error.name : typeof error} in request ${requestId}\n`,
    );
  }
  return {
    status: apiErr.status,
    product,
    body: errorBody(apiErr, requestId, product),
    headers: apiErr.headers,
  };
}

/**
 * The order a request goes through: injected faults first (they stand for the gateway in front of
 * the service), then routing, authentication, the AssumeRole quota, parameter rules, the policy
 * decision and the action itself — so a malformed parameter is reported before a permission
 * problem, and an unsigned request learns nothing about parameters.
 */
function dispatch(ctx: EmulatorContext, call: ApiCall, requestId: string): Outcome {
  const action = call.params.Action ?? header(call, "x-acs-action");
  const version = call.params.Version ?? header(call, "x-acs-version");
  const route = version ? productFor(version) : undefined;
  const product: Product = route?.product.product ?? "Sts";
  try {
    if (takeFault(ctx.faults, "gatewayErrorNext", action ?? "", undefined)) {
      return { status: 502, product, body: GATEWAY_PAGE };
    }
    if (takeFault(ctx.faults, "serverErrorNext", action ?? "", ctx.faults.serverErrorAction)) {
      throw apiError(ctx.faults.serverErrorCode);
    }
    if (takeFault(ctx.faults, "throttleNext", action ?? "", ctx.faults.throttleAction)) {
      throw apiError("Throttling.User", undefined, {
        headers: { "x-acs-retry-after": String(ctx.faults.throttleRetryAfterMs) },
      });
    }
    if ((call.method !== "GET" && call.method !== "POST") || call.pathname !== "/")
      throw apiError("InvalidAction.NotFound");
    if (!version) throw missingParameter("Version");
    if (!route)
      throw apiError(
        "InvalidVersion",
        `Version ${JSON.stringify(version.slice(0, 40))} is not served here; allowed: 2015-04-01 (STS), 2015-05-01 (RAM), 2017-03-21 (VOD), 2020-03-31 (ResourceManager).`,
      );
    if (!action) throw missingParameter("Action");
    const spec = route.actions.get(action);
    if (!spec) throw apiError("InvalidAction.NotFound");

    const nowMs = Date.now();
    const caller = authenticate(call, ctx, nowMs);
    if (spec.action === "AssumeRole") {
      const waitMs = ctx.assumeRoleWindow.admit(ctx.faults.assumeRoleQuotaPerSecond, nowMs);
      if (waitMs > 0)
        throw apiError("Throttling.User", undefined, { headers: { "x-acs-retry-after": String(waitMs) } });
    }
    checkParams(spec.params, call.params);
    const input = { params: call.params, call, caller, ctx, nowMs };
    if (spec.permission) {
      const { action: ramAction, resource } = spec.permission(input);
      const result = authorize(ctx, caller, ramAction, resource, conditionContext(call.sourceIp), nowMs);
      if (result.decision !== "Allow") {
        throw apiError(
          route.product.denialCode,
          undefined,
          result.detail ? { accessDeniedDetail: result.detail } : undefined,
        );
      }
    }
    const body = spec.handle(input);
    return { status: 200, product, body: { RequestId: requestId, ...body } };
  } catch (error) {
    return failure(error, requestId, product);
  }
}

function handle(
  ctx: EmulatorContext,
  delayed: Set<NodeJS.Timeout>,
  req: IncomingMessage,
  res: ServerResponse,
): void {
  const requestId = newRequestId();
  const chunks: Buffer[] = [];
  let size = 0;
  req.on("data", (chunk: Buffer) => {
    size += chunk.length;
    // Past the limit the rest is drained, not kept, so the client can read the 413.
    if (size <= MAX_BODY_BYTES) chunks.push(chunk);
  });
  req.on("error", () => res.destroy());
  req.on("end", () => {
    const respond = (): void => {
      let outcome: Outcome;
      try {
        if (size > MAX_BODY_BYTES) throw apiError("RequestEntityTooLarge");
        const body = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks);
        if (!isUtf8(body)) throw apiError("InvalidParameter.Encoding");
        outcome = dispatch(
          ctx,
          buildCall(req.method ?? "", req.url ?? "/", req.headers, body, req.socket.remoteAddress),
          requestId,
        );
      } catch (error) {
        outcome = failure(error, requestId, "Sts");
      }
      send(res, requestId, outcome);
    };
    if (ctx.faults.latencyMs > 0) {
      const timer = setTimeout(() => {
        delayed.delete(timer);
        respond();
      }, ctx.faults.latencyMs);
      delayed.add(timer);
    } else respond();
  });
}

/** Requests Node's parser rejects (garbage request line or headers) still get a JSON error. */
function answerClientError(error: Error & { code?: string }, socket: Socket): void {
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  const requestId = newRequestId();
  const tooLarge = error.code === "HPE_HEADER_OVERFLOW";
  const apiErr = tooLarge
    ? apiError("RequestEntityTooLarge", "The request headers are too large.")
    : apiError("InvalidParameter.Format", "The request line or headers are not valid HTTP/1.1.");
  const text = JSON.stringify(errorBody(apiErr, requestId, "Sts"));
  const status = tooLarge ? "431 Request Header Fields Too Large" : "400 Bad Request";
  socket.end(
    `HTTP/1.1 ${status}\r\nContent-Type: ${JSON_TYPE}\r\nContent-Length: ${Buffer.byteLength(text)}\r\nx-acs-request-id: ${requestId}\r\nConnection: close\r\n\r\n${text}`,
  );
}

export interface EmulatorServer {
  server: Server;
  /** Stops listening, drops every socket and every response still waiting out faults.latencyMs. */
  close: () => Promise<void>;
}

export function createEmulatorServer(ctx: EmulatorContext): EmulatorServer {
  const delayed = new Set<NodeJS.Timeout>();
  const server = createServer((req, res) => handle(ctx, delayed, req, res));
  server.on("clientError", answerClientError);
  // Bounded waits so a stalled client cannot hold a socket forever.
  server.requestTimeout = 30_000;
  server.headersTimeout = 10_000;
  return {
    server,
    close: () =>
      new Promise<void>((resolve) => {
        for (const timer of delayed) clearTimeout(timer);
        delayed.clear();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
