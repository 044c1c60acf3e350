/** The README stays true: the commands it gives exist, and its tables match the code. */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readmeVariablesTable } from "../scripts/lib/readme-variables";

const root = join(__dirname, "..");
const readme = readFileSync(join(root, "README.md"), "utf8");
const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { scripts: Record<string, string> };
const ci = readFileSync(join(root, ".ci", "run"), "utf8");

describe("README", () => {
  it("CFG-3: documents the environment variables each service gets, as the catalog says", () => {
    expect(readme).toContain(readmeVariablesTable());
  });

  it("gives the two commands, and CI runs the same test command", () => {
    expect(readme).toContain("npm ci && npm run synth");
    expect(readme).toContain("npm test");
    expect(pkg.scripts.test).toBe("tsc --noEmit && vitest run");
    expect(ci).toMatch(/^npm test$/m);
  });

  it("every `npm run <script>` it mentions exists", () => {
    const mentioned = [...readme.matchAll(/npm run (?:--silent )?([a-z:-]+)/g)].map((m) => m[1]!);
    expect(mentioned.length).toBeGreaterThan(3);
    for (const script of mentioned) expect(Object.keys(pkg.scripts), script).toContain(script);
  });

  it("has no unfilled placeholder", () => {
    expect(readme).not.toMatch(/BENCH_RESULTS|SERVICE_VARIABLES|DELIVERY_RUNBOOKS|SECURITY_SECTION|TODO/);
  });
});
