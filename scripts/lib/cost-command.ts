/**
 * `npm run cost` (COST-3): estimates each synthesized stack's monthly cost and, with a baseline
 * (the JSON of a run on `main`), its change. Prices come from the AWS Price List Query API when
 * credentials are present, else from the committed snapshot (scripts/lib/prices.eu-central-1.json).
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import type { PricingClient } from "@aws-sdk/client-pricing";
import { exitCodeOf } from "./command";
import { estimateStack, formatMarkdown, formatText, type StackEstimate } from "./cost-estimate";
import { offHoursEstimate, offHoursLine, type OffHoursEstimate } from "./off-hours-estimate";
import { livePrices, type PriceSnapshot } from "./prices";
import { UsageError } from "./runtime";

export const COST_USAGE = `Usage: npm run cost -- [options]

Estimates the monthly cost of every synthesized stack (run 'npm run synth' first) by resource type:
hours x unit price, plus the usage assumptions of scripts/lib/cost-estimate.ts (always on, light
traffic). Resource types it cannot price are listed, never dropped.
Exits 0, or 1 when a stack cannot be read or priced, 2 on a usage error.

Options:
  --stack <name>          only this stack (repeatable; default: every stack in the stacks folder)
  --stacks-dir <dir>      where the synthesized stacks are (default cdktf.out/stacks)
  --format text|markdown|json   text (default), the pull-request comment's Markdown, or JSON
  --baseline <file.json>  a previous '--format json' output (main's): show each stack's change
  --prices auto|snapshot|api    auto (default): the Price List API when AWS credentials are set,
                          else the committed snapshot; api fails without credentials
  --out <file>            write there instead of stdout
  -h, --help              this text

Example:
  npm run synth && npm run cost -- --stack tracker-staging
`;

/** What the command needs from the outside world (tests replace every part). */
export interface CostDependencies {
  readonly pricingClient: () => PricingClient;
  readonly hasCredentials: boolean;
  readonly snapshot: () => PriceSnapshot;
  readonly today: string;
  readonly out: (text: string) => void;
  readonly err: (line: string) => void;
  readonly writeFile: (path: string, text: string) => void;
}

/** True when the AWS SDK would find credentials in the environment (CI's OIDC role, a profile, keys). */
export function credentialsInEnvironment(env: NodeJS.ProcessEnv): boolean {
  return Boolean(
    env.AWS_ACCESS_KEY_ID || env.AWS_PROFILE || env.AWS_WEB_IDENTITY_TOKEN_FILE || env.AWS_CONTAINER_CREDENTIALS_FULL_URI || env.AWS_CONTAINER_CREDENTIALS_RELATIVE_URI,
  );
}

export interface CostReport {
  readonly priceDate: string;
  readonly priceSource: "price-list-api" | "snapshot";
  readonly stacks: readonly StackEstimate[];
  /** COST-2: each stack with an off-hours schedule, estimated with it (an assumption, stated). */
  readonly offHours?: Readonly<Record<string, OffHoursEstimate>>;
}

export async function choosePrices(mode: string, deps: CostDependencies): Promise<{ prices: PriceSnapshot; source: CostReport["priceSource"] }> {
  const snapshot = deps.snapshot();
  if (mode === "snapshot" || (mode === "auto" && !deps.hasCredentials)) return { prices: snapshot, source: "snapshot" };
  if (mode === "api" && !deps.hasCredentials) throw new UsageError("--prices api needs AWS credentials (none in the environment)");
  try {
    return { prices: await livePrices(deps.pricingClient(), snapshot, deps.today), source: "price-list-api" };
  } catch (err) {
    if (mode === "api") throw err;
    deps.err(`cost: the Price List API failed (${(err as Error).message.split("\n")[0]}); using the snapshot of ${snapshot.date}`);
    return { prices: snapshot, source: "snapshot" };
  }
}

export function costCommand(argv: readonly string[], deps: CostDependencies): Promise<number> {
  return exitCodeOf(
    "cost",
    async () => {
      const { values } = parseArgs({
        args: [...argv],
        options: {
          stack: { type: "string", multiple: true },
          "stacks-dir": { type: "string", default: join("cdktf.out", "stacks") },
          format: { type: "string", default: "text" },
          baseline: { type: "string" },
          prices: { type: "string", default: "auto" },
          out: { type: "string" },
        },
        strict: true,
      });
      const format = values.format!;
      if (!["text", "markdown", "json"].includes(format)) throw new UsageError(`--format must be text, markdown or json, not "${format}"`);
      if (!["auto", "snapshot", "api"].includes(values.prices!)) throw new UsageError(`--prices must be auto, snapshot or api, not "${values.prices}"`);
      const dir = values["stacks-dir"]!;
      if (!existsSync(dir)) throw new UsageError(`no synthesized stacks in ${dir}: run 'npm run synth' first`);
      const present = readdirSync(dir).filter((s) => existsSync(join(dir, s, "cdk.tf.json"))).sort();
      const wanted = values.stack ?? present;
      const absent = wanted.filter((s) => !present.includes(s));
      if (absent.length > 0) throw new UsageError(`no synthesized stack ${absent.join(", ")} in ${dir} (found: ${present.join(", ") || "none"})`);
      const baseline = values.baseline
        ? new Map((JSON.parse(readFileSync(values.baseline, "utf8")) as CostReport).stacks.map((s) => [s.stack, s.monthlyUsd] as const))
        : undefined;
      const { prices, source } = await choosePrices(values.prices!, deps);
      const jsons = new Map(wanted.map((stack) => [stack, JSON.parse(readFileSync(join(dir, stack, "cdk.tf.json"), "utf8"))] as const));
      const stacks = wanted.map((stack) => estimateStack(stack, jsons.get(stack), prices));
      const offHours = Object.fromEntries(
        stacks.flatMap((e) => {
          const scheduled = offHoursEstimate(jsons.get(e.stack), e, prices);
          return scheduled ? [[e.stack, scheduled] as const] : [];
        }),
      );
      const report: CostReport = { priceDate: prices.date, priceSource: source, stacks, ...(Object.keys(offHours).length > 0 ? { offHours } : {}) };
      const scheduleLines = Object.entries(offHours).map(([stack, e]) => `${format === "markdown" ? `\`${stack}\`` : stack} ${offHoursLine(e)}`);
      const text =
        format === "json"
          ? JSON.stringify(report, null, 2)
          : [format === "markdown" ? formatMarkdown(stacks, baseline) : formatText(stacks, baseline), ...scheduleLines].join(format === "markdown" ? "\n\n" : "\n");
      if (values.out) deps.writeFile(values.out, `${text}\n`);
      else deps.out(text);
      return 0;
    },
    deps.err,
    { argv, usage: COST_USAGE, out: deps.out },
  );
}
