/**
 * Used by the plan workflow: writes the Markdown section of one stack's plan (CD-1).
 *
 *   npx tsx scripts/plan-summary.ts --stack tracker-staging --env staging \
 *     --plan-json plan.json --plan-text plan.txt [--cost infracost.txt] [--failed] --out summary.md
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { renderStackSection, type PlanJson } from "./lib/plan-summary";

const { values } = parseArgs({
  options: {
    stack: { type: "string" },
    env: { type: "string" },
    "plan-json": { type: "string" },
    "plan-text": { type: "string" },
    cost: { type: "string" },
    failed: { type: "boolean", default: false },
    out: { type: "string" },
  },
  strict: true,
});
if (!values.stack || !values.env || !values.out || !values["plan-text"]) {
  console.error("plan-summary: --stack, --env, --plan-text and --out are required");
  process.exit(2);
}
const read = (path: string | undefined) => (path && existsSync(path) ? readFileSync(path, "utf8") : undefined);
const planJson = read(values["plan-json"]);
const failed = values.failed === true || !planJson;
const section = renderStackSection({
  stack: values.stack,
  environment: values.env,
  plan: failed ? undefined : (JSON.parse(planJson!) as PlanJson),
  planText: read(values["plan-text"]) ?? "(no output)",
  failed,
  costText: read(values.cost)?.trim() || undefined,
});
writeFileSync(values.out, section);
console.log(section.split("\n").slice(0, 4).join("\n"));
