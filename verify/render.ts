import { SecretMasker } from "./mask";
import type { CheckResult, Verdict, VerifyReport } from "./types";

const SYMBOL: Record<Verdict, string> = { pass: "✔", fail: "✘", skip: "-" };
// ANSI: green, red, yellow.
const COLOR: Record<Verdict, string> = { pass: "\u001b[32m", fail: "\u001b[31m", skip: "\u001b[33m" };
const RESET = "\u001b[0m";

export function formatDuration(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

function tally(checks: readonly CheckResult[]): string {
  const count = (verdict: Verdict) => checks.filter((check) => check.verdict === verdict).length;
  return `${count("pass")} passed, ${count("fail")} failed, ${count("skip")} skipped`;
}

/**
 * One line per check (verdict, name, duration, what was proven or cause and fix), then a summary.
 * With `showSecrets`, the temporary credentials follow as `export` lines for a person who wants a
 * token by hand; otherwise every known secret is masked.
 */
export function renderText(report: VerifyReport, opts: { showSecrets: boolean; color: boolean }): string {
  const masker = new SecretMasker(report.secrets);
  const width = Math.max(...report.checks.map((check) => check.name.length));
  const lines = report.checks.map((check) => {
    const verdict = `${SYMBOL[check.verdict]} ${check.verdict}`;
    const painted = opts.color ? `${COLOR[check.verdict]}${verdict}${RESET}` : verdict;
    const duration = check.verdict === "skip" ? "" : formatDuration(check.durationMs);
    return `${painted}  ${check.name.padEnd(width)}  ${duration.padStart(7)}  ${masker.mask(check.message)}`;
  });
  const outcome = report.ok ? "verified" : "NOT verified";
  lines.push(
    `${outcome}: ${report.roleArn} — ${tally(report.checks)} in ${formatDuration(report.durationMs)}`,
  );
  const credentials = report.temporaryCredentials;
  if (opts.showSecrets && credentials) {
    lines.push(
      "",
      `# temporary credentials, valid until ${credentials.expiration}`,
      `export ALIBABA_CLOUD_ACCESS_KEY_ID=${credentials.accessKeyId}`,
      `export ALIBABA_CLOUD_ACCESS_KEY_SECRET=${credentials.accessKeySecret}`,
      `export ALIBABA_CLOUD_SECURITY_TOKEN=${credentials.securityToken}`,
    );
  }
  return lines.join("\n") + "\n";
}

/** One JSON document: checks, verdicts, durations, identity, expiry — never a secret. */
export function renderJson(report: VerifyReport): string {
  const masker = new SecretMasker(report.secrets);
  // temporaryCredentials and secrets are not enumerable, so they are not serialised.
  return masker.mask(JSON.stringify(report, null, 2)) + "\n";
}

function cell(text: string): string {
  return text.replace(/\|/g, "\\|").replace(/\r?\n/g, " ");
}

/** A Markdown table for `$GITHUB_STEP_SUMMARY`. */
export function renderStepSummary(report: VerifyReport): string {
  const masker = new SecretMasker(report.secrets);
  const heading = report.ok ? "✅ STS chain verified" : "❌ STS chain NOT verified";
  const rows = report.checks.map(
    (check) =>
      `| ${SYMBOL[check.verdict]} ${check.verdict} | \`${check.name}\` | ${check.verdict === "skip" ? "" : formatDuration(check.durationMs)} | ${cell(masker.mask(check.message))} |`,
  );
  return [
    `### ${heading}`,
    "",
    `Role \`${report.roleArn}\` in ${report.region}: ${tally(report.checks)} in ${formatDuration(report.durationMs)}.`,
    "",
    "| verdict | check | duration | detail |",
    "|---|---|---|---|",
    ...rows,
    "",
  ].join("\n");
}
