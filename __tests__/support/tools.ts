/**
 * External tools some tests run, and where each comes from. Under `CI=true` a missing tool fails
 * the test with a message naming the tool and how to get it; locally the test is skipped with
 * the same message (and `.ci/run` fails on any skipped test anyway).
 */
import { spawnSync } from "node:child_process";

export interface TestTool {
  /** The command as the tests run it. */
  readonly command: string;
  /** Arguments that make it print its version and exit 0. */
  readonly versionArgs: readonly string[];
  /** Where it comes from on CI and on a developer machine. */
  readonly source: string;
}

export const TERRAFORM: TestTool = {
  command: "terraform",
  versionArgs: ["version"],
  source:
    "Terraform 1.11 is preinstalled on the CI machines at /usr/local/bin/terraform (not a Debian package; " +
    "elsewhere install it from https://releases.hashicorp.com/terraform/ or with hashicorp/setup-terraform)",
};

export const SHELLCHECK: TestTool = {
  command: "shellcheck",
  versionArgs: ["--version"],
  source: "the Debian package shellcheck, installed by bash .ci/install-test-tools.sh",
};

/** Whether `tool` runs here (its version command exits 0). */
export function toolAvailable(tool: TestTool): boolean {
  return spawnSync(tool.command, [...tool.versionArgs], { stdio: "ignore" }).status === 0;
}

/** The message a missing tool produces. */
export function missingToolMessage(tool: TestTool): string {
  return `${tool.command} is not installed or not on PATH: ${tool.source}`;
}

/**
 * Call at the start of a test that runs `tool`: under `CI=true` (or `env.CI` given) a missing tool
 * throws, otherwise the test is skipped with a warning. Both name the tool and where it comes from.
 */
export function requireTool(
  ctx: { skip: () => void },
  tool: TestTool,
  env: NodeJS.ProcessEnv = process.env,
  available: (t: TestTool) => boolean = toolAvailable,
): void {
  if (available(tool)) return;
  const message = missingToolMessage(tool);
  if (env.CI === "true" || env.CI === "1") throw new Error(message);
  console.warn(`SKIPPED: ${message}`);
  ctx.skip();
}

export const OPENSSL: TestTool = {
  command: "openssl",
  versionArgs: ["version"],
  source:
    "the Debian package openssl, installed by bash .ci/install-test-tools.sh (the smoke test makes its throwaway " +
    "certificate authority for a local HTTPS server with it; Node has no X.509 generation)",
};
