/**
 * `npm run generate`: rewrites every file generated from the service catalog and the environment
 * definitions (scripts/lib/generated-files.ts). `--check` changes nothing and exits 1 naming the
 * stale files.
 */
import { join } from "node:path";
import { parseArgs } from "node:util";
import { exitCodeOf } from "./lib/command";
import { generate, GENERATED_FILES } from "./lib/generated-files";

const USAGE = `Usage: npm run generate [-- --check]

Rewrites every file generated from the service catalog (src/config/service-catalog.ts) and the
environment definitions (src/config/environments.ts):
${GENERATED_FILES.map((f) => `  ${f.path}  (from ${f.from})`).join("\n")}

Options:
  --check       change nothing; exit 1 naming the files that are stale
  --root DIR    the repository to work on (default: this one)
  -h, --help    this text

Example:
  npm run generate -- --check`;

const argv = process.argv.slice(2);

async function main(): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { check: { type: "boolean" }, root: { type: "string" } } });
  const check = values.check === true;
  const { stale } = generate(values.root ?? join(__dirname, ".."), check);
  if (check) {
    if (stale.length === 0) {
      console.log(`generate: all ${GENERATED_FILES.length} generated files are up to date`);
      return 0;
    }
    for (const f of stale) console.error(`generate: ${f.path} is stale (generated from ${f.from}); run \`npm run generate\``);
    return 1;
  }
  for (const f of GENERATED_FILES) console.log(`${stale.includes(f) ? "wrote    " : "unchanged"} ${f.path}`);
  return 0;
}

void exitCodeOf("generate", main, (line) => console.error(line), { argv, usage: USAGE, out: (t) => console.log(t) }).then((code) => {
  process.exitCode = code;
});
