/**
 * What `npm run synth` (`tsx main.ts`) and `cdktf synth` (which runs `main.ts` per cdktf.json) do:
 * validate, build and write every stack, and report in as few lines as the outcome needs (CFG-5).
 * - Refused configuration: one header line and one line per problem on stderr, each problem once,
 *   no stack trace, exit code 1, and nothing written (validation runs before the App exists).
 * - Success: one line per stack written, from the manifest cdktf wrote.
 * Any other error is a bug and keeps its stack trace.
 */
import { readFileSync } from "node:fs";
import { isAbsolute, join, relative, resolve } from "node:path";
import { ConfigValidationError } from "../src/config/validate";
import { buildApp, type BuildAppOptions } from "./app";

/** Where the command writes; tests pass their own. */
export interface SynthOutput {
  /** Writes these lines to stdout in one piece. */
  readonly out: (lines: readonly string[]) => void;
  /** Writes these lines to stderr in one piece (cdktf's CLI then shows them as one block). */
  readonly err: (lines: readonly string[]) => void;
}

const PROCESS_OUTPUT: SynthOutput = {
  out: (lines) => process.stdout.write(`${lines.join("\n")}\n`),
  err: (lines) => process.stderr.write(`${lines.join("\n")}\n`),
};

/** The lines a refused synth prints: a header, then each distinct problem once. */
export function refusalLines(error: ConfigValidationError): string[] {
  const problems = [...new Set(error.problems)];
  const count = problems.length === 1 ? "1 problem" : `${problems.length} problems`;
  return [`Invalid configuration (${count}), nothing was synthesized:`, ...problems.map((p) => `  - ${p}`)];
}

/** The stacks cdktf wrote, as `synthesized <stack> -> <path>` lines, read from its manifest. */
export function writtenStackLines(outdir: string, cwd: string = process.cwd()): string[] {
  const manifest = JSON.parse(readFileSync(join(outdir, "manifest.json"), "utf8")) as {
    stacks: Record<string, { readonly synthesizedStackPath: string }>;
  };
  return Object.entries(manifest.stacks)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, stack]) => {
      const file = resolve(cwd, outdir, stack.synthesizedStackPath);
      const shown = relative(cwd, file);
      return `synthesized ${name} -> ${shown.startsWith("..") || isAbsolute(shown) ? file : shown}`;
    });
}

/** Validates, synthesizes and reports; returns the process exit code. */
export function runSynth(options: BuildAppOptions = {}, output: SynthOutput = PROCESS_OUTPUT): number {
  let app: ReturnType<typeof buildApp>;
  try {
    app = buildApp(options);
  } catch (error) {
    if (!(error instanceof ConfigValidationError)) throw error;
    output.err(refusalLines(error));
    return 1;
  }
  app.synth();
  output.out(writtenStackLines(app.outdir));
  return 0;
}
