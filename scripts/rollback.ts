/**
 * `npm run rollback -- --env staging [--dry-run] [--service api ...] [--baseline file.json]` (CD-4):
 * moves services back to the task definition revision they ran before the current one and waits
 * until they are stable. Exits 1 when anything could not be rolled back or did not settle in time.
 * See scripts/lib/rollback.ts and the rollback runbook.
 *
 * Options: --env <name> (required), --service <name> (repeatable or comma-separated; default all),
 * --dry-run, --baseline <snapshot.json> (written by `npm run image-tags -- --snapshot`),
 * --timeout <duration> (default 15m), --poll <duration> (default 15s).
 */
import { ECSClient } from "@aws-sdk/client-ecs";
import { rollbackCommand } from "./lib/rollback";
import { systemClock } from "./lib/runtime";

rollbackCommand(process.argv.slice(2), (env) => ({
  ecs: new ECSClient({ region: env.region }),
  clock: systemClock,
  log: (line) => console.log(line),
})).then((code) => process.exit(code));
