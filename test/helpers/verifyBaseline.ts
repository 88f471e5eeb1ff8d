// The yardstick for verify's start-up cost: the smallest useful script with the same SDK — one
// AssumeRole with the user's key, printing the temporary key ID. Usage:
//   tsx test/helpers/verifyBaseline.ts OUTPUTS.json HOST:PORT
import { readFileSync } from "node:fs";
import { $OpenApiUtil } from "@alicloud/openapi-core";
import StsClient, { AssumeRoleRequest } from "@alicloud/sts20150401";

async function main(): Promise<void> {
  const [file, endpoint] = process.argv.slice(2);
  const outputs = JSON.parse(readFileSync(file, "utf8")) as Record<string, string>;
  const client = new StsClient(
    new $OpenApiUtil.Config({
      accessKeyId: outputs.accessKeyId,
      accessKeySecret: outputs.accessKeySecret,
      endpoint,
      protocol: "http",
    }),
  );
  const answer = await client.assumeRole(
    new AssumeRoleRequest({ roleArn: outputs.roleArn, roleSessionName: "baseline", durationSeconds: 900 }),
  );
  process.stdout.write(`${answer.body?.credentials?.accessKeyId}\n`);
}

void main();
