/**
 * The files (or marked sections of files) generated from the service catalog and the environment
 * definitions. `npm run generate` (scripts/generate.ts) rewrites them all; `--check` and
 * __tests__/generated-files.test.ts fail, naming that command, when one is stale.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { buildTargets, CI_ENVIRONMENTS_FILE, renderCiEnvironments } from "./ci-environments";
import { readmeVariablesTable } from "./readme-variables";
import { renderServiceVariables } from "./service-variables";

export interface GeneratedFile {
  /** Relative to the repository root. */
  readonly path: string;
  /** What it is generated from, for the messages. */
  readonly from: string;
  /** The file's content as it should be, given its current content (sections replace in place). */
  render(current: string): string;
}

/**
 * Replaces what lies between the line containing `begin` and the line containing `end` (both kept)
 * with `body`. A missing marker is an error naming the file: the section cannot be placed.
 */
export function replaceSection(path: string, text: string, begin: string, end: string, body: string): string {
  const start = text.indexOf(begin);
  const stop = text.indexOf(end, start + 1);
  if (start < 0 || stop < 0) throw new Error(`${path}: the markers "${begin}" ... "${end}" are missing; put them back where the generated section belongs`);
  const afterBegin = text.indexOf("\n", start) + 1;
  const lineOfEnd = text.lastIndexOf("\n", stop) + 1;
  return text.slice(0, afterBegin) + body + (body.endsWith("\n") ? "" : "\n") + text.slice(lineOfEnd);
}

const BUILD_IMAGE_WORKFLOW = ".github/workflows/build-image.yml";

export const GENERATED_FILES: readonly GeneratedFile[] = [
  {
    path: CI_ENVIRONMENTS_FILE,
    from: "scripts/lib/ci-environments.ts",
    render: () => renderCiEnvironments(),
  },
  {
    path: BUILD_IMAGE_WORKFLOW,
    from: "scripts/lib/ci-environments.ts buildTargets (the TRACKER_BUILD_TARGETS block)",
    render: (current) => {
      const json = JSON.stringify(buildTargets(), null, 2)
        .split("\n")
        .map((line) => `    ${line}`)
        .join("\n");
      return replaceSection(BUILD_IMAGE_WORKFLOW, current, "# BEGIN build-targets", "# END build-targets", `  TRACKER_BUILD_TARGETS: |\n${json}\n`);
    },
  },
  {
    path: "docs/configuration-variables.md",
    from: "scripts/lib/service-variables.ts",
    render: (current) =>
      replaceSection("docs/configuration-variables.md", current, "<!-- BEGIN service-variables", "<!-- END service-variables", renderServiceVariables()),
  },
  {
    path: "README.md",
    from: "scripts/lib/readme-variables.ts (the variables table)",
    render: (current) => replaceSection("README.md", current, "<!-- BEGIN variables-table", "<!-- END variables-table", readmeVariablesTable()),
  },
];

export interface GenerationResult {
  /** The generated files whose content differs from what they should be. */
  readonly stale: readonly GeneratedFile[];
}

/** Compares (and unless `check`, rewrites) every generated file under `root`. */
export function generate(root: string, check: boolean): GenerationResult {
  const stale: GeneratedFile[] = [];
  for (const file of GENERATED_FILES) {
    const path = join(root, file.path);
    const current = readFileSync(path, "utf8");
    const wanted = file.render(current);
    if (wanted === current) continue;
    stale.push(file);
    if (!check) writeFileSync(path, wanted);
  }
  return { stale };
}
