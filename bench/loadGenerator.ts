// Load generator for the throughput and memory benchmarks, run as its own process (pinned to its
// own core by bench/run.ts): N concurrent official STS SDK clients (default V3 signing, the way
// the SDK is used in verify) calling AssumeRole in a loop on 127.0.0.1.
//
//   tsx bench/loadGenerator.ts --endpoint 127.0.0.1:N --key-id ID --role-arn ARN
//     [--concurrency 32] (--warmup-ms 2000 --duration-ms 10000 | --count 100000) [--max-ms 180000]
//     [--client sdk|raw]
//
// The AccessKey secret comes from the env (BENCH_ACCESS_KEY_SECRET), never from argv, which any
// local user can read in the process list. Prints one JSON line with the figures.
import { Agent, request as httpRequest } from "node:http";
import { parseArgs } from "node:util";
import { $OpenApiUtil } from "@alicloud/openapi-core";
import StsClient, { AssumeRoleRequest } from "@alicloud/sts20150401";
import { signV3 } from "../test/emulator/rawHttp";
import { percentile, round } from "./stats";

export interface LoadResult {
  /** Requests made during the warm-up (not in the figures below). */
  warmupRequests: number;
  requests: number;
  errors: number;
  /** Error counts by Alibaba code (or error name when there is no code). */
  errorCodes: Record<string, number>;
  elapsedMs: number;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
}

interface Plan {
  endpoint: string;
  keyId: string;
  secret: string;
  roleArn: string;
  concurrency: number;
  warmupMs: number;
  durationMs: number | undefined;
  count: number | undefined;
  /**
   * `sdk` (default): the official STS client. `raw`: the same V3-signed AssumeRole built by a
   * minimal signer over a keep-alive node:http agent — a lighter client, to tell the server's
   * ceiling from the SDK's own cost on the load generator's core.
   */
  client: "sdk" | "raw";
}

function integerFlag(
  value: string | undefined,
  name: string,
  fallback: number | undefined,
): number | undefined {
  if (value === undefined) return fallback;
  if (!/^\d{1,9}$/.test(value))
    throw new Error(`--${name} is ${JSON.stringify(value)}; allowed: a whole number`);
  return Number(value);
}

function readPlan(argv: string[]): Plan & { maxMs: number } {
  const { values } = parseArgs({
    args: argv,
    options: {
      endpoint: { type: "string" },
      "key-id": { type: "string" },
      "role-arn": { type: "string" },
      concurrency: { type: "string" },
      "warmup-ms": { type: "string" },
      "duration-ms": { type: "string" },
      count: { type: "string" },
      "max-ms": { type: "string" },
      client: { type: "string" },
    },
    strict: true,
  });
  const secret = process.env.BENCH_ACCESS_KEY_SECRET;
  if (!values.endpoint || !values["key-id"] || !values["role-arn"] || !secret) {
    throw new Error("needs --endpoint, --key-id, --role-arn and BENCH_ACCESS_KEY_SECRET in the env");
  }
  if (!/^127\.0\.0\.1:\d+$/.test(values.endpoint)) {
    throw new Error(
      `--endpoint is ${JSON.stringify(values.endpoint)}; allowed: 127.0.0.1:PORT (loopback only)`,
    );
  }
  const durationMs = integerFlag(values["duration-ms"], "duration-ms", undefined);
  const count = integerFlag(values.count, "count", undefined);
  if ((durationMs === undefined) === (count === undefined))
    throw new Error("give one of --duration-ms and --count");
  const client = values.client ?? "sdk";
  if (client !== "sdk" && client !== "raw")
    throw new Error(`--client is ${JSON.stringify(client)}; allowed: sdk, raw`);
  return {
    endpoint: values.endpoint,
    keyId: values["key-id"],
    secret,
    roleArn: values["role-arn"],
    concurrency: integerFlag(values.concurrency, "concurrency", 32)!,
    warmupMs: integerFlag(values["warmup-ms"], "warmup-ms", 0)!,
    durationMs,
    count,
    maxMs: integerFlag(values["max-ms"], "max-ms", 180_000)!,
    client,
  };
}

function errorCode(error: unknown): string {
  const e = error as { code?: unknown; name?: unknown };
  return typeof e.code === "string" ? e.code : typeof e.name === "string" ? e.name : "Error";
}

/** Warm-up (figures discarded), then the measured phase; every loop is bounded by time or count. */
export async function generateLoad(plan: Plan): Promise<LoadResult> {
  const request = new AssumeRoleRequest({
    roleArn: plan.roleArn,
    roleSessionName: "bench-load",
    durationSeconds: 900,
  });
  const clients = Array.from(
    { length: plan.concurrency },
    () =>
      new StsClient(
        new $OpenApiUtil.Config({
          accessKeyId: plan.keyId,
          accessKeySecret: plan.secret,
          endpoint: plan.endpoint,
          protocol: "http",
        }),
      ),
  );
  const agent = new Agent({ keepAlive: true, maxSockets: plan.concurrency });
  const [host, port] = plan.endpoint.split(":");
  const key = { accessKeyId: plan.keyId, accessKeySecret: plan.secret };
  const query = { RoleArn: plan.roleArn, RoleSessionName: "bench-load", DurationSeconds: "900" };
  /** One V3-signed AssumeRole over the shared agent; resolves with the error code, if any. */
  const callRaw = (): Promise<string | undefined> =>
    new Promise((resolve) => {
      const signed = signV3(plan.endpoint, key, "AssumeRole", "2015-04-01", query);
      const req = httpRequest(
        {
          host,
          port: Number(port),
          method: signed.method,
          path: signed.path,
          headers: signed.headers,
          agent,
          timeout: 10_000,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (c: Buffer) => chunks.push(c));
          res.on("end", () => {
            if (res.statusCode === 200) return resolve(undefined);
            try {
              resolve(
                (JSON.parse(Buffer.concat(chunks).toString("utf8")) as { Code?: string }).Code ??
                  `HTTP${res.statusCode}`,
              );
            } catch {
              resolve(`HTTP${res.statusCode}`);
            }
          });
        },
      );
      req.on("timeout", () => req.destroy(new Error("timeout")));
      req.on("error", (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
      req.end(signed.body);
    });
  const callOnce = async (client: StsClient): Promise<string | undefined> => {
    if (plan.client === "raw") return callRaw();
    try {
      await client.assumeRole(request);
      return undefined;
    } catch (error) {
      return errorCode(error);
    }
  };

  let warmupRequests = 0;
  if (plan.warmupMs > 0) {
    const warmEnd = Date.now() + plan.warmupMs;
    await Promise.all(
      clients.map(async (client) => {
        while (Date.now() < warmEnd) {
          warmupRequests += 1;
          await callOnce(client);
        }
      }),
    );
  }

  const latencies: number[] = [];
  const errorCodes: Record<string, number> = {};
  let started = 0;
  const t0 = performance.now();
  const endAt = plan.durationMs === undefined ? Infinity : t0 + plan.durationMs;
  const more = (): boolean => (plan.count !== undefined ? started < plan.count : performance.now() < endAt);
  await Promise.all(
    clients.map(async (client) => {
      while (more()) {
        started += 1;
        const begin = performance.now();
        const code = await callOnce(client);
        latencies.push(performance.now() - begin);
        if (code !== undefined) errorCodes[code] = (errorCodes[code] ?? 0) + 1;
      }
    }),
  );
  const elapsedMs = performance.now() - t0;
  agent.destroy();
  const errors = Object.values(errorCodes).reduce((a, b) => a + b, 0);
  return {
    warmupRequests,
    requests: latencies.length,
    errors,
    errorCodes,
    elapsedMs: round(elapsedMs, 0),
    requestsPerSecond: round((latencies.length / elapsedMs) * 1000, 0),
    p50Ms: latencies.length ? round(percentile(latencies, 50)) : 0,
    p99Ms: latencies.length ? round(percentile(latencies, 99)) : 0,
  };
}

if (require.main === module) {
  let plan: ReturnType<typeof readPlan>;
  try {
    plan = readPlan(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`loadGenerator: ${(error as Error).message}\n`);
    process.exitCode = 2;
    plan = undefined as never;
  }
  if (plan) {
    // A hard stop so a wedged server cannot keep the benchmark running.
    const guard = setTimeout(() => {
      process.stderr.write(`loadGenerator: still running after ${plan.maxMs} ms; giving up\n`);
      process.exit(1);
    }, plan.maxMs);
    generateLoad(plan).then(
      (result) => {
        clearTimeout(guard);
        process.stdout.write(`${JSON.stringify(result)}\n`);
      },
      (error: unknown) => {
        clearTimeout(guard);
        process.stderr.write(`loadGenerator: ${(error as Error).message}\n`);
        process.exitCode = 1;
      },
    );
  }
}
