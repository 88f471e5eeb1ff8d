// What the server reads off the wire before routing: method, path, decoded query and form
// parameters, headers, body and the peer address. Parsing never throws anything but ApiError.
import type { IncomingHttpHeaders } from "node:http";
import { apiError } from "./errors";

export type Params = Record<string, string>;

export interface ApiCall {
  method: string;
  /** The raw path as sent (V3 signs it). */
  pathname: string;
  /** Decoded query parameters (V3 signs these). */
  query: Params;
  /** Decoded x-www-form-urlencoded body parameters (V1 signs these with the query). */
  form: Params;
  /** Query and form together; a form value wins over a query value of the same name. */
  params: Params;
  headers: IncomingHttpHeaders;
  body: Buffer;
  /** acs:SourceIp: the peer address without the IPv4-mapped `::ffff:` prefix. */
  sourceIp: string;
}

/** Decodes `a=1&b=%20` the way application/x-www-form-urlencoded is defined (`+` is a space). */
export function parseUrlEncoded(text: string, where: string): Params {
  const params: Params = Object.create(null) as Params;
  if (text === "") return params;
  for (const pair of text.split("&")) {
    if (pair === "") continue;
    const eq = pair.indexOf("=");
    const rawKey = eq < 0 ? pair : pair.slice(0, eq);
    const rawValue = eq < 0 ? "" : pair.slice(eq + 1);
    try {
      params[decodeURIComponent(rawKey.replace(/\+/g, " "))] = decodeURIComponent(
        rawValue.replace(/\+/g, " "),
      );
    } catch {
      throw apiError("InvalidParameter.Format", `The ${where} holds a malformed percent-encoding.`);
    }
  }
  return params;
}

export function buildCall(
  method: string,
  url: string,
  headers: IncomingHttpHeaders,
  body: Buffer,
  remoteAddress: string | undefined,
): ApiCall {
  const q = url.indexOf("?");
  const pathname = q < 0 ? url : url.slice(0, q);
  const query = parseUrlEncoded(q < 0 ? "" : url.slice(q + 1), "query string");
  const contentType = headers["content-type"] ?? "";
  const form =
    body.length > 0 && contentType.toLowerCase().startsWith("application/x-www-form-urlencoded")
      ? parseUrlEncoded(body.toString("utf8"), "request body")
      : (Object.create(null) as Params);
  const params: Params = Object.assign(Object.create(null) as Params, query, form);
  const address = remoteAddress ?? "";
  return {
    method,
    pathname,
    query,
    form,
    params,
    headers,
    body,
    sourceIp: address.startsWith("::ffff:") ? address.slice(7) : address,
  };
}

/** A header as one string (Node joins repeated headers into arrays for a few names only). */
export function header(call: ApiCall, name: string): string | undefined {
  const value = call.headers[name];
  if (value === undefined) return undefined;
  return Array.isArray(value) ? value.join(",") : value;
}
