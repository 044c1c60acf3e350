/**
 * A vitest reporter used only under Stryker (vitest.config.ts). A test file whose module-level code
 * throws while vitest collects it has no tests, and Stryker's vitest runner reads "no failed test" as a
 * surviving mutant: a mutant that makes a stack's synth throw would count as a bug the suite misses.
 * When the run finishes, each such file gets one failed test carrying the collection error, so the
 * runner sees the failure (the mutant is killed) and its report names the error.
 */
import type { RunnerTestCase as Test, RunnerTestFile as File } from "vitest";
import type { Reporter } from "vitest/reporters";

export const COLLECTION_FAILURE_TEST = "the file's module-level code ran (collection)";

export class CollectionFailureReporter implements Reporter {
  onFinished(files: File[] = []): void {
    for (const file of files) {
      if (file.result?.state !== "fail" || file.tasks.length > 0) continue;
      const test: Test = {
        type: "test",
        id: `${file.id}_collection`,
        name: COLLECTION_FAILURE_TEST,
        mode: "run",
        file,
        suite: file,
        context: undefined as unknown as Test["context"],
        annotations: [],
        meta: {},
        timeout: 0,
        result: { state: "fail", errors: file.result.errors ?? [] },
      };
      file.tasks.push(test);
    }
  }
}
