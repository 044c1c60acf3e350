/**
 * `npm run wake -- --env staging [--sleep] [--dry-run] [--timeout 10m]` (COST-2): wakes an
 * environment outside its off-hours schedule in the schedule's order (database host, then
 * services, then alarms), or puts it back to sleep. See scripts/lib/wake.ts and the README's
 * "Off-hours schedule" runbook.
 */
import { execFile } from "node:child_process";
import { systemClock } from "./lib/runtime";
import { wakeCommand, type AwsCli } from "./lib/wake";

const aws: AwsCli = (args) =>
  new Promise((resolve, reject) => {
    execFile("aws", [...args], { maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`aws ${args.slice(0, 2).join(" ")} failed: ${(stderr || error.message).trim()}`));
      else resolve(stdout);
    });
  });

wakeCommand(process.argv.slice(2), {
  aws,
  clock: systemClock,
  log: (line) => console.log(line),
  err: (line) => console.error(line),
}).then((code) => process.exit(code));
