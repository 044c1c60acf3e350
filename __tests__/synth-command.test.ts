/**
 * CFG-5: what `npm run synth` reports, in-process (`runSynth` with its output captured): a refused
 * configuration prints each problem once and writes nothing; a successful synth prints one line per
 * stack it wrote. The same command as a real process, and through the cdktf CLI, is
 * __tests__/integration/synth-command.test.ts.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it, vi } from "vitest";
import { STAGING } from "../src/config/environments";
import type { EnvironmentDefinition } from "../src/config/types";
import { ConfigValidationError } from "../src/config/validate";
import { refusalLines, runSynth, writtenStackLines } from "../stacks/synth-command";
import { REFUSED_CONFIGURATION } from "./fixtures/refused-synth";
import { EXPECTED_REFUSAL } from "./support/refused-synth";

const work = mkdtempSync(join(tmpdir(), "synth-command-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function captured() {
  const out: string[][] = [];
  const err: string[][] = [];
  return { out, err, output: { out: (lines: readonly string[]) => out.push([...lines]), err: (lines: readonly string[]) => err.push([...lines]) } };
}

describe("CFG-5: a refused synth reports each problem once and writes nothing", () => {
  it("CFG-5: refusalLines prints a header and each distinct problem once", () => {
    expect(refusalLines(new ConfigValidationError(["staging.a: x", "staging.a: x", "project.b: y"]))).toEqual([
      "Invalid configuration (2 problems), nothing was synthesized:",
      "  - staging.a: x",
      "  - project.b: y",
    ]);
    expect(refusalLines(new ConfigValidationError(["staging.a: x"]))[0]).toBe("Invalid configuration (1 problem), nothing was synthesized:");
  });

  it("CFG-5: runSynth returns exit code 1, writes the problem list to stderr in one piece, nothing to stdout, and no output folder", () => {
    const outdir = join(work, "refused");
    const { out, err, output } = captured();
    expect(runSynth({ ...REFUSED_CONFIGURATION, outdir }, output)).toBe(1);
    expect(err).toEqual([EXPECTED_REFUSAL]);
    expect(out).toEqual([]);
    expect(existsSync(outdir)).toBe(false);
  });
});

describe("CFG-5: a successful synth says what it wrote", () => {
  const outdir = join(work, "cdktf.out");
  // The default output, the process's own streams, as `npm run synth` writes them.
  const out: string[] = [];
  const err: string[] = [];
  const stdout = vi.spyOn(process.stdout, "write").mockImplementation((text) => (out.push(String(text)), true));
  const stderr = vi.spyOn(process.stderr, "write").mockImplementation((text) => (err.push(String(text)), true));
  let code: number | undefined;
  try {
    code = runSynth({ outdir });
  } finally {
    stdout.mockRestore();
    stderr.mockRestore();
  }

  it("CFG-5: exit code 0, nothing on stderr, one newline-terminated stdout write of one line per stack (sorted), each naming a file that exists", () => {
    expect(code).toBe(0);
    expect(err).toEqual([]);
    const stacks = ["tracker-bootstrap-production", "tracker-bootstrap-staging", "tracker-production", "tracker-staging"];
    // The output folder is outside the working directory, so the lines show absolute paths.
    expect(out).toEqual([`${stacks.map((s) => `synthesized ${s} -> ${join(outdir, "stacks", s, "cdk.tf.json")}`).join("\n")}\n`]);
    for (const s of stacks) expect(existsSync(join(outdir, "stacks", s, "cdk.tf.json")), s).toBe(true);
  });

  it("CFG-5: a stack inside the working directory is shown relative to it; one outside it, absolute", () => {
    expect(writtenStackLines(outdir, work)).toEqual([
      `synthesized tracker-bootstrap-production -> ${join("cdktf.out", "stacks", "tracker-bootstrap-production", "cdk.tf.json")}`,
      `synthesized tracker-bootstrap-staging -> ${join("cdktf.out", "stacks", "tracker-bootstrap-staging", "cdk.tf.json")}`,
      `synthesized tracker-production -> ${join("cdktf.out", "stacks", "tracker-production", "cdk.tf.json")}`,
      `synthesized tracker-staging -> ${join("cdktf.out", "stacks", "tracker-staging", "cdk.tf.json")}`,
    ]);
    const elsewhere = join(work, "elsewhere");
    mkdirSync(elsewhere);
    expect(writtenStackLines(outdir, elsewhere)[0]).toBe(`synthesized tracker-bootstrap-production -> ${join(outdir, "stacks", "tracker-bootstrap-production", "cdk.tf.json")}`);
  });
});

describe("CFG-5: runSynth's default output is the process's own streams", () => {
  it("CFG-5: a refusal goes to stderr as one write of the lines, newline-terminated, and nothing to stdout", () => {
    const err = vi.spyOn(process.stderr, "write").mockImplementation(() => true);
    const out = vi.spyOn(process.stdout, "write").mockImplementation(() => true);
    try {
      expect(runSynth({ ...REFUSED_CONFIGURATION, outdir: join(work, "refused-default") })).toBe(1);
      expect(err.mock.calls).toEqual([[`${EXPECTED_REFUSAL.join("\n")}\n`]]);
      expect(out.mock.calls).toEqual([]);
    } finally {
      err.mockRestore();
      out.mockRestore();
    }
  });

  it("CFG-5: an error that is not a configuration problem is a bug: it is thrown, with its stack, not reported as a refusal", () => {
    const err = vi.spyOn(process.stderr, "write").mockImplementation(() => true);
    try {
      const broken = [{ ...STAGING, services: undefined }] as unknown as EnvironmentDefinition[];
      expect(() => runSynth({ environments: broken, outdir: join(work, "broken") })).toThrow(TypeError);
      expect(err.mock.calls).toEqual([]);
    } finally {
      err.mockRestore();
    }
  });
});
