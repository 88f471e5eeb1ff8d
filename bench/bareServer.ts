// The ceiling the emulator's throughput is compared with: a bare node:http server on 127.0.0.1
// that reads the request and answers one fixed JSON body shaped like an AssumeRole answer
// (reference/alibaba-api.md §2), no signature check, no routing. Prints one JSON line
// {"endpoint":"127.0.0.1:N"} like the emulator CLI, serves until SIGTERM/SIGINT.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

const ANSWER = JSON.stringify({
  RequestId: "6894B13B-6D71-4EF5-88FA-F32781734A7F",
  AssumedRoleUser: {
    AssumedRoleId: "344584339364951186:bench",
    Arn: "acs:ram::1234567890123456:role/vodrole/bench",
  },
  Credentials: {
    AccessKeyId: "STS.NUgYrLnoC37mZZCNnAbez1234",
    AccessKeySecret: "BenchFixedBodyNotASecretBenchFixedBody12345",
    SecurityToken: "CAISbenchfixedbody",
    Expiration: "2099-01-01T00:00:00Z",
  },
});

const server = createServer((req, res) => {
  req.resume();
  req.on("end", () => {
    res.writeHead(200, {
      "Content-Type": "application/json;charset=utf-8",
      "Content-Length": Buffer.byteLength(ANSWER),
      "x-acs-request-id": "6894B13B-6D71-4EF5-88FA-F32781734A7F",
    });
    res.end(ANSWER);
  });
});

server.listen(0, "127.0.0.1", () => {
  const { port } = server.address() as AddressInfo;
  process.stdout.write(`${JSON.stringify({ endpoint: `127.0.0.1:${port}` })}\n`);
});

const stop = (): void => {
  server.close();
  server.closeAllConnections();
};
process.once("SIGTERM", stop);
process.once("SIGINT", stop);
