// `npm run emulator -- [flags]`: prints one JSON line with the endpoint and the account's root key
// (a local fake key: printing it is this command's purpose), then serves until SIGINT/SIGTERM.
import { parseEmulatorArgs, usage, UsageError } from "./cliArgs";
import { startEmulator } from "./index";

async function main(): Promise<void> {
  let parsed: ReturnType<typeof parseEmulatorArgs>;
  try {
    parsed = parseEmulatorArgs(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`emulator: ${error.message}\nRun with --help for the flags.\n`);
    process.exitCode = 2;
    return;
  }
  if (parsed.help) {
    process.stdout.write(`${usage()}\n`);
    return;
  }
  const emulator = await startEmulator(parsed.options);
  process.stdout.write(
    `${JSON.stringify({
      endpoint: emulator.endpoint,
      accountId: emulator.accountId,
      accessKeyId: emulator.rootCredentials.accessKeyId,
      accessKeySecret: emulator.rootCredentials.accessKeySecret,
    })}\n`,
  );
  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    emulator.close().then(
      () => {
        process.exitCode = 0;
      },
      (error: unknown) => {
        process.stderr.write(`emulator: close failed: ${(error as Error).message}\n`);
        process.exitCode = 1;
      },
    );
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

main().catch((error: unknown) => {
  // Start-up failures (port in use, invalid options) carry a message naming the problem.
  process.stderr.write(`emulator: ${(error as Error).message}\n`);
  process.exitCode = (error as Error).message.startsWith("Invalid emulator options") ? 2 : 1;
});
