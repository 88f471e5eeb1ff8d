// HMAC-SHA1 (SignatureVersion 1.0) verification (reference §1 "V1 verification"), as
// @alicloud/pop-core and openapi-core with signatureAlgorithm 'v2' sign: GET query or POST form.
import { createHmac, timingSafeEqual } from "node:crypto";
import { apiError } from "../errors";
import type { ApiCall } from "../request";
import { percentEncode, sortedKeys } from "./encoding";

function stringToSign(call: ApiCall, maskToken: boolean): string {
  let canonical = "";
  for (const key of sortedKeys(call.params)) {
    if (key === "Signature") continue;
    const value = maskToken && key === "SecurityToken" ? "<SecurityToken>" : call.params[key];
    if (canonical !== "") canonical += "&";
    canonical += `${percentEncode(key)}=${percentEncode(value)}`;
  }
  return `${call.method}&${percentEncode("/")}&${percentEncode(canonical)}`;
}

export function checkV1Method(call: ApiCall): void {
  const method = call.params.SignatureMethod;
  if (method !== "HMAC-SHA1") {
    throw apiError(
      "IncompleteSignature",
      `SignatureMethod is ${JSON.stringify(method ?? "")}; allowed: HMAC-SHA1.`,
    );
  }
  const version = call.params.SignatureVersion;
  if (version !== "1.0") {
    throw apiError(
      "IncompleteSignature",
      `SignatureVersion is ${JSON.stringify(version ?? "")}; allowed: 1.0.`,
    );
  }
}

/** Throws SignatureDoesNotMatch unless the request was signed with `secret`. */
export function verifyV1(call: ApiCall, secret: string): void {
  const expected = Buffer.from(
    createHmac("sha1", `${secret}&`).update(stringToSign(call, false)).digest("base64"),
  );
  const given = Buffer.from(call.params.Signature ?? "");
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    // Alibaba echoes the string it signed; the security token inside it is a secret, so it is masked.
    throw apiError("SignatureDoesNotMatch", `server string to sign is:${stringToSign(call, true)}`);
  }
}
