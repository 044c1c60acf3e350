/**
 * `npm run smoke -- --env staging` (CD-3): checks a deployed environment and prints one line per
 * check; exits 1 when any check fails, 2 on a usage error. See scripts/lib/smoke.ts.
 *
 * Options: --env <name> (required), --wait <duration> (wait for services to settle first, e.g. 10m),
 * --timeout <duration> (per HTTP request, default 10s), --attempts <n> (HTTP, default 3),
 * --stuck-after <duration> (default 15m).
 */
import { ECSClient } from "@aws-sdk/client-ecs";
import { ElasticLoadBalancingV2Client } from "@aws-sdk/client-elastic-load-balancing-v2";
import { systemClock } from "./lib/runtime";
import { createHttpsGet, smokeCommand } from "./lib/smoke";

smokeCommand(process.argv.slice(2), (env) => ({
  ecs: new ECSClient({ region: env.region }),
  elb: new ElasticLoadBalancingV2Client({ region: env.region }),
  http: createHttpsGet(),
  clock: systemClock,
  log: (line) => console.log(line),
})).then((code) => process.exit(code));
