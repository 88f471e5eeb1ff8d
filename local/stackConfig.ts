/**
 * Reads a stack's configuration the way the Pulumi engine would: project defaults from
 * Pulumi.yaml's `config:` block, then Pulumi.<stack>.yaml, then `key=value` overrides. The mock
 * runtime applies no defaults itself, so tests and `npm run local` feed it this merged map — the
 * defaults stay in one place (DESIGN.md, "Notes that save time").
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";

export const REPO_ROOT = path.resolve(__dirname, "..");

interface DeclaredSetting {
  type?: "string" | "integer" | "boolean" | "array";
  default?: unknown;
  value?: unknown;
}

export interface StackConfig {
  project: string;
  /** Fully qualified keys (`vod-sts:userName`, `alicloud:region`) → the string Pulumi passes the program. */
  values: Record<string, string>;
  /** Declared project settings and their types, for override parsing. */
  declared: Record<string, DeclaredSetting>;
}

export class StackConfigError extends Error {
  override name = "StackConfigError";
}

/** Pulumi passes structured values as JSON text and scalars as plain strings. */
const toConfigString = (value: unknown): string =>
  typeof value === "string" ? value : JSON.stringify(value);

function readYaml(file: string): Record<string, unknown> {
  try {
    return (parse(fs.readFileSync(file, "utf8")) ?? {}) as Record<string, unknown>;
  } catch (error) {
    throw new StackConfigError(
      `cannot read ${path.relative(process.cwd(), file) || file}: ${(error as Error).message}`,
    );
  }
}

export function loadStackConfig(
  stack: string,
  overrides: readonly string[] = [],
  root: string = REPO_ROOT,
): StackConfig {
  if (!/^[A-Za-z0-9_.-]+$/.test(stack)) {
    throw new StackConfigError(
      `--stack ${JSON.stringify(stack)} is not a stack name: use letters, digits, '.', '_', '-'`,
    );
  }
  const projectFile = readYaml(path.join(root, "Pulumi.yaml"));
  const project = String(projectFile.name);
  const declaredBlock = (projectFile.config ?? {}) as Record<string, DeclaredSetting>;
  const values: Record<string, string> = {};
  const declared: Record<string, DeclaredSetting> = {};
  for (const [key, setting] of Object.entries(declaredBlock)) {
    if (key.includes(":")) {
      if (setting?.value !== undefined) values[key] = toConfigString(setting.value);
      continue;
    }
    declared[key] = setting;
    if (setting?.default !== undefined) values[`${project}:${key}`] = toConfigString(setting.default);
  }

  const stackFile = path.join(root, `Pulumi.${stack}.yaml`);
  if (fs.existsSync(stackFile)) {
    const stackConfig = (readYaml(stackFile).config ?? {}) as Record<string, unknown>;
    for (const [key, value] of Object.entries(stackConfig)) {
      const fullKey = key.includes(":") ? key : `${project}:${key}`;
      if (value !== null && typeof value === "object" && "secure" in value) {
        throw new StackConfigError(
          `${fullKey} in Pulumi.${stack}.yaml is encrypted and cannot be read offline: override it with --config ${key}=…`,
        );
      }
      values[fullKey] = toConfigString(value);
    }
  } else {
    throw new StackConfigError(`no Pulumi.${stack}.yaml next to Pulumi.yaml: create it or use --stack dev`);
  }

  for (const override of overrides) {
    const eq = override.indexOf("=");
    if (eq <= 0) throw new StackConfigError(`--config ${JSON.stringify(override)} is not key=value`);
    const key = override.slice(0, eq);
    const raw = override.slice(eq + 1);
    const [namespace, name] = key.includes(":") ? key.split(":", 2) : [project, key];
    if (namespace === project && !(name in declared)) {
      throw new StackConfigError(
        `--config ${key}: unknown setting; the settings are ${Object.keys(declared).join(", ")}`,
      );
    }
    const type = namespace === project ? declared[name]?.type : undefined;
    // A list may be given as JSON (["user","account"]) or comma-separated (user,account).
    values[`${namespace}:${name}`] =
      type === "array" && !raw.trim().startsWith("[")
        ? JSON.stringify(
            raw
              .split(",")
              .map((s) => s.trim())
              .filter((s) => s !== ""),
          )
        : raw;
  }
  return { project, values, declared };
}
