/**
 * `npm run mutation:survivors [-- <path prefix>]`: what a Stryker run has found so far. Reads the
 * mutant-events reporter's one file per tested mutant (reports/mutation/events, stryker.mutant-events.mjs), so it works
 * while the run is still going: a run of a whole folder takes an hour or more on 2 cores, and its
 * survivors can be worked on before it ends. Prints the score per file (killed and timed out over all
 * valid mutants, those without coverage included, as the HTML report counts) and each survivor with its
 * line, the text it replaces (often one operand, not the whole line) and the replacement.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { helpRequested } from "./lib/command";

const USAGE = `Usage: npm run mutation:survivors [-- <path prefix>]

What the current (or last) Stryker run has found so far, read from reports/mutation/events (one file
per tested mutant): the score per file (killed and timed out over all valid mutants, those without
coverage included), how far each file has got, and every survivor with its line, the text it
replaces and its replacement.
Only files under <path prefix> when given.

Options:
  -h, --help    this text

Example:
  npm run mutation:survivors -- scripts/lib/smoke`;

interface MutantEvent {
  readonly fileName: string;
  readonly status: string;
  readonly mutatorName: string;
  readonly replacement?: string;
  readonly location: MutantLocation;
}

/** Stryker's mutant location: lines and columns counted from 1, the end column exclusive. */
export interface MutantLocation {
  readonly start: { readonly line: number; readonly column: number };
  readonly end: { readonly line: number; readonly column: number };
}

/**
 * The source text a mutant replaces: often one operand of a condition, not the whole line, which is
 * what tells an equivalent mutant from a missing test. Lines joined with a space, cut at `max`.
 */
export function originalText(lines: readonly string[], location: MutantLocation, max = 100): string {
  const { start, end } = location;
  const parts: string[] = [];
  for (let line = start.line; line <= end.line; line++) {
    const text = lines[line - 1] ?? "";
    const from = line === start.line ? start.column - 1 : 0;
    const to = line === end.line ? end.column - 1 : text.length;
    parts.push(text.slice(from, to).trim());
  }
  const joined = parts.filter((p) => p !== "").join(" ");
  return joined.length > max ? `${joined.slice(0, max - 3)}...` : joined;
}

const ROOT = join(__dirname, "..");
const EVENTS = join(ROOT, "reports", "mutation", "events");

/** Killed and timed-out mutants over killed, timed out, survived and without coverage (Stryker's "mutation score"). */
export function score(counts: Readonly<Record<string, number>>): number | undefined {
  const detected = (counts["Killed"] ?? 0) + (counts["Timeout"] ?? 0);
  const valid = detected + (counts["Survived"] ?? 0) + (counts["NoCoverage"] ?? 0);
  return valid === 0 ? undefined : (100 * detected) / valid;
}

function main(prefix: string): void {
  if (!existsSync(EVENTS)) {
    console.error(`no ${relative(ROOT, EVENTS)}: start a run first (npm run mutation -- --mutate '<folder>/**/*.ts')`);
    process.exitCode = 1;
    return;
  }
  const events = readdirSync(EVENTS)
    .filter((f) => f.endsWith("-onMutantTested.json"))
    .map((f) => JSON.parse(readFileSync(join(EVENTS, f), "utf8")) as MutantEvent)
    .filter((e) => relative(ROOT, e.fileName).startsWith(prefix));
  // The run's plan lists every mutant of the run: a file is finished when all of its mutants have a result.
  const planFile = readdirSync(EVENTS).find((f) => f.endsWith("-onMutationTestingPlanReady.json"));
  const planned = new Map<string, number>();
  if (planFile) {
    const plan = JSON.parse(readFileSync(join(EVENTS, planFile), "utf8")) as { mutantPlans: { mutant: { fileName: string } }[] };
    for (const { mutant } of plan.mutantPlans) planned.set(mutant.fileName, (planned.get(mutant.fileName) ?? 0) + 1);
  }
  const byFile = new Map<string, MutantEvent[]>();
  for (const e of events) byFile.set(e.fileName, [...(byFile.get(e.fileName) ?? []), e]);
  const total: Record<string, number> = {};
  for (const [file, mutants] of [...byFile].sort(([a], [b]) => a.localeCompare(b))) {
    const counts: Record<string, number> = {};
    for (const m of mutants) {
      counts[m.status] = (counts[m.status] ?? 0) + 1;
      total[m.status] = (total[m.status] ?? 0) + 1;
    }
    const s = score(counts);
    const of = planned.get(file);
    const progress = of === undefined || of === mutants.length ? "" : `  (${mutants.length} of ${of} so far)`;
    console.log(`${s === undefined ? "  -  " : `${s.toFixed(1)}%`}  ${relative(ROOT, file)}  ${JSON.stringify(counts)}${progress}`);
    const lines = readFileSync(file, "utf8").split("\n");
    for (const m of mutants.filter((x) => x.status === "Survived" || x.status === "NoCoverage").sort((a, b) => a.location.start.line - b.location.start.line)) {
      const line = m.location.start.line;
      console.log(`    ${m.status === "Survived" ? "S" : "N"} L${line} ${m.mutatorName}: ${originalText(lines, m.location)}  => ${JSON.stringify(m.replacement ?? "").slice(0, 80)}`);
    }
  }
  const s = score(total);
  const all = [...planned].filter(([file]) => relative(ROOT, file).startsWith(prefix)).reduce((n, [, count]) => n + count, 0);
  console.log(`${events.length}${all ? ` of ${all}` : ""} mutants tested so far: ${s === undefined ? "-" : `${s.toFixed(1)}%`} ${JSON.stringify(total)}`);
}

if (require.main === module) {
  if (helpRequested(process.argv.slice(2))) console.log(USAGE);
  else main(process.argv[2] ?? "");
}
