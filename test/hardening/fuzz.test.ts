// Fuzz (issue 8): 10,000 generated malformed or hostile requests against one emulator over raw
// HTTP — random methods, paths and parameters, bad percent-encodings and invalid UTF-8, huge
// values, header injection and smuggling attempts on a raw socket, tampered and truncated V3/V1
// signatures, and correctly signed calls with hostile parameters (which reach the handlers). No
// fault is injected, so: no crash, no 5xx, every answer JSON with a documented code
// (emulator/errors.ts). The generator is a seeded PRNG: a failure names its request number, and
// the same seed replays the same requests.
import { randomUUID } from "node:crypto";
import { Agent, request } from "node:http";
import { connect } from "node:net";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { startEmulator, type Emulator } from "../../emulator";
import { ERRORS } from "../../emulator/errors";
import { PRODUCTS } from "../../emulator/routes";
import { acsDate, signV1, signV3 } from "../emulator/rawHttp";

const SEED = 0x5eed_2026;
const REQUESTS = 10_000;
const CONCURRENCY = 16;

/** mulberry32: small, fast, and the same sequence for the same seed on every machine. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Codes the emulator documents: the table, plus the `Missing<Name>`/`InvalidParameter.<Name>` families. */
function isDocumentedCode(code: unknown): boolean {
  if (typeof code !== "string") return false;
  return code in ERRORS || /^Missing[A-Za-z]+$/.test(code) || /^InvalidParameter\.[A-Za-z]+$/.test(code);
}

const VERSIONS = PRODUCTS.map((p) => p.version);
const ACTIONS = PRODUCTS.flatMap((p) => p.actions.map((a) => ({ version: p.version, action: a.action })));
const PARAM_NAMES = [
  "RoleArn",
  "RoleSessionName",
  "DurationSeconds",
  "Policy",
  "ExternalId",
  "SourceIdentity",
  "UserName",
  "RoleName",
  "PolicyName",
  "PolicyType",
  "PolicyDocument",
  "AssumeRolePolicyDocument",
  "UserAccessKeyId",
  "Status",
  "MaxSessionDuration",
  "MaxItems",
  "Marker",
  "CateId",
  "PageNo",
  "PageSize",
  "VideoId",
  "Title",
  "FileName",
  "ResourceGroupId",
  "PrincipalName",
  "PrincipalType",
  "Action",
  "Version",
  "Format",
  "Timestamp",
  "SignatureNonce",
  "AccessKeyId",
  "SecurityToken",
  "Signature",
  "SignatureMethod",
  "SignatureVersion",
];

interface Generated {
  /** What the request is, for the failure message. */
  kind: string;
  method: string;
  path: string;
  headers: Record<string, string>;
  body: Buffer;
  /** Bytes written on a raw socket instead (requests Node's client refuses to build). */
  raw?: Buffer;
}

function makeGenerator(emulator: Emulator, random: () => number) {
  const int = (n: number) => Math.floor(random() * n);
  const pick = <T>(items: readonly T[]): T => items[int(items.length)];
  const chance = (p: number) => random() < p;
  const asciiChars = [..."abcXYZ019 -_.~!*'();:@&=+$,/?#[]%\"<>\\^`{|}"];

  const text = (max: number): string => Array.from({ length: int(max) }, () => pick(asciiChars)).join("");
  const hostileValue = (): string =>
    pick([
      () => "",
      () => text(40),
      () => "x".repeat(1 + int(9000)),
      () => String(pick([-1, 0, 1, 899, 900, 43200, 43201, 1e21, Number.MAX_SAFE_INTEGER])),
      () => pick(["NaN", "Infinity", "-0", "0x10", "1e309", "true", "null", "undefined", "[]", "{}"]),
      () => pick(["../../etc/passwd", "<script>alert(1)</script>", "${jndi:ldap://x}", "' OR 1=1 --", "%00"]),
      () =>
        pick([
          "acs:ram::*:role/*",
          `acs:ram::1234567890123456:role/${text(70)}`,
          "acs:ram:::role/",
          "arn:aws:iam::1:role/x",
        ]),
      () => "日本語🎬\u202eRTL\u0000NUL",
      () =>
        JSON.stringify({
          Version: "1",
          Statement: [
            {
              Effect: pick(["Allow", "Deny", "Maybe"]),
              Action: pick(["*", "vod:*", 1, null]),
              Resource: pick(["*", [], {}]),
            },
          ],
        }),
      () => `{"Version":"1","Statement":${"[".repeat(1 + int(200))}`,
      () => pick(["Active", "Inactive", "System", "Custom", "User", "ServiceRole"]),
    ])();
  const params = (): Record<string, string> => {
    const out: Record<string, string> = {};
    for (let i = int(8); i > 0; i--) out[chance(0.8) ? pick(PARAM_NAMES) : text(12) || "k"] = hostileValue();
    return out;
  };
  const enc = (s: string) => encodeURIComponent(s);
  const query = (p: Record<string, string>) =>
    Object.entries(p)
      .map(([k, v]) => `${enc(k)}=${enc(v)}`)
      .join("&");

  const root = emulator.rootCredentials;
  const STS_VERSION = "2015-04-01";

  const signedV3 = (action: string, version: string, q: Record<string, string>) =>
    signV3(emulator.endpoint, root, action, version, q);

  const generators: { weight: number; make: () => Generated }[] = [
    {
      weight: 15,
      make: () => {
        // Unsigned, anything goes that Node's client can send.
        const method = pick(["GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "PROPFIND", "TRACE"]);
        const path = pick([
          "/",
          "/",
          "/",
          "//",
          "/sts",
          "/?",
          "/a/b/c",
          `/${text(30).replace(/[^\w]/g, "")}`,
        ]);
        const p = params();
        if (chance(0.6)) p.Version = pick([...VERSIONS, text(10)]);
        if (chance(0.6)) p.Action = pick([...ACTIONS.map((a) => a.action), text(10)]);
        const inBody = method !== "GET" && chance(0.5);
        return {
          kind: `unsigned ${method}`,
          method,
          path: inBody ? path : `${path}${path.includes("?") ? "" : "?"}${query(p)}`,
          headers: inBody ? { "content-type": "application/x-www-form-urlencoded" } : {},
          body: Buffer.from(inBody ? query(p) : ""),
        };
      },
    },
    {
      weight: 20,
      make: () => {
        // Correctly signed with the root key: hostile parameters reach the handlers.
        const { action, version } = pick(ACTIONS);
        const signed = signedV3(action, version, params());
        return { kind: `signed V3 ${action}`, ...signed, body: Buffer.from(signed.body) };
      },
    },
    {
      weight: 10,
      make: () => {
        const { action, version } = pick(ACTIONS);
        const signed = signV1(root, action, version, params());
        return {
          kind: `signed V1 ${action}`,
          method: "GET",
          path: signed.path,
          headers: {},
          body: Buffer.alloc(0),
        };
      },
    },
    {
      weight: 15,
      make: () => {
        // A V3 request tampered with after signing.
        const signed = signedV3(pick(["GetCallerIdentity", "AssumeRole"]), STS_VERSION, params());
        const h = signed.headers;
        const how = pick([
          "truncate-signature",
          "drop-header",
          "bad-date",
          "old-date",
          "unknown-key",
          "sts-key-no-token",
          "junk-token",
          "junk-authorization",
          "mismatched-key-header",
          "algorithm",
        ]);
        switch (how) {
          case "truncate-signature":
            h.authorization = h.authorization.slice(0, h.authorization.length - 1 - int(64));
            break;
          case "drop-header":
            delete h[
              pick([
                "x-acs-date",
                "x-acs-signature-nonce",
                "x-acs-content-sha256",
                "x-acs-action",
                "x-acs-version",
              ])
            ];
            break;
          case "bad-date":
            h["x-acs-date"] = pick(["yesterday", "2026-13-45T99:99:99Z", "", "0", new Date().toUTCString()]);
            break;
          case "old-date":
            h["x-acs-date"] = acsDate(Date.now() - 3_600_000);
            break;
          case "unknown-key":
            h.authorization = h.authorization.replace(
              /Credential=[^,]+/,
              `Credential=LTAI${text(20).replace(/\W/g, "Z")}`,
            );
            break;
          case "sts-key-no-token":
            h.authorization = h.authorization.replace(
              /Credential=[^,]+/,
              "Credential=STS.NUgYrLnoC37mZZCNnAbez",
            );
            break;
          case "junk-token":
            h.authorization = h.authorization.replace(
              /Credential=[^,]+/,
              "Credential=STS.NUgYrLnoC37mZZCNnAbez",
            );
            h["x-acs-security-token"] = pick([
              "CAIS",
              "CAISbm90IGEgdG9rZW4=.AAAA",
              `CAIS${text(200).replace(/\W/g, "A")}.x`,
              "garbage",
            ]);
            break;
          case "junk-authorization":
            h.authorization = pick([
              "",
              "ACS3-HMAC-SHA256",
              "Bearer x",
              "ACS3-HMAC-SHA256 Credential=,SignedHeaders=,Signature=",
              text(300).replace(/[^\x20-\x7e]/g, ""),
            ]);
            break;
          case "mismatched-key-header":
            h["x-acs-accesskey-id"] = "LTAIsomeoneElse";
            break;
          case "algorithm":
            h.authorization = h.authorization.replace(
              "ACS3-HMAC-SHA256",
              pick(["ACS3-HMAC-SM3", "ACS3-RSA-SHA256", "HMAC-SHA1"]),
            );
            break;
        }
        return {
          kind: `tampered V3 (${how})`,
          method: signed.method,
          path: signed.path,
          headers: h,
          body: Buffer.from(signed.body),
        };
      },
    },
    {
      weight: 10,
      make: () => {
        // A V1 request tampered with after signing.
        const signed = signV1(root, "GetCallerIdentity", STS_VERSION, {});
        const how = pick(["truncate", "method", "timestamp", "version", "duplicate"]);
        let path = signed.path;
        if (how === "truncate") path = path.slice(0, path.length - 1 - int(20));
        if (how === "method")
          path = path.replace(
            "SignatureMethod=HMAC-SHA1",
            `SignatureMethod=${pick(["HMAC-SHA256", "", "MD5"])}`,
          );
        if (how === "timestamp")
          path = path.replace(/Timestamp=[^&]+/, `Timestamp=${enc(pick(["x", "2026-01-01", ""]))}`);
        if (how === "version") path = path.replace("SignatureVersion=1.0", "SignatureVersion=9.9");
        if (how === "duplicate") path = `${path}&Action=AssumeRole&Action=ListUsers`;
        return {
          kind: `tampered V1 (${how})`,
          method: pick(["GET", "POST"]),
          path,
          headers: {},
          body: Buffer.alloc(0),
        };
      },
    },
    {
      weight: 12,
      make: () => {
        // Bad encodings in the query or the form body.
        const bad = pick(["%zz", "%e9", "%", "%%", "%c0%af", "%ed%a0%80", "%ff%fe", "a=%", "=%", "&&&==&"]);
        const inBody = chance(0.5);
        const version = pick(VERSIONS);
        if (inBody) {
          const bytes = chance(0.5)
            ? Buffer.from(`Action=GetCallerIdentity&Version=${version}&X=${bad}`)
            : Buffer.concat([
                Buffer.from("Action=GetCallerIdentity&X="),
                Buffer.from([0xc3, 0x28, 0xff, 0xfe, 0xa0]),
              ]);
          return {
            kind: `bad body encoding ${bad}`,
            method: "POST",
            path: "/",
            headers: { "content-type": "application/x-www-form-urlencoded" },
            body: bytes,
          };
        }
        return {
          kind: `bad query encoding ${bad}`,
          method: "GET",
          path: `/?Action=GetCallerIdentity&Version=${version}&${bad}=${bad}`,
          headers: {},
          body: Buffer.alloc(0),
        };
      },
    },
    {
      weight: 6,
      make: () => {
        // Huge: bodies past the 64 KiB limit, long query strings, thousands of parameters.
        const how = pick(["body", "query", "many"]);
        if (how === "body")
          return {
            kind: "huge body",
            method: "POST",
            path: "/",
            headers: {
              "content-type": pick([
                "application/x-www-form-urlencoded",
                "application/json",
                "application/octet-stream",
              ]),
            },
            body: Buffer.alloc(65_536 + 1 + int(200_000), 0x61),
          };
        if (how === "query")
          return {
            kind: "huge query",
            method: "GET",
            path: `/?Action=AssumeRole&Version=2015-04-01&RoleArn=${"a".repeat(6000 + int(6000))}`,
            headers: {},
            body: Buffer.alloc(0),
          };
        const many = Array.from({ length: 2000 }, (_, i) => `p${i}=${i}`).join("&");
        return {
          kind: "many params",
          method: "POST",
          path: "/",
          headers: { "content-type": "application/x-www-form-urlencoded" },
          body: Buffer.from(many),
        };
      },
    },
    {
      weight: 7,
      make: () => {
        // Raw socket: header injection, smuggling, malformed request lines, odd header names.
        const nonce = randomUUID();
        const lines = pick([
          [
            `GET /?Action=GetCallerIdentity&Version=2015-04-01 HTTP/1.1`,
            `Host: x`,
            `X-Acs-Action: GetCallerIdentity\r\nX-Injected: yes`,
          ],
          [`GET /?Action=GetCallerIdentity%0d%0aX-Injected:%20yes&Version=2015-04-01 HTTP/1.1`, `Host: x`],
          [`POST / HTTP/1.1`, `Host: x`, `Content-Length: 5`, `Transfer-Encoding: chunked`],
          [`GET / HTTP/1.1`, `Host: x`, `Bad Header: x`],
          [`GET / HTTP/1.1`, `Host: x`, `x-acs-date: ${"9".repeat(20_000)}`],
          [`G\u0000T / HTTP/1.1`, `Host: x`],
          [`GET /\u0001 HTTP/1.1`, `Host: x`],
          [`GET / HTTP/9.9`, `Host: x`],
          [
            `GET / HTTP/1.1`,
            `Host: x`,
            `x-acs-signature-nonce: ${nonce}`,
            `x-acs-signature-nonce: ${nonce}`,
            `authorization: a`,
            `authorization: b`,
          ],
          [
            `POST / HTTP/1.1`,
            `Host: x`,
            `Content-Type: application/x-www-form-urlencoded`,
            `Content-Length: 0`,
          ],
          [text(40).replace(/[\r\n]/g, "")],
        ]);
        const head = `${lines.join("\r\n")}\r\nConnection: close\r\n\r\n`;
        return {
          kind: `raw ${JSON.stringify(lines[0]).slice(0, 60)}`,
          method: "",
          path: "",
          headers: {},
          body: Buffer.alloc(0),
          raw: Buffer.from(head, "latin1"),
        };
      },
    },
    {
      weight: 5,
      make: () => {
        // Content types and bodies the emulator does not take parameters from.
        const ct = pick([
          "application/json",
          "text/plain",
          "multipart/form-data; boundary=x",
          "",
          "application/x-www-form-urlencoded; charset=latin1",
          "APPLICATION/X-WWW-FORM-URLENCODED",
        ]);
        const body = pick([
          `{"Action":"AssumeRole","Version":"2015-04-01"}`,
          "Action=ListUsers&Version=2015-05-01",
          "--x\r\nContent-Disposition: form-data; name=Action\r\n\r\nListUsers\r\n--x--",
          text(100),
        ]);
        return {
          kind: `content-type ${ct}`,
          method: "POST",
          path: pick(["/", "/?Version=2015-05-01"]),
          headers: ct ? { "content-type": ct } : {},
          body: Buffer.from(body),
        };
      },
    },
  ];
  const total = generators.reduce((sum, g) => sum + g.weight, 0);
  return (): Generated => {
    let r = random() * total;
    for (const g of generators) {
      r -= g.weight;
      if (r < 0) return g.make();
    }
    return generators[0].make();
  };
}

interface Answer {
  status: number;
  contentType: string | undefined;
  text: string;
}

function viaHttp(endpoint: string, agent: Agent, g: Generated): Promise<Answer> {
  const [host, port] = endpoint.split(":");
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host,
        port: Number(port),
        method: g.method,
        path: g.path,
        headers: { ...g.headers, "content-length": String(g.body.length) },
        agent,
        timeout: 10_000,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () =>
          resolve({
            status: res.statusCode ?? 0,
            contentType: res.headers["content-type"],
            text: Buffer.concat(chunks).toString("utf8"),
          }),
        );
        res.on("error", reject);
      },
    );
    req.on("timeout", () => req.destroy(new Error("no answer in 10 s")));
    req.on("error", reject);
    req.end(g.body);
  });
}

function viaSocket(endpoint: string, bytes: Buffer): Promise<Answer> {
  const [host, port] = endpoint.split(":");
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port: Number(port) });
    const chunks: Buffer[] = [];
    socket.setTimeout(10_000, () => socket.destroy(new Error("no answer in 10 s")));
    socket.on("connect", () => socket.end(bytes));
    socket.on("data", (c: Buffer) => chunks.push(c));
    socket.on("error", reject);
    socket.on("close", () => {
      const raw = Buffer.concat(chunks).toString("utf8");
      const split = raw.indexOf("\r\n\r\n");
      const head = split < 0 ? raw : raw.slice(0, split);
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1] ?? 0);
      const contentType = /^content-type:\s*(.+)$/im.exec(head)?.[1]?.trim();
      resolve({ status, contentType, text: split < 0 ? "" : raw.slice(split + 4) });
    });
  });
}

/** Errors Node's client raises before sending: such a request is written raw instead. */
const REFUSED_BY_CLIENT = new Set(["ERR_INVALID_CHAR", "ERR_UNESCAPED_CHARACTERS", "ERR_INVALID_HTTP_TOKEN"]);

async function send(endpoint: string, agent: Agent, g: Generated): Promise<Answer> {
  if (g.raw) return viaSocket(endpoint, g.raw);
  try {
    return await viaHttp(endpoint, agent, g);
  } catch (error) {
    if (!REFUSED_BY_CLIENT.has((error as { code?: string }).code ?? "")) throw error;
    const head = [
      `${g.method} ${g.path} HTTP/1.1`,
      "Host: fuzz",
      ...Object.entries(g.headers).map(([k, v]) => `${k}: ${v}`),
      `Content-Length: ${g.body.length}`,
      "Connection: close",
    ];
    return viaSocket(
      endpoint,
      Buffer.concat([Buffer.from(`${head.join("\r\n")}\r\n\r\n`, "latin1"), g.body]),
    );
  }
}

/** Why an answer breaks the contract, or undefined when it keeps it. */
function problemWith(answer: Answer): string | undefined {
  if (answer.status >= 500 || answer.status < 200) return `status ${answer.status}`;
  if (answer.contentType !== "application/json;charset=utf-8") return `content-type ${answer.contentType}`;
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(answer.text) as Record<string, unknown>;
  } catch {
    return `body is not JSON: ${answer.text.slice(0, 80)}`;
  }
  if (typeof body.RequestId !== "string") return "no RequestId";
  if (answer.status === 200) return undefined;
  if (!isDocumentedCode(body.Code)) return `undocumented code ${JSON.stringify(body.Code)}`;
  return undefined;
}

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(async () => {
  await emulator.close();
});

describe(`fuzz: ${REQUESTS} hostile requests (seed ${SEED})`, () => {
  it("every answer is JSON with a RequestId and a documented Code, never a 5xx, and the emulator keeps serving", async () => {
    const stderr = vi.spyOn(process.stderr, "write");
    const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
    const next = makeGenerator(emulator, prng(SEED));
    const generated = Array.from({ length: REQUESTS }, () => next());
    const failures: string[] = [];
    const statuses = new Map<number, number>();
    const codes = new Set<string>();
    let index = 0;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (index < generated.length) {
          const i = index++;
          const g = generated[i];
          try {
            const answer = await send(emulator.endpoint, agent, g);
            statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
            const problem = problemWith(answer);
            if (problem) failures.push(`#${i} ${g.kind}: ${problem}`);
            else if (answer.status !== 200) codes.add((JSON.parse(answer.text) as { Code: string }).Code);
          } catch (error) {
            failures.push(`#${i} ${g.kind}: ${(error as Error).message}`);
          }
        }
      }),
    );
    agent.destroy();
    stderr.mockRestore();

    expect(failures.slice(0, 40)).toEqual([]);
    expect([...statuses.keys()].filter((status) => status >= 500)).toEqual([]);
    // The run reached deep: signatures refused, handlers' validation hit, and the transport limits.
    for (const code of [
      "SignatureDoesNotMatch",
      "InvalidParameter.Format",
      "RequestEntityTooLarge",
      "IncompleteSignature",
    ])
      expect(codes.has(code), `no ${code} among ${[...codes].join(", ")}`).toBe(true);
    // No request made the server log an unexpected exception.
    const logged = stderr.mock.calls
      .map((call) => String(call[0]))
      .filter((line) => line.includes("emulator: unexpected"));
    expect(logged).toEqual([]);
  }, 120_000);

  it("after the fuzz the emulator still answers a correctly signed GetCallerIdentity with 200", async () => {
    const signed = signV3(emulator.endpoint, emulator.rootCredentials, "GetCallerIdentity", "2015-04-01", {});
    const answer = await viaHttp(emulator.endpoint, new Agent(), {
      ...signed,
      kind: "control",
      body: Buffer.from(signed.body),
    });
    expect(answer.status).toBe(200);
    expect((JSON.parse(answer.text) as { IdentityType: string }).IdentityType).toBe("Account");
  });
});
