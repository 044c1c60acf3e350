/**
 * Wall-time benchmark (not a test): a full `cdktf synth` of every stack, the app alone (what the
 * CLI runs), and the test suite. Run with `npm run bench`; the README quotes its result.
 * Usage: npm run bench [-- --runs 3]
 */
import { spawnSync } from "node:child_process";
import { cpus } from "node:os";

import { helpRequested } from "./lib/command";

const USAGE = `Usage: npm run bench [-- --runs <n>]

Wall-time benchmark (not a test): a full synth of every stack, the same through the cdktf CLI,
the test suite (tsc + vitest) and the integration suites. Prints the median of <n> runs of each.

Options:
  --runs <n>    runs of each measurement (default 3)
  -h, --help    this text

Example:
  npm run bench -- --runs 5`;

if (helpRequested(process.argv.slice(2))) {
  console.log(USAGE);
  process.exit(0);
}
const runsArg = process.argv.indexOf("--runs");
const runs = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 3;
if (!Number.isInteger(runs) || runs < 1) {
  console.error(`bench: --runs must be a positive integer\n\n${USAGE}`);
  process.exit(2);
}

function time(label: string, command: string, args: string[], env: NodeJS.ProcessEnv = {}): void {
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    const result = spawnSync(command, args, { stdio: "ignore", env: { ...process.env, ...env } });
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    if (result.status !== 0) {
      console.error(`${label}: exited ${result.status}`);
      process.exit(1);
    }
    samples.push(seconds);
  }
  samples.sort((a, b) => a - b);
  const median = samples[Math.floor(samples.length / 2)]!;
  console.log(`${label.padEnd(44)} median ${median.toFixed(2)} s  (min ${samples[0]!.toFixed(2)}, max ${samples.at(-1)!.toFixed(2)}, ${runs} runs)`);
}

console.log(`machine: ${cpus().length} cores, ${cpus()[0]?.model ?? "unknown CPU"}, node ${process.version}`);
time("full synth, all stacks (npm run synth)", "npm", ["run", "--silent", "synth"]);
time("the same through the cdktf CLI (npx cdktf synth)", "npx", ["cdktf", "synth"], { CHECKPOINT_DISABLE: "1" });
time("test suite (npm test: tsc + vitest)", "npm", ["test", "--silent"]);
time("integration suites (npm run test:integration)", "npm", ["run", "--silent", "test:integration"]);
