// Who is calling: signature (V3 or V1), timestamp window, nonce replay, key state and STS token
// checks, each failing with its documented code (reference §3).
import type { Caller, EmulatorContext } from "../context";
import { ApiError, apiError, missingParameter } from "../errors";
import { header, type ApiCall } from "../request";
import { TIMESTAMP_WINDOW_MS } from "./nonces";
import { checkV1Method, verifyV1 } from "./v1";
import { parseV3Authorization, verifyV3, type V3Authorization } from "./v3";

const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$/;

function checkTimestamp(value: string | undefined, name: string, nowMs: number): number {
  // Both signature styles answer MissingTimestamp: the V3 x-acs-date header carries the same
  // parameter, and `Missing<Name>` takes a parameter name, not a header name.
  if (value === undefined || value === "") {
    throw new ApiError("MissingTimestamp", 400, `${name} is mandatory for this action.`);
  }
  const ms = TIMESTAMP.test(value) ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(ms)) {
    throw apiError(
      "InvalidTimeStamp.Format",
      `${name} is ${JSON.stringify(value)}; allowed: YYYY-MM-DDTHH:MM:SSZ (UTC).`,
    );
  }
  if (Math.abs(ms - nowMs) > TIMESTAMP_WINDOW_MS) {
    throw apiError(
      "InvalidTimeStamp.Expired",
      `${name} ${value} is more than 15 minutes from the server time ${new Date(nowMs).toISOString()}.`,
    );
  }
  return ms;
}

interface Presented {
  accessKeyId: string;
  securityToken: string | undefined;
  timestamp: string | undefined;
  timestampName: string;
  nonce: string | undefined;
  verify: (secret: string) => void;
}

function presentedCredentials(call: ApiCall): Presented {
  if (call.params.Signature !== undefined) {
    checkV1Method(call);
    const accessKeyId = call.params.AccessKeyId;
    if (!accessKeyId) throw missingParameter("AccessKeyId");
    return {
      accessKeyId,
      securityToken: call.params.SecurityToken,
      timestamp: call.params.Timestamp,
      timestampName: "Timestamp",
      nonce: call.params.SignatureNonce,
      verify: (secret) => verifyV1(call, secret),
    };
  }
  const authorization = header(call, "authorization");
  if (authorization !== undefined) {
    const auth: V3Authorization = parseV3Authorization(call, authorization);
    const tokenKeyId = header(call, "x-acs-accesskey-id");
    if (tokenKeyId !== undefined && tokenKeyId !== auth.accessKeyId) {
      throw apiError(
        "IncompleteSignature",
        "The header x-acs-accesskey-id differs from the Credential in Authorization.",
      );
    }
    return {
      accessKeyId: auth.accessKeyId,
      securityToken: header(call, "x-acs-security-token"),
      timestamp: header(call, "x-acs-date"),
      timestampName: "x-acs-date",
      nonce: header(call, "x-acs-signature-nonce"),
      verify: (secret) => verifyV3(call, auth, secret),
    };
  }
  if (call.params.AccessKeyId !== undefined) throw missingParameter("Signature");
  throw missingParameter("AccessKeyId");
}

export function authenticate(call: ApiCall, ctx: EmulatorContext, nowMs: number): Caller {
  const presented = presentedCredentials(call);
  const requestTimeMs = checkTimestamp(presented.timestamp, presented.timestampName, nowMs);
  // Both styles answer MissingSignatureNonce: the V3 header carries the same parameter.
  if (!presented.nonce) throw missingParameter("SignatureNonce");
  const { accessKeyId, securityToken } = presented;

  if (accessKeyId.startsWith("STS.")) {
    if (securityToken === undefined || securityToken === "") throw apiError("MissingSecurityToken");
    presented.verify(ctx.sessions.secretFor(accessKeyId));
    remember(ctx, presented.nonce, requestTimeMs, nowMs);
    const checked = ctx.sessions.check(securityToken, accessKeyId, nowMs);
    if (!checked.ok) throw apiError(checked.code);
    return {
      kind: "AssumedRoleUser",
      accountId: checked.session.accountId,
      accessKeyId,
      session: checked.session,
    };
  }

  const key = ctx.state.getAccessKey(accessKeyId);
  // A key still inside faults.propagationDelayMs is unknown to the service (reference §4 "Propagation").
  if (!key || key.effectiveAt > nowMs) throw apiError("InvalidAccessKeyId.NotFound");
  if (key.status === "Inactive") throw apiError("InvalidAccessKeyId.Inactive");
  if (securityToken !== undefined && securityToken !== "")
    throw apiError("InvalidSecurityToken.MismatchWithAccessKey");
  presented.verify(key.accessKeySecret);
  remember(ctx, presented.nonce, requestTimeMs, nowMs);
  if (key.userName === undefined) return { kind: "Account", accountId: ctx.state.accountId, accessKeyId };
  const user = ctx.state.getUser(key.userName);
  if (!user) throw apiError("InvalidAccessKeyId.NotFound");
  return { kind: "RAMUser", accountId: ctx.state.accountId, accessKeyId, user };
}

function remember(ctx: EmulatorContext, nonce: string, requestTimeMs: number, nowMs: number): void {
  if (!ctx.nonces.remember(nonce, requestTimeMs, nowMs)) throw apiError("SignatureNonceUsed");
}
