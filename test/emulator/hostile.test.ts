import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type Emulator } from "../../emulator";
import { acsDate, send, sendBytes, signV1, signV3, type RawResponse } from "./rawHttp";

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(async () => {
  await emulator.close();
});

const STS = "2015-04-01";
const sign = (overrides: Parameters<typeof signV3>[5] = {}, query: Record<string, string> = {}) =>
  signV3(emulator.endpoint, emulator.rootCredentials, "GetCallerIdentity", STS, query, overrides);

function expectJsonError(response: RawResponse, status: number, code: string): void {
  expect(response.headers["content-type"]).toBe("application/json;charset=utf-8");
  expect(response.status).toBe(status);
  expect(response.json?.Code).toBe(code);
  expect(response.json?.RequestId).toMatch(/^[0-9A-F-]{36}$/);
}

describe("hostile input over raw HTTP: every failure is a JSON error, never a crash or a 500", () => {
  it("accepts a correctly hand-signed V3 request (control for the tampering tests)", async () => {
    const response = await send(emulator.endpoint, sign());
    expect(response.status).toBe(200);
    expect(response.json?.IdentityType).toBe("Account");
  });

  it("refuses a V3 request whose signature was altered with 400 SignatureDoesNotMatch", async () => {
    const request = sign();
    request.headers.authorization = request.headers.authorization.replace(
      /Signature=(.)/,
      (_m, c: string) => `Signature=${c === "0" ? "1" : "0"}`,
    );
    const response = await send(emulator.endpoint, request);
    expectJsonError(response, 400, "SignatureDoesNotMatch");
    expect(response.json?.Message).toBe("Specified signature does not match our calculation.");
  });

  it("refuses a V3 request whose query was changed after signing", async () => {
    const request = sign({}, { Extra: "one" });
    request.path = request.path.replace("one", "two");
    expectJsonError(await send(emulator.endpoint, request), 400, "SignatureDoesNotMatch");
  });

  it("refuses a body that does not match x-acs-content-sha256", async () => {
    const request = sign();
    request.body = "tampered=1";
    const response = await send(emulator.endpoint, request);
    expectJsonError(response, 400, "SignatureDoesNotMatch");
    expect(response.json?.Message).toContain("x-acs-content-sha256");
  });

  it("refuses a replayed request with 400 SignatureNonceUsed", async () => {
    const request = sign();
    expect((await send(emulator.endpoint, request)).status).toBe(200);
    const replay = await send(emulator.endpoint, request);
    expectJsonError(replay, 400, "SignatureNonceUsed");
    expect(replay.json?.Message).toBe("Specified signature nonce was used already.");
  });

  it.each([
    ["16 minutes ago", -16],
    ["16 minutes ahead", 16],
  ])("refuses a timestamp %s with 400 InvalidTimeStamp.Expired", async (_name, minutes) => {
    const response = await send(emulator.endpoint, sign({ date: acsDate(Date.now() + minutes * 60_000) }));
    expectJsonError(response, 400, "InvalidTimeStamp.Expired");
  });

  it("accepts a timestamp 14 minutes old (inside the ±15 min window)", async () => {
    expect((await send(emulator.endpoint, sign({ date: acsDate(Date.now() - 14 * 60_000) }))).status).toBe(
      200,
    );
  });

  it("refuses a garbage timestamp with InvalidTimeStamp.Format naming the header", async () => {
    const response = await send(emulator.endpoint, sign({ date: "yesterday" }));
    expectJsonError(response, 400, "InvalidTimeStamp.Format");
    expect(response.json?.Message).toContain('x-acs-date is "yesterday"');
  });

  it("answers an unsigned request with 400 MissingAccessKeyId", async () => {
    const response = await send(emulator.endpoint, { path: `/?Action=GetCallerIdentity&Version=${STS}` });
    expectJsonError(response, 400, "MissingAccessKeyId");
    expect(response.json?.Message).toBe("AccessKeyId is mandatory for this action.");
  });

  it("answers a garbage Authorization header with 400 IncompleteSignature", async () => {
    const request = sign();
    request.headers.authorization = "Bearer abc";
    expectJsonError(await send(emulator.endpoint, request), 400, "IncompleteSignature");
  });

  it("refuses a V3 request that leaves x-acs-date unsigned with IncompleteSignature", async () => {
    const request = sign();
    request.headers.authorization = request.headers.authorization.replace("x-acs-date;", "");
    const response = await send(emulator.endpoint, request);
    expectJsonError(response, 400, "IncompleteSignature");
    expect(response.json?.Message).toContain("x-acs-date must be signed");
  });

  it("answers an unknown AccessKey ID with 404 InvalidAccessKeyId.NotFound", async () => {
    const request = signV3(
      emulator.endpoint,
      { accessKeyId: "LTAI_no_such_key", accessKeySecret: "x" },
      "GetCallerIdentity",
      STS,
      {},
    );
    const response = await send(emulator.endpoint, request);
    expectJsonError(response, 404, "InvalidAccessKeyId.NotFound");
    expect(response.json?.Message).toBe("Specified access key is not found.");
  });

  it("answers a body over 64 KiB with 413 RequestEntityTooLarge", async () => {
    const response = await send(emulator.endpoint, {
      body: Buffer.alloc(200 * 1024, 0x61),
      headers: { "content-type": "application/x-www-form-urlencoded" },
    });
    expectJsonError(response, 413, "RequestEntityTooLarge");
  });

  it("answers a non-UTF-8 body with 400 InvalidParameter.Encoding", async () => {
    const response = await send(emulator.endpoint, {
      body: Buffer.from([0x41, 0xff, 0xfe, 0x80]),
      headers: { "content-type": "application/x-www-form-urlencoded" },
    });
    expectJsonError(response, 400, "InvalidParameter.Encoding");
  });

  it("answers a malformed percent-encoding in the query with 400 InvalidParameter.Format", async () => {
    const response = await send(emulator.endpoint, { path: "/?Action=%E0%A4%A&Version=2015-04-01" });
    expectJsonError(response, 400, "InvalidParameter.Format");
    expect(response.json?.Message).toContain("query string");
  });

  it("answers garbage bytes in the header block with a JSON 400", async () => {
    const response = await sendBytes(
      emulator.endpoint,
      "POST / HTTP/1.1\r\nHost: x\r\nBad Header\x01: y\r\n\r\n",
    );
    expectJsonError(response, 400, "InvalidParameter.Format");
  });

  it("answers headers larger than Node's limit with a JSON 431", async () => {
    const response = await sendBytes(
      emulator.endpoint,
      `GET / HTTP/1.1\r\nHost: x\r\nx-big: ${"a".repeat(20_000)}\r\n\r\n`,
    );
    expect(response.status).toBe(431);
    expect(response.json?.Code).toBe("RequestEntityTooLarge");
  });

  it("answers an unknown API version with 400 InvalidVersion listing the served versions", async () => {
    const response = await send(
      emulator.endpoint,
      signV3(emulator.endpoint, emulator.rootCredentials, "GetCallerIdentity", "2099-01-01", {}),
    );
    expectJsonError(response, 400, "InvalidVersion");
    expect(response.json?.Message).toContain("2015-04-01 (STS)");
  });

  it("answers an unknown action with 404 InvalidAction.NotFound", async () => {
    const response = await send(
      emulator.endpoint,
      signV3(emulator.endpoint, emulator.rootCredentials, "DropAllTables", STS, {}),
    );
    expectJsonError(response, 404, "InvalidAction.NotFound");
    expect(response.json?.Message).toBe("Specified api is not found, please check your url and method.");
  });

  it("answers another method or path with 404 InvalidAction.NotFound", async () => {
    expectJsonError(
      await send(emulator.endpoint, { method: "DELETE", path: "/" }),
      404,
      "InvalidAction.NotFound",
    );
    expectJsonError(
      await send(emulator.endpoint, { method: "GET", path: "/favicon.ico" }),
      404,
      "InvalidAction.NotFound",
    );
  });

  it("accepts a hand-signed V1 GET request and refuses it once tampered, echoing the string to sign", async () => {
    const { path } = signV1(emulator.rootCredentials, "GetCallerIdentity", STS, {});
    expect((await send(emulator.endpoint, { method: "GET", path })).status).toBe(200);
    const tampered = signV1(emulator.rootCredentials, "GetCallerIdentity", STS, {}).path.replace(
      /Signature=[^&]+/,
      "Signature=AAAA",
    );
    const response = await send(emulator.endpoint, { method: "GET", path: tampered });
    expectJsonError(response, 400, "SignatureDoesNotMatch");
    expect(response.json?.Message).toMatch(
      /^Specified signature does not match our calculation\. server string to sign is:GET&%2F&AccessKeyId%3D/,
    );
  });

  it("refuses a V1 request with another SignatureMethod with IncompleteSignature naming the allowed one", async () => {
    const { path } = signV1(emulator.rootCredentials, "GetCallerIdentity", STS, {
      SignatureMethod: "HMAC-MD5",
    });
    const response = await send(emulator.endpoint, { method: "GET", path });
    expectJsonError(response, 400, "IncompleteSignature");
    expect(response.json?.Message).toContain("allowed: HMAC-SHA1");
  });

  it("shapes every error body as {RequestId, HostId, Code, Message, Recommend} with the x-acs-request-id header", async () => {
    const response = await send(
      emulator.endpoint,
      signV3(emulator.endpoint, emulator.rootCredentials, "DropAllTables", STS, {}),
    );
    expect(Object.keys(response.json ?? {})).toEqual(["RequestId", "HostId", "Code", "Message", "Recommend"]);
    const requestId = String(response.json?.RequestId);
    expect(response.headers["x-acs-request-id"]).toBe(requestId);
    expect(response.json?.HostId).toBe("sts.aliyuncs.com");
    expect(response.json?.Recommend).toBe(
      `https://api.aliyun.com/troubleshoot?q=InvalidAction.NotFound&product=Sts&requestId=${requestId}`,
    );
  });

  it("keeps serving after all of the above", async () => {
    const response = await send(emulator.endpoint, sign());
    expect([response.status, response.json?.AccountId]).toEqual([200, emulator.accountId]);
  });
});
