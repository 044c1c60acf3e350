// @ts-check
/**
 * A Stryker reporter that writes one small file per tested mutant to reports/mutation/events, so that
 * `npm run mutation:survivors` can read the survivors of a long run before it ends. It replaces
 * Stryker's own `event-recorder`, which also writes the dry run and the plan whole: with per-test
 * coverage over ~3,000 tests those no longer fit in one JavaScript string ("RangeError: Invalid string
 * length") and the run stops before its first mutant. Only what the survivors script reads is kept.
 */
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { PluginKind, declareClassPlugin } from "@stryker-mutator/api/plugin";

const DIR = join("reports", "mutation", "events");

class MutantEventsReporter {
  index = 0;

  constructor() {
    rmSync(DIR, { recursive: true, force: true });
    mkdirSync(DIR, { recursive: true });
  }

  /** @param {string} name @param {unknown} data */
  write(name, data) {
    writeFileSync(join(DIR, `${String(this.index++).padStart(5, "0")}-${name}.json`), JSON.stringify(data));
  }

  /** The files and count of the mutants that will run (the survivors script shows progress per file). */
  onMutationTestingPlanReady(/** @type {any} */ event) {
    this.write("onMutationTestingPlanReady", {
      mutantPlans: event.mutantPlans.map((/** @type {any} */ p) => ({ plan: p.plan, mutant: { id: p.mutant.id, fileName: p.mutant.fileName } })),
    });
  }

  onMutantTested(/** @type {any} */ result) {
    const { id, fileName, status, mutatorName, replacement, location, statusReason } = result;
    this.write("onMutantTested", { id, fileName, status, mutatorName, replacement, location, statusReason });
  }
}

export const strykerPlugins = [declareClassPlugin(PluginKind.Reporter, "mutant-events", MutantEventsReporter)];
