import { mkdtempSync, writeFileSync } from "node:fs";
import { createServer, request, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Readable } from "node:stream";
import { expect } from "vitest";
import { startEmulator, type Emulator, type EmulatorOptions } from "../../emulator";
import { runVerifyCli } from "../../verify/cli";

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * An emulator behind a recording pass-through proxy on 127.0.0.1: the proxy keeps every secret
 * the emulator hands out (STS secrets and tokens), so tests can prove none of them is printed.
 * Headers, Host included, pass unchanged, so signatures still verify.
 */
export interface VerifyHarness {
  emulator: Emulator;
  /** The proxy's `127.0.0.1:PORT`: give it to verify as `--endpoint`. */
  endpoint: string;
  /** Every secret seen so far: root secret, user secrets added with `knowSecret`, STS secrets and tokens. */
  secrets: Set<string>;
  knowSecret(secret: string): void;
  /** Every stdout and stderr text printed by runs in this harness, but those with `allowSecrets`. */
  transcripts: string[];
  /** runVerifyCli in-process with `--endpoint <proxy> --protocol http` prepended; asserts no known secret was printed. */
  run(
    argv: string[],
    io?: { env?: NodeJS.ProcessEnv; stdin?: Readable; endpoint?: string | null; allowSecrets?: boolean },
  ): Promise<CliRun>;
  writeOutputs(outputs: object): string;
  close(): Promise<void>;
}

function collect(stream: NodeJS.ReadableStream): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on("data", (chunk: Buffer) => chunks.push(chunk));
    stream.on("end", () => resolve(Buffer.concat(chunks)));
    stream.on("error", reject);
  });
}

function startRecordingProxy(target: string, onBody: (body: string) => void): Promise<Server> {
  const [host, port] = target.split(":");
  const server = createServer((req, res) => {
    void collect(req).then((body) => {
      const upstream = request(
        { host, port: Number(port), method: req.method, path: req.url, headers: req.headers },
        (answer) => {
          void collect(answer).then((answerBody) => {
            onBody(answerBody.toString("utf8"));
            res.writeHead(answer.statusCode ?? 502, answer.headers);
            res.end(answerBody);
          });
        },
      );
      upstream.on("error", () => res.destroy());
      upstream.end(body);
    });
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server)));
}

export async function startVerifyHarness(options: EmulatorOptions = {}): Promise<VerifyHarness> {
  const emulator = await startEmulator(options);
  const secrets = new Set<string>([emulator.rootCredentials.accessKeySecret]);
  const proxy = await startRecordingProxy(emulator.endpoint, (body) => {
    try {
      const credentials = (JSON.parse(body) as { Credentials?: Record<string, string> }).Credentials;
      if (credentials?.AccessKeySecret) secrets.add(credentials.AccessKeySecret);
      if (credentials?.SecurityToken) secrets.add(credentials.SecurityToken);
    } catch {
      // Not JSON (the injected 502 page): nothing to record.
    }
  });
  const endpoint = `127.0.0.1:${(proxy.address() as AddressInfo).port}`;
  const dir = mkdtempSync(join(tmpdir(), "verify-e2e-"));
  let files = 0;
  const transcripts: string[] = [];
  return {
    emulator,
    endpoint,
    secrets,
    transcripts,
    knowSecret: (secret) => secrets.add(secret),
    async run(argv, io = {}) {
      let stdout = "";
      let stderr = "";
      const target = io.endpoint === undefined ? endpoint : io.endpoint;
      const code = await runVerifyCli(
        [...(target === null ? [] : ["--endpoint", target, "--protocol", "http"]), ...argv],
        {
          env: io.env ?? {},
          stdout: (s) => (stdout += s),
          stderr: (s) => (stderr += s),
          ...(io.stdin ? { stdin: io.stdin } : {}),
        },
      );
      if (!io.allowSecrets) {
        transcripts.push(stdout, stderr);
        assertNoSecret(`${stdout}\n${stderr}`, secrets);
      }
      return { code, stdout, stderr };
    },
    writeOutputs(outputs) {
      const path = join(dir, `outputs-${++files}.json`);
      writeFileSync(path, JSON.stringify(outputs, null, 2));
      return path;
    },
    async close() {
      await new Promise<void>((resolve) => {
        proxy.close(() => resolve());
        proxy.closeAllConnections();
      });
      await emulator.close();
    },
  };
}

export function assertNoSecret(text: string, secrets: Iterable<string>): void {
  for (const secret of secrets) {
    expect(text.includes(secret), `a secret (${secret.slice(0, 3)}…) was printed`).toBe(false);
    expect(
      text.includes(encodeURIComponent(secret)),
      `a URL-encoded secret (${secret.slice(0, 3)}…) was printed`,
    ).toBe(false);
  }
}

/** A port on 127.0.0.1 where nothing listens: connections are refused. */
export async function closedPort(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `127.0.0.1:${port}`;
}
