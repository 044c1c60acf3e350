/** The README stays true: the commands it gives exist, and its tables match the code. */
import { existsSync, readdirSync, readFileSync } from "node:fs";
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

/** README.md and every docs/*.md, by path. */
const DOCS: readonly [string, string][] = [
  ["README.md", readme],
  ...readdirSync(join(root, "docs"))
    .filter((f) => f.endsWith(".md"))
    .map((f): [string, string] => [`docs/${f}`, readFileSync(join(root, "docs", f), "utf8")]),
];

/** The code a document shows: its fenced blocks and inline code spans (prose is not a command). */
function codeOf(text: string): string[] {
  const fenced = [...text.matchAll(/^```[^\n]*\n([\s\S]*?)^```/gm)].map((m) => m[1]!);
  const rest = text.replace(/^```[^\n]*\n[\s\S]*?^```/gm, "");
  return [...fenced, ...[...rest.matchAll(/`([^`\n]+)`/g)].map((m) => m[1]!)];
}

/** Each command a piece of code runs: npm scripts, and the files `npx tsx`, `bash`, `node` or `./` start. */
function commandsIn(code: string): { script?: string; file?: string }[] {
  const found: { script?: string; file?: string }[] = [];
  for (const m of code.matchAll(/npm run (?:--silent )?([a-z][a-z:|-]*)/g)) {
    for (const script of m[1]!.split("|")) found.push({ script });
  }
  for (const m of code.matchAll(/(?:npx tsx|bash|node) ((?:\.{0,2}\/)?[\w.-]+(?:\/[\w.-]+)*\.(?:ts|js|cjs|mjs|sh)|\.[\w-]+\/[\w./-]+)/g)) found.push({ file: m[1]! });
  for (const m of code.matchAll(/(?:^|[\s;&|(])\.\/([\w-][\w.-]*(?:\/[\w.-]+)*)/g)) found.push({ file: m[1]! });
  return found;
}

describe("README.md and docs/*.md", () => {
  it("every command they show exists: an npm script, or a file of the repository", () => {
    const shown = DOCS.flatMap(([doc, text]) => codeOf(text).flatMap(commandsIn).map((c) => ({ doc, ...c })));
    expect(shown.filter((c) => c.file).map((c) => c.file)).toEqual(expect.arrayContaining([".ci/run", "scripts/print-service-variables.ts"]));
    expect(shown.filter((c) => c.script).length).toBeGreaterThan(20);
    for (const c of shown) {
      if (c.script) expect(Object.keys(pkg.scripts), `${c.doc}: npm run ${c.script}`).toContain(c.script);
      if (c.file) expect(existsSync(join(root, c.file)), `${c.doc}: ${c.file}`).toBe(true);
    }
  });

  it("the rule itself catches a missing script or file", () => {
    expect(commandsIn("npm run smoke|nope && npx tsx scripts/gone.ts; bash .ci/run; ./deploy.sh --now")).toEqual([
      { script: "smoke" },
      { script: "nope" },
      { file: "scripts/gone.ts" },
      { file: ".ci/run" },
      { file: "deploy.sh" },
    ]);
    expect(codeOf("run `npm run x` or\n```sh\nbash a.sh\n```\nnot node owning")).toEqual(["bash a.sh\n", "npm run x"]);
  });
});

