/**
 * Issue 11: the cdktf CLI runs quietly offline. `npm run synth:cli` sets what the CLI and Terraform
 * need (no checkpoint lookup, no telemetry, no version check), so its output is the synthesis and
 * nothing about the network. One real run, with those variables removed from the test's own
 * environment so that only the npm script can set them.
 */
import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";

const root = join(__dirname, "..", "..");
const scratch = mkdtempSync(join(tmpdir(), "synth-cli-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe("issue 11: the cdktf CLI offline", () => {
  it("`npm run synth:cli` writes every stack and prints no checkpoint, telemetry or version-check noise", async () => {
    const env: NodeJS.ProcessEnv = { ...process.env };
    for (const v of ["CHECKPOINT_DISABLE", "CDKTF_DISABLE_TELEMETRY", "DISABLE_VERSION_CHECK"]) delete env[v];
    // Terraform's warning about a missing CLI configuration file is about this machine's
    // TF_CLI_CONFIG_FILE, not the network (README "The cdktf CLI, quietly and offline"): an empty one.
    const rc = join(scratch, "terraformrc");
    writeFileSync(rc, "");
    env["TF_CLI_CONFIG_FILE"] = rc;
    const out = join(scratch, "out");
    const { stdout, stderr } = await promisify(execFile)("npm", ["run", "--silent", "synth:cli", "--", "--output", out], { cwd: root, env, maxBuffer: 1 << 24 });
    const output = `${stdout}\n${stderr}`;
    for (const stack of ["tracker-staging", "tracker-production", "tracker-bootstrap-staging", "tracker-bootstrap-production"]) {
      expect(existsSync(join(out, "stacks", stack, "cdk.tf.json")), stack).toBe(true);
    }
    expect(output).not.toMatch(/checkpoint/i);
    expect(output).not.toMatch(/ENOTFOUND|EAI_AGAIN|ECONNREFUSED/);
    expect(output).not.toMatch(/telemetry/i);
    expect(output).not.toMatch(/newer version|update available|version check/i);
    expect(output).not.toMatch(/\[ERROR\]/);
    expect(output).not.toMatch(/CLI configuration/);
  }, 180_000);
});
