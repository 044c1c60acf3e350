/**
 * Runs before each test file (vitest.config.ts `setupFiles`), after Stryker's own setup file when
 * `npm run mutation` runs the suite. Outside Stryker it does nothing.
 *
 * Most files synthesize their stacks at module level, while vitest collects the file. Stryker's setup
 * switches a mutant on only in a `beforeAll` hook and counts code that runs outside a test body as
 * "static", so without this file every mutant in the constructs would be either ignored (static) or
 * tested against an unmutated stack (a false survivor). Here:
 * - in the initial (coverage) run, the project's modules are evaluated first, outside any test (so their
 *   module-level data counts as static); then what a file runs while it is collected and in its
 *   file-level hooks is counted as covered by every test of that file, and each file synthesizes afresh;
 * - in a mutant's run, the mutant is switched on before the file is collected, and stacks synthesized
 *   under that mutant are shared by the files of the run (never across mutants), unless
 *   MUTATION_KEEPS_STACKS=1 says the mutated folder cannot change what the stacks synthesize
 *   (`policies/`, `scripts/lib/`: nothing under `src/` or `stacks/` imports them), in which case the
 *   stacks are synthesized once per test runner instead of once per mutant.
 */
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, inject } from "vitest";
import { clearSynthCache, keepSynthCacheFor } from "./synth";

/** The folders Stryker mutates (stryker.config.mjs `mutate`). */
const MUTATED_FOLDERS = ["src", "stacks", "policies", join("scripts", "lib")];

/** Every TypeScript module of the mutated folders, by absolute path. */
function projectModules(root: string): string[] {
  return MUTATED_FOLDERS.flatMap((folder) =>
    readdirSync(join(root, folder), { recursive: true, encoding: "utf8" })
      .filter((f) => f.endsWith(".ts") && !f.endsWith(".d.ts"))
      .map((f) => join(root, folder, f)),
  );
}

interface StrykerNamespace {
  activeMutant?: string;
  currentTestId?: string;
  mutantCoverage?: { static: Record<string, number>; perTest: Record<string, Record<string, number>> };
}
interface TaskLike {
  readonly type: string;
  readonly name: string;
  readonly suite?: TaskLike;
  readonly file?: { readonly filepath: string };
  readonly tasks?: readonly TaskLike[];
}

/** Stryker's test id (its stryker-setup.js): `<file path>#<suite names and test name>`. */
function testId(test: TaskLike): string {
  const names = [test.name];
  for (let suite = test.suite; suite; suite = suite.suite) names.unshift(suite.name);
  return `${test.file?.filepath ?? "unknown.js"}#${names.join(" ").trim()}`;
}

function testsOf(task: TaskLike): TaskLike[] {
  return task.type === "test" ? [task] : (task.tasks ?? []).flatMap(testsOf);
}

if (process.env["STRYKER_MUTATOR_WORKER"] !== undefined) {
  // Stryker provides these to its own setup file; `inject` is typed for the project's own keys only.
  const provided = inject as unknown as (key: string) => unknown;
  const ns = ((globalThis as Record<string, unknown>)[provided("globalNamespace") as string] ??= {}) as StrykerNamespace;
  if (provided("mode") === "mutant") {
    const mutant = provided("activeMutant") as string;
    ns.activeMutant = mutant;
    if (process.env["MUTATION_KEEPS_STACKS"] !== "1") keepSynthCacheFor(`mutant:${mutant}`);
  } else {
    clearSynthCache();
    // Module-level code (the catalog, the environment definitions, constant tables) runs once per
    // worker, when the first file imports it (isolate: false). Evaluated here, before any file is
    // collected and outside any test, it is recorded as static, as Stryker means it: those mutants are
    // left out (ignoreStatic) and the written-out contract tests cover the data. Counted as covered by
    // whichever file happened to import it first, they would run only that file's tests: a survivor
    // that the suite as a whole kills.
    ns.currentTestId = undefined;
    // vitest (vite-node) evaluates setup files as ES modules and awaits them: top-level await works
    // there, while tsc's CommonJS setting does not allow it in source files.
    // @ts-ignore TS1378
    for (const file of projectModules(join(__dirname, "..", ".."))) await import(file);
    const FILE_LEVEL = "per-file.ts#file-level";
    ns.currentTestId = FILE_LEVEL;
    beforeAll(() => {
      ns.currentTestId = FILE_LEVEL; // the file's own beforeAll hooks run next
    });
    afterAll((file) => {
      const coverage = ns.mutantCoverage;
      const fileLevel = coverage?.perTest[FILE_LEVEL];
      if (!coverage || !fileLevel) return;
      for (const test of testsOf(file as unknown as TaskLike)) {
        const perTest = (coverage.perTest[testId(test)] ??= {});
        for (const [mutant, hits] of Object.entries(fileLevel)) perTest[mutant] = (perTest[mutant] ?? 0) + hits;
      }
      delete coverage.perTest[FILE_LEVEL];
    });
  }
}
