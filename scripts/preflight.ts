/**
 * `npm run preflight -- <environment>` (RUN-2): refuses a deploy while the environment has
 * unconfirmed values or an unreachable dependency; `deploy.yml` runs it before every apply.
 * Exit 0: the deploy may go ahead; 1: refused (one line per problem, with its fix); 2: usage error.
 * See scripts/lib/preflight.ts.
 */
import { exitCodeOf } from "./lib/command";
import { preflightCommand } from "./lib/preflight";

exitCodeOf(
  "preflight",
  async () => preflightCommand(process.argv.slice(2), (line) => console.log(line)),
  (line) => console.error(line),
).then((code) => process.exit(code));
