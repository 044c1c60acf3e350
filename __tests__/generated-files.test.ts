/**
 * Issue 11: every file generated from the service catalog and the environment definitions is
 * current, and `npm run generate` is the one command that makes it so. A stale file fails here,
 * naming the command.
 */
import { execFile } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { generate, GENERATED_FILES, replaceSection } from "../scripts/lib/generated-files";

const root = join(__dirname, "..");
const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { scripts: Record<string, string> };

/** A scratch copy of the generated files, to make stale on purpose. */
const scratch = mkdtempSync(join(tmpdir(), "generated-"));
for (const f of GENERATED_FILES) {
  cpSync(join(root, f.path), join(scratch, f.path), { recursive: true });
}
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe("issue 11: generated files", () => {
  it("the generated files are the four the catalog feeds", () => {
    expect(GENERATED_FILES.map((f) => f.path).sort()).toEqual(
      [".github/ci-environments.json", ".github/workflows/build-image.yml", "README.md", "docs/configuration-variables.md"].sort(),
    );
    expect(pkg.scripts["generate"]).toBe("tsx scripts/generate.ts");
  });

  for (const file of GENERATED_FILES) {
    it(`${file.path} is current (if not: run \`npm run generate\`)`, () => {
      const current = readFileSync(join(root, file.path), "utf8");
      expect(file.render(current), `${file.path} is stale: run \`npm run generate\``).toBe(current);
    });
  }

  it("a stale section is rewritten in place; the text around it (the doc's header) is kept", () => {
    const doc = join(scratch, "docs/configuration-variables.md");
    const original = readFileSync(doc, "utf8");
    const header = original.slice(0, original.indexOf("<!-- BEGIN service-variables"));
    writeFileSync(doc, original.replace(/### api[\s\S]*?### /, "### "));
    expect(generate(scratch, true).stale.map((f) => f.path)).toEqual(["docs/configuration-variables.md"]);
    expect(readFileSync(doc, "utf8")).not.toBe(original); // --check changes nothing
    expect(generate(scratch, false).stale.map((f) => f.path)).toEqual(["docs/configuration-variables.md"]);
    expect(readFileSync(doc, "utf8")).toBe(original);
    expect(readFileSync(doc, "utf8").startsWith(header)).toBe(true);
    expect(generate(scratch, true).stale).toEqual([]);
  });

  it("a file whose markers are gone is an error naming the file and the markers", () => {
    const readme = join(scratch, "README.md");
    const original = readFileSync(readme, "utf8");
    writeFileSync(readme, original.replace("<!-- END variables-table -->", ""));
    expect(() => generate(scratch, true)).toThrow(/README\.md: the markers "<!-- BEGIN variables-table" \.\.\. "<!-- END variables-table" are missing/);
    writeFileSync(readme, original);
  });

  it("replaceSection: a section at the very start of the text; a missing BEGIN marker is named like a missing END", () => {
    expect(replaceSection("f.md", "<!-- BEGIN x -->\nold\n<!-- END x -->\nafter\n", "<!-- BEGIN x", "<!-- END x", "new")).toBe(
      "<!-- BEGIN x -->\nnew\n<!-- END x -->\nafter\n",
    );
    expect(() => replaceSection("f.md", "before\n<!-- END x -->\n", "<!-- BEGIN x", "<!-- END x", "new")).toThrow(
      'f.md: the markers "<!-- BEGIN x" ... "<!-- END x" are missing; put them back where the generated section belongs',
    );
  });

  it("each generated section names its own file and markers when they are gone", () => {
    const messages = GENERATED_FILES.filter((f) => f.path !== ".github/ci-environments.json").map((f) => {
      try {
        f.render("no markers here\n");
        return `${f.path}: rendered`;
      } catch (e) {
        return (e as Error).message;
      }
    });
    expect(messages).toEqual([
      '.github/workflows/build-image.yml: the markers "# BEGIN build-targets" ... "# END build-targets" are missing; put them back where the generated section belongs',
      'docs/configuration-variables.md: the markers "<!-- BEGIN service-variables" ... "<!-- END service-variables" are missing; put them back where the generated section belongs',
      'README.md: the markers "<!-- BEGIN variables-table" ... "<!-- END variables-table" are missing; put them back where the generated section belongs',
    ]);
  });

  it("`npm run generate -- --check` exits 1 naming the stale file and the command", async () => {
    const path = join(scratch, ".github/ci-environments.json");
    writeFileSync(path, `${readFileSync(path, "utf8")}\n`);
    const outcome = await promisify(execFile)(join(root, "node_modules/.bin/tsx"), ["scripts/generate.ts", "--check", "--root", scratch], { cwd: root }).then(
      () => ({ code: 0, stderr: "" }),
      (e: { code: number; stderr: string }) => ({ code: e.code, stderr: e.stderr }),
    );
    expect(outcome.code).toBe(1);
    expect(outcome.stderr).toContain("generate: .github/ci-environments.json is stale");
    expect(outcome.stderr).toContain("run `npm run generate`");
    generate(scratch, false);
  }, 30_000);
});
