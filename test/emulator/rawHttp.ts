// Hand-built requests for hostile-input tests: an independent V3/V1 signer (so a test can tamper
// with any part after signing) and a raw node:http sender that returns status, headers and body.
import { createHash, createHmac, randomUUID } from "node:crypto";
import { request } from "node:http";
import { connect } from "node:net";

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json: Record<string, unknown> | undefined;
}

function parse(status: number, headers: RawResponse["headers"], text: string): RawResponse {
  let json: Record<string, unknown> | undefined;
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch {
    json = undefined;
  }
  return { status, headers, text, json };
}

export function send(
  endpoint: string,
  options: { method?: string; path?: string; headers?: Record<string, string>; body?: Buffer | string },
): Promise<RawResponse> {
  const [host, port] = endpoint.split(":");
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host,
        port: Number(port),
        method: options.method ?? "POST",
        path: options.path ?? "/",
        headers: options.headers,
        timeout: 5000,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () =>
          resolve(parse(res.statusCode ?? 0, res.headers, Buffer.concat(chunks).toString("utf8"))),
        );
      },
    );
    req.on("timeout", () => req.destroy(new Error("timeout")));
    req.on("error", reject);
    if (options.body !== undefined) req.write(options.body);
    req.end();
  });
}

/** Writes raw bytes on a socket (for requests Node's client would refuse to build). */
export function sendBytes(endpoint: string, bytes: Buffer | string): Promise<RawResponse> {
  const [host, port] = endpoint.split(":");
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port: Number(port) });
    const chunks: Buffer[] = [];
    socket.setTimeout(5000, () => socket.destroy(new Error("timeout")));
    socket.on("connect", () => socket.write(bytes));
    socket.on("data", (c: Buffer) => chunks.push(c));
    socket.on("error", reject);
    socket.on("close", () => {
      const raw = Buffer.concat(chunks).toString("utf8");
      const [head = "", ...rest] = raw.split("\r\n\r\n");
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1] ?? 0);
      const headers: RawResponse["headers"] = {};
      for (const line of head.split("\r\n").slice(1)) {
        const i = line.indexOf(":");
        headers[line.slice(0, i).toLowerCase()] = line.slice(i + 1).trim();
      }
      resolve(parse(status, headers, rest.join("\r\n\r\n")));
    });
  });
}

const enc = (s: string): string =>
  encodeURIComponent(s).replace(/[!'()*]/g, (c) => "%" + c.charCodeAt(0).toString(16).toUpperCase());

export const acsDate = (ms = Date.now()): string => new Date(ms).toISOString().slice(0, 19) + "Z";

export interface SignedRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: string;
}

/** An ACS3-HMAC-SHA256 request signed like openapi-core does (reference §1). */
export function signV3(
  endpoint: string,
  key: { accessKeyId: string; accessKeySecret: string; securityToken?: string },
  action: string,
  version: string,
  query: Record<string, string>,
  overrides: { date?: string; nonce?: string; body?: string } = {},
): SignedRequest {
  const body = overrides.body ?? "";
  const headers: Record<string, string> = {
    host: endpoint,
    "x-acs-action": action,
    "x-acs-version": version,
    "x-acs-date": overrides.date ?? acsDate(),
    "x-acs-signature-nonce": overrides.nonce ?? randomUUID(),
    "x-acs-content-sha256": createHash("sha256").update(body).digest("hex"),
  };
  if (key.securityToken) {
    headers["x-acs-accesskey-id"] = key.accessKeyId;
    headers["x-acs-security-token"] = key.securityToken;
  }
  const keys = Object.keys(query).sort();
  const canonicalQuery = keys.map((k) => `${k}=${enc(query[k])}`).join("&");
  const signed = Object.keys(headers).sort();
  const canonicalHeaders = signed.map((h) => `${h}:${headers[h].trim()}\n`).join("");
  const canonical = [
    "POST",
    "/",
    canonicalQuery,
    canonicalHeaders,
    signed.join(";"),
    headers["x-acs-content-sha256"],
  ].join("\n");
  const toSign = `ACS3-HMAC-SHA256\n${createHash("sha256").update(canonical).digest("hex")}`;
  const signature = createHmac("sha256", key.accessKeySecret).update(toSign).digest("hex");
  headers.authorization = `ACS3-HMAC-SHA256 Credential=${key.accessKeyId},SignedHeaders=${signed.join(";")},Signature=${signature}`;
  const path = keys.length ? `/?${keys.map((k) => `${enc(k)}=${enc(query[k])}`).join("&")}` : "/";
  return { method: "POST", path, headers, body };
}

/** An HMAC-SHA1 (SignatureVersion 1.0) GET request signed like pop-core does. */
export function signV1(
  key: { accessKeyId: string; accessKeySecret: string; securityToken?: string },
  action: string,
  version: string,
  params: Record<string, string>,
  overrides: { timestamp?: string; nonce?: string } = {},
): { path: string; params: Record<string, string> } {
  const all: Record<string, string> = {
    Action: action,
    Version: version,
    Format: "JSON",
    AccessKeyId: key.accessKeyId,
    SignatureMethod: "HMAC-SHA1",
    SignatureVersion: "1.0",
    SignatureNonce: overrides.nonce ?? randomUUID(),
    Timestamp: overrides.timestamp ?? acsDate(),
    ...(key.securityToken ? { SecurityToken: key.securityToken } : {}),
    ...params,
  };
  const canonical = Object.keys(all)
    .sort()
    .map((k) => `${enc(k)}=${enc(all[k])}`)
    .join("&");
  const signature = createHmac("sha1", `${key.accessKeySecret}&`)
    .update(`GET&${enc("/")}&${enc(canonical)}`)
    .digest("base64");
  all.Signature = signature;
  return {
    path: `/?${Object.keys(all)
      .map((k) => `${enc(k)}=${enc(all[k])}`)
      .join("&")}`,
    params: all,
  };
}
