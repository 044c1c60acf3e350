/** `npm run cost`: the monthly cost of every synthesized stack (COST-3). See scripts/lib/cost-command.ts. */
import { writeFileSync } from "node:fs";
import { PricingClient } from "@aws-sdk/client-pricing";
import { costCommand, credentialsInEnvironment } from "./lib/cost-command";
import { loadSnapshot } from "./lib/prices";

costCommand(process.argv.slice(2), {
  // The Price List Query API answers in us-east-1 (and eu-central-1, ap-south-1).
  pricingClient: () => new PricingClient({ region: "us-east-1" }),
  hasCredentials: credentialsInEnvironment(process.env),
  snapshot: () => loadSnapshot(),
  today: new Date().toISOString().slice(0, 10),
  out: (text) => console.log(text),
  err: (line) => console.error(line),
  writeFile: (path, text) => writeFileSync(path, text),
}).then((code) => process.exit(code));
