// ACS3-HMAC-SHA256 verification (reference §1 "V3 verification"), as @alicloud/openapi-core signs.
import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import { apiError } from "../errors";
import { header, type ApiCall } from "../request";
import { percentEncode, sortedKeys } from "./encoding";

export const V3_ALGORITHM = "ACS3-HMAC-SHA256";

export interface V3Authorization {
  accessKeyId: string;
  signedHeaders: string[];
  signature: string;
}

const AUTHORIZATION =
  /^ACS3-HMAC-SHA256\s+Credential=([^,\s]+),\s*SignedHeaders=([^,\s]+),\s*Signature=([0-9a-fA-F]{64})$/;

/** Headers a V3 request must sign: without them a signed request could be replayed or altered. */
const REQUIRED_SIGNED = [
  "host",
  "x-acs-action",
  "x-acs-version",
  "x-acs-date",
  "x-acs-signature-nonce",
  "x-acs-content-sha256",
];

export function parseV3Authorization(call: ApiCall, value: string): V3Authorization {
  const match = AUTHORIZATION.exec(value.trim());
  if (!match) {
    throw apiError(
      "IncompleteSignature",
      "Expected: Authorization: ACS3-HMAC-SHA256 Credential=<AccessKeyId>,SignedHeaders=<a;b>,Signature=<64 hex>.",
    );
  }
  const signedHeaders = match[2].toLowerCase().split(";");
  for (const name of REQUIRED_SIGNED) {
    if (!signedHeaders.includes(name)) {
      throw apiError("IncompleteSignature", `The header ${name} must be signed.`);
    }
  }
  for (const name of Object.keys(call.headers)) {
    if (name.startsWith("x-acs-") && !signedHeaders.includes(name)) {
      throw apiError("IncompleteSignature", `The header ${name} must be signed.`);
    }
  }
  return { accessKeyId: match[1], signedHeaders, signature: match[3].toLowerCase() };
}

/** Throws SignatureDoesNotMatch unless the request was signed with `secret`. */
export function verifyV3(call: ApiCall, auth: V3Authorization, secret: string): void {
  const bodyHash = createHash("sha256").update(call.body).digest("hex");
  if (header(call, "x-acs-content-sha256") !== bodyHash) {
    throw apiError(
      "SignatureDoesNotMatch",
      "The header x-acs-content-sha256 is not the SHA-256 of the body.",
    );
  }
  let canonicalQuery = "";
  for (const key of sortedKeys(call.query)) {
    if (canonicalQuery !== "") canonicalQuery += "&";
    // openapi-core leaves the key as is and encodes the value (utils.ts getAuthorizationQueryString).
    canonicalQuery += `${key}=${percentEncode(call.query[key])}`;
  }
  const sortedSigned = [...auth.signedHeaders].sort();
  let canonicalHeaders = "";
  for (const name of sortedSigned) canonicalHeaders += `${name}:${(header(call, name) ?? "").trim()}\n`;
  const canonicalRequest = `${call.method}\n${call.pathname}\n${canonicalQuery}\n${canonicalHeaders}\n${sortedSigned.join(";")}\n${bodyHash}`;
  const stringToSign = `${V3_ALGORITHM}\n${createHash("sha256").update(canonicalRequest).digest("hex")}`;
  const expected = createHmac("sha256", secret).update(stringToSign).digest();
  const given = Buffer.from(auth.signature, "hex");
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw apiError("SignatureDoesNotMatch");
  }
}
