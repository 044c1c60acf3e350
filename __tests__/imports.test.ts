/**
 * ARCHITECTURE principle 7 and the "Fast" rule: provider bindings are imported from their own
 * modules (`@cdktf/provider-aws/lib/vpc`), never the package root (seconds per synth), and the CDKTF
 * core is imported only through src/cdktf.ts so that a move to CDK Terrain is a rename.
 */
import { readFileSync, readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";

const root = join(__dirname, "..");
const folders = ["main.ts", "stacks", "src", "scripts", "policies", "__tests__"];

function sourceFiles(path: string): string[] {
  let stat;
  try {
    stat = statSync(path);
  } catch {
    return [];
  }
  if (stat.isFile()) return path.endsWith(".ts") ? [path] : [];
  return readdirSync(path).flatMap((entry) => (entry === "node_modules" ? [] : sourceFiles(join(path, entry))));
}

const files = folders.flatMap((f) => sourceFiles(join(root, f)));
const importsOf = (file: string) =>
  [...readFileSync(file, "utf8").matchAll(/(?:from\s+|import\s*\(\s*|require\s*\(\s*)["']([^"']+)["']/g)].map((m) => m[1]!);

describe("imports", () => {
  it("finds the project's sources", () => {
    expect(files.length).toBeGreaterThan(20);
  });

  it("no source file imports a provider package root", () => {
    const offenders = files.flatMap((f) =>
      importsOf(f)
        .filter((m) => /^@cdktf\/provider-[a-z]+(\/lib)?\/?$/.test(m))
        .map((m) => `${relative(root, f)}: ${m}`),
    );
    expect(offenders).toEqual([]);
  });

  it("the CDKTF core is imported only through src/cdktf.ts", () => {
    const offenders = files
      .filter((f) => relative(root, f) !== join("src", "cdktf.ts"))
      .flatMap((f) => importsOf(f).filter((m) => m === "cdktf" || m.startsWith("cdktf/")).map((m) => `${relative(root, f)}: ${m}`));
    expect(offenders).toEqual([]);
  });

  it("the rule itself catches a root import", () => {
    expect(/^@cdktf\/provider-[a-z]+(\/lib)?\/?$/.test("@cdktf/provider-aws")).toBe(true);
    expect(/^@cdktf\/provider-[a-z]+(\/lib)?\/?$/.test("@cdktf/provider-aws/lib")).toBe(true);
    expect(/^@cdktf\/provider-[a-z]+(\/lib)?\/?$/.test("@cdktf/provider-aws/lib/vpc")).toBe(false);
  });
});
