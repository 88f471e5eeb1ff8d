// The baseline verify is compared with: the smallest program that does the recipe's one call —
// read the stack outputs, AssumeRole with the user's key through the official STS SDK, print the
// temporary key ID. Same flags as verify for the parts they share, run the same way (through tsx).
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { $OpenApiUtil } from "@alicloud/openapi-core";
import StsClient, { AssumeRoleRequest } from "@alicloud/sts20150401";

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      outputs: { type: "string" },
      endpoint: { type: "string" },
      protocol: { type: "string", default: "https" },
    },
    strict: true,
  });
  if (!values.outputs || !values.endpoint) {
    process.stderr.write("usage: tsx bench/minimalAssumeRole.ts --outputs FILE --endpoint HOST:PORT\n");
    process.exitCode = 2;
    return;
  }
  const outputs = JSON.parse(readFileSync(values.outputs, "utf8")) as Record<string, string>;
  const client = new StsClient(
    new $OpenApiUtil.Config({
      accessKeyId: outputs.accessKeyId,
      accessKeySecret: outputs.accessKeySecret,
      endpoint: values.endpoint,
      protocol: values.protocol,
    }),
  );
  const { body } = await client.assumeRole(
    new AssumeRoleRequest({
      roleArn: outputs.roleArn,
      roleSessionName: "bench-minimal",
      durationSeconds: 900,
    }),
  );
  process.stdout.write(`${body?.credentials?.accessKeyId ?? "no credentials"}\n`);
}

main().catch((error: unknown) => {
  // The SDK's error message carries no secret; the code is what a user would act on.
  process.stderr.write(`minimalAssumeRole: ${(error as { code?: string }).code ?? (error as Error).name}\n`);
  process.exitCode = 1;
});
