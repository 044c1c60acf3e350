/**
 * COST-3: the monthly cost estimate of a synthesized stack. A small fixture stack is priced with a
 * fixed price list and pinned to the figure computed by hand below; the Price List API path is
 * exercised with a mocked client; the command's formats, baseline and failure paths run for real.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { GetProductsCommand, PricingClient } from "@aws-sdk/client-pricing";
import { mockClient } from "aws-sdk-client-mock";
import { beforeEach, describe, expect, it } from "vitest";
import { costCommand, credentialsInEnvironment, type CostDependencies, type CostReport } from "../scripts/lib/cost-command";
import { capacityShares, estimateStack, FREE_TYPES } from "../scripts/lib/cost-estimate";
import { loadSnapshot, PRICE_ITEMS, refreshSnapshot, type PriceSnapshot } from "../scripts/lib/prices";
import { environment, resources, synthTracker } from "./support/synth";

/** eu-central-1 list prices (USD) as a reviewer reads them off the AWS pricing pages. */
const PRICES: PriceSnapshot = {
  region: "eu-central-1",
  currency: "USD",
  date: "2026-11-29",
  prices: Object.fromEntries(
    Object.entries({
      "fargate.arm.vcpu-hour": 0.03725,
      "fargate.arm.gb-hour": 0.00409,
      "fargate.x86.vcpu-hour": 0.04656,
      "fargate.x86.gb-hour": 0.00511,
      "fargate-spot.arm.vcpu-hour": 0.01207,
      "fargate-spot.arm.gb-hour": 0.00133,
      "fargate.ephemeral-storage.gb-hour": 0.000122,
      "cloudmap.instance.month": 0.1,
      "nat-gateway.hour": 0.052,
      "nat-gateway.gb": 0.052,
      "public-ipv4.hour": 0.005,
      "alb.hour": 0.027,
      "alb.lcu-hour": 0.008,
      "logs.ingest.gb": 0.63,
      "logs.storage.gb-month": 0.0324,
      "ec2.t4g.small.hour": 0.0192,
      "ebs.gp3.gb-month": 0.0952,
      "ebs.snapshot.gb-month": 0.054,
      "cloudwatch.metric.month": 0.3,
      "ec2.detailed-monitoring.metric-month": 0.3,
    }).map(([key, usd]) => [key, { usd, unit: "-", source: "test" }]),
  ),
};

const ref = (address: string, attribute: string) => `\${${address}.${attribute}}`;

/** A stack small enough to price by hand. */
const FIXTURE = {
  resource: {
    aws_ecs_cluster: { c: { name: "c", setting: [{ name: "containerInsights", value: "disabled" }] } },
    aws_ecs_task_definition: { t: { cpu: "512", memory: "1024", runtime_platform: { cpu_architecture: "ARM64" } } },
    aws_ecs_service: {
      s: {
        cluster: ref("aws_ecs_cluster.c", "arn"),
        task_definition: ref("aws_ecs_task_definition.t", "arn"),
        desired_count: 2,
        capacity_provider_strategy: [
          { capacity_provider: "FARGATE", base: 1, weight: 0 },
          { capacity_provider: "FARGATE_SPOT", weight: 1 },
        ],
        service_registries: { registry_arn: "x" },
      },
    },
    aws_nat_gateway: { n: { allocation_id: ref("aws_eip.e", "id") } },
    aws_eip: { e: { domain: "vpc" } },
    aws_lb: { alb: { load_balancer_type: "application", internal: false, subnets: ["a", "b"] } },
    aws_cloudwatch_log_group: { l: { retention_in_days: 30 } },
    aws_instance: { i: { instance_type: "t4g.small", monitoring: false, root_block_device: { volume_size: 20, volume_type: "gp3" } } },
    aws_ebs_volume: { v: { size: 50, type: "gp3", tags: { "tracker:snapshots": "tracker-fixture-data" } } },
    aws_dlm_lifecycle_policy: { d: { policy_details: [{ target_tags: { "tracker:snapshots": "tracker-fixture-data" } }] } },
    aws_security_group: { sg: {} },
    aws_memorydb_cluster: { m: {} },
  },
};

describe("COST-3: the estimate of a fixture stack, computed by hand", () => {
  const estimate = estimateStack("fixture", FIXTURE, PRICES);
  const line = (address: string) => estimate.lines.find((l) => l.address === address)!.monthlyUsd;

  it("a service of 2 ARM tasks, 0.5 vCPU / 1 GB, base 1 on FARGATE and the rest on FARGATE_SPOT, with Cloud Map", () => {
    // on demand: (0.5 x 0.03725 + 1 x 0.00409) x 730 = 16.58195; Spot: (0.5 x 0.01207 + 1 x 0.00133) x 730 = 5.37645;
    // Cloud Map: 2 x 0.10
    expect(line("aws_ecs_service.s")).toBeCloseTo(22.1584, 4);
  });

  it("the NAT gateway: 730 h x 0.052 + 20 GB x 0.052; its address: 730 h x 0.005", () => {
    expect(line("aws_nat_gateway.n")).toBeCloseTo(39.0, 4);
    expect(line("aws_eip.e")).toBeCloseTo(3.65, 4);
  });

  it("the ALB: 730 h x (0.027 + 1 LCU x 0.008) + two public addresses", () => {
    expect(line("aws_lb.alb")).toBeCloseTo(19.71 + 5.84 + 7.3, 4);
  });

  it("a log group of 30 days: 2 GB x 0.63 ingested + 0.3 GB stored x 0.0324", () => {
    expect(line("aws_cloudwatch_log_group.l")).toBeCloseTo(1.26972, 4);
  });

  it("a t4g.small with a 20 GB gp3 root volume; a 50 GB gp3 volume with 10 GB of DLM snapshots", () => {
    expect(line("aws_instance.i")).toBeCloseTo(14.016 + 1.904, 4);
    expect(line("aws_ebs_volume.v")).toBeCloseTo(4.76 + 0.54, 4);
  });

  it("the total is $120.15, and the type it cannot price is listed, not dropped", () => {
    expect(estimate.monthlyUsd).toBe(120.15);
    expect(estimate.unpriced).toEqual([{ address: "aws_memorydb_cluster.m", type: "aws_memorydb_cluster", reason: "resource type not modelled" }]);
    // Free types cost nothing and are not reported as unpriced.
    expect(estimate.lines.find((l) => l.address === "aws_security_group.sg")).toBeUndefined();
    expect(estimate.unpriced.find((u) => u.type === "aws_security_group")).toBeUndefined();
  });

  it("a service without its task definition, or an instance type without a price, is unpriced with the reason", () => {
    const broken = estimateStack(
      "broken",
      { resource: { aws_ecs_service: { s: { task_definition: "arn:aws:ecs:...:task-definition/x:1", desired_count: 1 } }, aws_instance: { i: { instance_type: "m7g.large" } } } },
      PRICES,
    );
    expect(broken.unpriced.map((u) => u.reason)).toEqual(["its task definition is not in this stack", "no price for instance type m7g.large"]);
    expect(broken.monthlyUsd).toBe(0);
  });
});

describe("COST-3: capacity provider shares", () => {
  const none = () => [];
  it("base first, then by weight; the launch type alone is all on-demand; else the cluster's default", () => {
    expect(Object.fromEntries(capacityShares({ capacity_provider_strategy: [{ capacity_provider: "FARGATE", base: 1, weight: 1 }, { capacity_provider: "FARGATE_SPOT", weight: 3 }] }, 5, none))).toEqual({ FARGATE: 2, FARGATE_SPOT: 3 });
    expect(Object.fromEntries(capacityShares({ launch_type: "FARGATE" }, 3, none))).toEqual({ FARGATE: 3 });
    // Nothing said at all: on-demand Fargate. A base that takes every task leaves the weights nothing to share.
    expect(Object.fromEntries(capacityShares({}, 2, none))).toEqual({ FARGATE: 2 });
    expect(Object.fromEntries(capacityShares({ capacity_provider_strategy: [{ capacity_provider: "FARGATE", base: 2 }] }, 2, none))).toEqual({ FARGATE: 2 });
    // The launch type wins over the cluster's default strategy.
    expect(Object.fromEntries(capacityShares({ launch_type: "EC2", cluster: "${aws_ecs_cluster.c.arn}" }, 2, () => [{ capacity_provider: "FARGATE_SPOT", weight: 1 }]))).toEqual({ EC2: 2 });
    expect(Object.fromEntries(capacityShares({ cluster: "${aws_ecs_cluster.c.arn}" }, 2, (c) => (c === "aws_ecs_cluster.c" ? [{ capacity_provider: "FARGATE_SPOT", weight: 1 }] : [])))).toEqual({ FARGATE_SPOT: 2 });
  });
});

describe("COST-3: every resource type of the synthesized stacks is priced or known to be free", () => {
  it.each(["staging", "production"] as const)("tracker-%s has nothing unpriced with the committed prices", (name) => {
    const estimate = estimateStack(`tracker-${name}`, synthTracker(environment(name)), loadSnapshot());
    expect(estimate.unpriced).toEqual([]);
    expect(estimate.monthlyUsd).toBeGreaterThan(50);
  });

  it("the free-type list gives a reason for each entry", () => {
    for (const [type, reason] of Object.entries(FREE_TYPES)) expect(reason.length, type).toBeGreaterThan(5);
  });
});

describe("COST-3: the committed price snapshot", () => {
  it("holds exactly the prices the estimator needs, with its date and where each came from", () => {
    const snapshot = loadSnapshot();
    expect(snapshot.region).toBe("eu-central-1");
    expect(snapshot.date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(Object.keys(snapshot.prices).sort()).toEqual(PRICE_ITEMS.map((i) => i.key).sort());
    for (const entry of Object.values(snapshot.prices)) expect(entry.source.length).toBeGreaterThan(3);
    // Spot is not a Price List product: the snapshot says so for each Spot price.
    for (const item of PRICE_ITEMS.filter((i) => !i.query)) expect(snapshot.prices[item.key]!.source).toMatch(/Spot/);
  });
});

/** A Price List product as GetProducts returns it (a JSON string per product). */
const product = (usd: string) =>
  JSON.stringify({ terms: { OnDemand: { "X.JRTCKXETXF": { priceDimensions: { "X.JRTCKXETXF.6YS6EN2CT7": { beginRange: "0", pricePerUnit: { USD: usd } } } } } } });

describe("COST-3: prices from the AWS Price List Query API", () => {
  const pricing = mockClient(PricingClient);
  beforeEach(() => pricing.reset());
  const previous = loadSnapshot();

  it("reads each API-backed price with TERM_MATCH filters, and keeps the hand-kept Spot prices", async () => {
    pricing.on(GetProductsCommand).resolves({ PriceList: [product("0.0520000000")] });
    pricing.on(GetProductsCommand, { ServiceCode: "AmazonEC2", Filters: [{ Type: "TERM_MATCH", Field: "usagetype", Value: "EUC1-NatGateway-Hours" }] }).resolves({ PriceList: [product("0.0450000000")] });
    const fresh = await refreshSnapshot(new PricingClient({}), previous, "2027-01-02");
    expect(fresh.date).toBe("2027-01-02");
    expect(fresh.prices["nat-gateway.hour"]).toEqual({ usd: 0.045, unit: "per hour", source: "price-list-api" });
    expect(fresh.prices["fargate-spot.arm.vcpu-hour"]).toEqual(previous.prices["fargate-spot.arm.vcpu-hour"]);
    const ec2 = pricing.commandCalls(GetProductsCommand).find((c) => c.args[0].input.Filters?.some((f) => f.Field === "instanceType" && f.Value === "t4g.large"));
    expect(ec2?.args[0].input.Filters).toEqual(
      expect.arrayContaining([
        { Type: "TERM_MATCH", Field: "regionCode", Value: "eu-central-1" },
        { Type: "TERM_MATCH", Field: "operatingSystem", Value: "Linux" },
        { Type: "TERM_MATCH", Field: "tenancy", Value: "Shared" },
      ]),
    );
  });

  it("refuses to write a partial snapshot: a price with no product, or ambiguous products, fails naming it", async () => {
    pricing.on(GetProductsCommand).resolves({ PriceList: [product("1.0")] });
    pricing.on(GetProductsCommand, { ServiceCode: "AWSELB" }).resolves({ PriceList: [] });
    pricing.on(GetProductsCommand, { ServiceCode: "awskms" }).resolves({ PriceList: [product("1.0"), product("0.03")] });
    await expect(refreshSnapshot(new PricingClient({}), previous, "2027-01-02")).rejects.toThrow(
      /alb\.hour: no on-demand price among 0 product\(s\) of AWSELB[\s\S]*kms\.key\.month: 2 different prices matched/,
    );
  });
});

describe("COST-3: npm run cost", () => {
  const dir = mkdtempSync(join(tmpdir(), "cost-"));
  for (const [stack, json] of Object.entries({ small: FIXTURE, empty: { resource: {} } })) {
    mkdirSync(join(dir, stack), { recursive: true });
    writeFileSync(join(dir, stack, "cdk.tf.json"), JSON.stringify(json));
  }
  const pricing = mockClient(PricingClient);
  beforeEach(() => pricing.reset());

  const run = async (argv: string[], overrides: Partial<CostDependencies> = {}) => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await costCommand(argv, {
      pricingClient: () => new PricingClient({}),
      hasCredentials: false,
      snapshot: () => PRICES,
      today: "2026-12-01",
      out: (t) => out.push(t),
      err: (l) => err.push(l),
      writeFile: () => undefined,
      ...overrides,
    });
    return { code, out: out.join("\n"), err: err.join("\n") };
  };

  it("without credentials it prices from the snapshot and prints one block per stack", async () => {
    const r = await run(["--stacks-dir", dir]);
    expect(r.code).toBe(0);
    expect(r.out).toContain("small: $120.15 a month, prices of 2026-11-29");
    expect(r.out).toContain("empty: $0.00 a month");
    expect(r.out).toContain("NOT PRICED aws_memorydb_cluster.m: resource type not modelled");
    expect(pricing.commandCalls(GetProductsCommand)).toHaveLength(0);
  });

  it("the pull-request Markdown shows each stack's change against main's JSON", async () => {
    const baseline = join(dir, "main.json");
    const main: CostReport = { priceDate: "2026-11-29", priceSource: "snapshot", stacks: [{ stack: "small", monthlyUsd: 100, lines: [], unpriced: [], priceDate: "2026-11-29" }] };
    writeFileSync(baseline, JSON.stringify(main));
    const r = await run(["--stacks-dir", dir, "--format", "markdown", "--baseline", baseline]);
    expect(r.out).toContain("| Stack | Monthly estimate | Change against main |");
    expect(r.out).toContain("| `small` | $120.15 | +$20.15 |");
    expect(r.out).toContain("| `empty` | $0.00 | new |");
    expect(r.out).toContain("Not priced: `aws_memorydb_cluster.m` (resource type not modelled)");
  });

  it("with credentials it reads the Price List API; when the API fails it says so and uses the snapshot", async () => {
    pricing.on(GetProductsCommand).rejects(new Error("AccessDeniedException: not authorized to perform pricing:GetProducts"));
    const r = await run(["--stacks-dir", dir, "--stack", "small", "--format", "json"], { hasCredentials: true });
    expect(r.code).toBe(0);
    expect(r.err).toMatch(/^cost: the Price List API failed \(.*AccessDeniedException.*\); using the snapshot of 2026-11-29$/);
    expect((JSON.parse(r.out) as CostReport).priceSource).toBe("snapshot");
    expect(pricing.commandCalls(GetProductsCommand).length).toBeGreaterThan(0);
  });

  it("with credentials and a working API the estimate uses today's API prices", async () => {
    pricing.on(GetProductsCommand).resolves({ PriceList: [product("0.01")] });
    const r = await run(["--stacks-dir", dir, "--stack", "small", "--format", "json"], { hasCredentials: true });
    const report = JSON.parse(r.out) as CostReport;
    expect(report.priceSource).toBe("price-list-api");
    expect(report.priceDate).toBe("2026-12-01");
    // The NAT gateway now costs 730 h x 0.01 + 20 GB x 0.01.
    expect(report.stacks[0]!.lines.find((l) => l.address === "aws_nat_gateway.n")!.monthlyUsd).toBeCloseTo(7.5, 6);
  });

  it("--prices api without credentials, an unknown stack, or no synthesized stacks are usage errors (exit 2)", async () => {
    expect((await run(["--stacks-dir", dir, "--prices", "api"])).err).toContain("--prices api needs AWS credentials");
    const unknown = await run(["--stacks-dir", dir, "--stack", "tracker-staging"]);
    expect(unknown.code).toBe(2);
    expect(unknown.err).toContain("cost: no synthesized stack tracker-staging in");
    const none = await run(["--stacks-dir", join(dir, "nowhere")]);
    expect(none.code).toBe(2);
    expect(none.err).toContain("run 'npm run synth' first");
  });

  it("the full usage messages for a bad --format or --prices, and a stacks folder with none in it", async () => {
    expect(await run(["--stacks-dir", dir, "--format", "html"])).toMatchObject({
      code: 2,
      err: "cost: --format must be text, markdown or json, not \"html\"\ncost: see 'cost --help' for the options",
    });
    expect((await run(["--stacks-dir", dir, "--prices", "cheap"])).err).toContain('cost: --prices must be auto, snapshot or api, not "cheap"');
    const empty = mkdtempSync(join(tmpdir(), "cost-empty-"));
    expect((await run(["--stacks-dir", empty, "--stack", "small"])).err).toContain(`cost: no synthesized stack small in ${empty} (found: none)`);
    expect((await run(["--stacks-dir", dir, "--stack", "x", "--stack", "y"])).err).toContain(`cost: no synthesized stack x, y in ${dir} (found: empty, small)`);
  });

  it("--prices snapshot never calls the API, even with credentials; --prices api with a failing API fails (exit 1)", async () => {
    pricing.on(GetProductsCommand).resolves({ PriceList: [product("0.01")] });
    const snap = await run(["--stacks-dir", dir, "--stack", "small", "--format", "json", "--prices", "snapshot"], { hasCredentials: true });
    expect((JSON.parse(snap.out) as CostReport).priceSource).toBe("snapshot");
    expect(pricing.commandCalls(GetProductsCommand)).toHaveLength(0);
    pricing.reset();
    pricing.on(GetProductsCommand).rejects(new Error("ThrottlingException: Rate exceeded"));
    const api = await run(["--stacks-dir", dir, "--stack", "small", "--prices", "api"], { hasCredentials: true });
    expect(api.code).toBe(1);
    expect(api.err).toMatch(/^cost: fargate\.x86\.vcpu-hour: ThrottlingException: Rate exceeded$/);
  });

  it("--out writes the report with a final newline instead of printing it; JSON holds the price date and source, no off-hours without a schedule", async () => {
    const written: [string, string][] = [];
    const r = await run(["--stacks-dir", dir, "--stack", "empty", "--format", "json", "--out", "report.json"], { writeFile: (p, t) => written.push([p, t]) });
    expect(r).toEqual({ code: 0, out: "", err: "" });
    expect(written).toHaveLength(1);
    expect(written[0]![0]).toBe("report.json");
    expect(written[0]![1].endsWith("}\n")).toBe(true);
    expect(JSON.parse(written[0]![1])).toEqual({
      priceDate: "2026-11-29",
      priceSource: "snapshot",
      stacks: [{ stack: "empty", monthlyUsd: 0, lines: [], unpriced: [], priceDate: "2026-11-29" }],
    });
  });

  it("an unknown option is a usage error; stacks are listed in name order whatever order the folder gives them", async () => {
    expect(await run(["--stacks-dir", dir, "--bogus"])).toMatchObject({ code: 2, err: expect.stringMatching(/^cost: Unknown option '--bogus'/) });
    const many = mkdtempSync(join(tmpdir(), "cost-many-"));
    const names = ["tracker-staging", "b-stack", "zeta", "alpha", "tracker-bootstrap-production", "m", "tracker-production", "c"];
    for (const name of names) {
      mkdirSync(join(many, name));
      writeFileSync(join(many, name, "cdk.tf.json"), JSON.stringify({ resource: {} }));
    }
    mkdirSync(join(many, "not-a-stack"));
    expect((await run(["--stacks-dir", many, "--stack", "x"])).err).toContain(
      `(found: alpha, b-stack, c, m, tracker-bootstrap-production, tracker-production, tracker-staging, zeta)`,
    );
    const text = (await run(["--stacks-dir", many])).out;
    expect([...text.matchAll(/^(\S+): \$/gm)].map((m) => m[1])).toEqual([...names].sort());
  });

  it("credentials are present when any source the AWS SDK reads is set", () => {
    expect(credentialsInEnvironment({})).toBe(false);
    expect(credentialsInEnvironment({ AWS_REGION: "eu-central-1", AWS_SECRET_ACCESS_KEY: "x" })).toBe(false);
    for (const name of ["AWS_ACCESS_KEY_ID", "AWS_PROFILE", "AWS_WEB_IDENTITY_TOKEN_FILE", "AWS_CONTAINER_CREDENTIALS_FULL_URI", "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI"]) {
      expect(credentialsInEnvironment({ [name]: "x" }), name).toBe(true);
      expect(credentialsInEnvironment({ [name]: "" }), name).toBe(false);
    }
  });

  it("COST-2: a stack with an off-hours schedule gets its scheduled estimate too, in each format", async () => {
    const scheduledDir = mkdtempSync(join(tmpdir(), "cost-scheduled-"));
    mkdirSync(join(scheduledDir, "scheduled"));
    const scheduled = {
      resource: {
        ...FIXTURE.resource,
        aws_appautoscaling_target: { s: { resource_id: "service/${aws_ecs_cluster.c.name}/${aws_ecs_service.s.name}" } },
        aws_appautoscaling_scheduled_action: {
          stop: { resource_id: "${aws_appautoscaling_target.s.resource_id}", schedule: "cron(0 20 ? * MON-FRI *)", scalable_target_action: { min_capacity: "0", max_capacity: "0" } },
          start: { resource_id: "${aws_appautoscaling_target.s.resource_id}", schedule: "cron(0 7 ? * MON-FRI *)", scalable_target_action: { min_capacity: "2", max_capacity: "2" } },
        },
      },
    };
    writeFileSync(join(scheduledDir, "scheduled", "cdk.tf.json"), JSON.stringify(scheduled));
    // The service line (22.1584) runs 65 h of each 168: 22.1584 x (1 - 282.4405/730) = 13.5852 saved of 120.15.
    const line = "with the off-hours schedule (COST-2): $106.56 a month ($13.59 less; services 282 h of 730 h, assuming no public holidays or on-demand wakes)";
    const text = await run(["--stacks-dir", scheduledDir]);
    expect(text.out.split("\n").at(-1)).toBe(`scheduled ${line}`);
    const markdown = await run(["--stacks-dir", scheduledDir, "--format", "markdown"]);
    expect(markdown.out.endsWith(`</details>\n\n\`scheduled\` ${line}`)).toBe(true);
    const json = JSON.parse((await run(["--stacks-dir", scheduledDir, "--format", "json"])).out) as CostReport;
    expect(json.offHours?.["scheduled"]?.serviceHours).toBeCloseTo(282.44, 2);
  });
});

describe("COST-1: staging at no more than $130 a month, always on", () => {
  it("COST-1: npm run cost's estimate of tracker-staging with the default assumptions and committed prices is at most $130", () => {
    const estimate = estimateStack("tracker-staging", synthTracker(environment("staging")), loadSnapshot());
    expect(estimate.unpriced).toEqual([]);
    expect(estimate.monthlyUsd).toBeLessThanOrEqual(130);
  });

  it("COST-1: the levers are the environment definition's (Spot, NAT instance, no Container Insights), production keeps its resilience", () => {
    const staging = synthTracker(environment("staging"));
    const production = synthTracker(environment("production"));
    expect(resources(staging, "aws_nat_gateway")).toHaveLength(0);
    expect(resources(production, "aws_nat_gateway")).toHaveLength(3);
    for (const [, s] of resources(staging, "aws_ecs_service")) expect(s["capacity_provider_strategy"]).toEqual([{ capacity_provider: "FARGATE_SPOT", weight: 1, base: 0 }]);
    for (const [, s] of resources(production, "aws_ecs_service")) expect(s["capacity_provider_strategy"]).toEqual([{ capacity_provider: "FARGATE", weight: 1, base: 0 }]);
  });
});
