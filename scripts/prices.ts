/**
 * `npm run prices`: refreshes the committed price snapshot (scripts/lib/prices.eu-central-1.json)
 * from the AWS Price List Query API (pricing:GetProducts; any AWS credentials will do). Fargate Spot
 * prices are not in the API and are carried over: update them by hand from the Fargate pricing page.
 */
import { writeFileSync } from "node:fs";
import { PricingClient } from "@aws-sdk/client-pricing";
import { exitCodeOf } from "./lib/command";
import { loadSnapshot, refreshSnapshot, SNAPSHOT_FILE } from "./lib/prices";

const USAGE = `Usage: npm run prices

Reads every unit price the cost estimate needs from the AWS Price List Query API (needs AWS
credentials allowed pricing:GetProducts) and rewrites ${SNAPSHOT_FILE.replace(`${process.cwd()}/`, "")}
with today's date. Fargate Spot prices are not in the API: they are kept and must be updated by hand.
Exits 1, writing nothing, when any price cannot be read.

Example:
  AWS_PROFILE=tracker-staging npm run prices && git diff scripts/lib/prices.eu-central-1.json`;

const argv = process.argv.slice(2);
exitCodeOf(
  "prices",
  async () => {
    const snapshot = await refreshSnapshot(new PricingClient({ region: "us-east-1" }), loadSnapshot(), new Date().toISOString().slice(0, 10));
    writeFileSync(SNAPSHOT_FILE, `${JSON.stringify(snapshot, null, 2)}\n`);
    console.log(`prices: wrote ${Object.keys(snapshot.prices).length} prices of ${snapshot.date} to ${SNAPSHOT_FILE}`);
    return 0;
  },
  (line) => console.error(line),
  { argv, usage: USAGE, out: (text) => console.log(text) },
).then((code) => process.exit(code));
