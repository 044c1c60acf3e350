/**
 * COST-3: reading unit prices from the AWS Price List Query API (scripts/lib/prices.ts) as it answers:
 * each product a JSON string whose `terms.OnDemand.<sku.offer>.priceDimensions.<rate>` carries
 * `beginRange` and `pricePerUnit.USD` (a string); tiered products (S3, CloudWatch Logs) list several
 * dimensions, the first tier starting at "0". Messages are the ones an operator reads.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { GetProductsCommand, PricingClient } from "@aws-sdk/client-pricing";
import { mockClient } from "aws-sdk-client-mock";
import { beforeEach, describe, expect, it } from "vitest";
import { fetchPrice, livePrices, loadSnapshot, onDemandUsd, PRICE_ITEMS, refreshSnapshot, type PriceItem, type PriceSnapshot } from "../scripts/lib/prices";

const dimension = (usd: string, beginRange?: string) => ({ ...(beginRange === undefined ? {} : { beginRange }), pricePerUnit: { USD: usd } });
const product = (...dimensions: object[]) =>
  JSON.stringify({
    terms: { OnDemand: { "SKU.JRTCKXETXF": { priceDimensions: Object.fromEntries(dimensions.map((d, i) => [`SKU.JRTCKXETXF.RATE${i}`, d])) } } },
  });

const pricing = mockClient(PricingClient);
beforeEach(() => pricing.reset());
const client = new PricingClient({ region: "us-east-1", credentials: { accessKeyId: "test", secretAccessKey: "test" } });

const NAT: PriceItem = { key: "nat-gateway.hour", unit: "per hour", query: { serviceCode: "AmazonEC2", filters: { usagetype: "EUC1-NatGateway-Hours" } } };

describe("COST-3: the on-demand price of one product", () => {
  it("the first tier (beginRange 0), wherever it is listed; without beginRange a dimension counts as the first", () => {
    expect(onDemandUsd(product(dimension("0.0300000000", "51200"), dimension("0.0450000000", "0")))).toBe(0.045);
    expect(onDemandUsd(product(dimension("0.0230000000")))).toBe(0.023);
    expect(onDemandUsd(product(dimension("0.0200000000", "1000"), dimension("0.0100000000", "5000")))).toBe(0.02);
    expect(onDemandUsd(product(dimension("0.0200000000", "1000"), dimension("0.0300000000")))).toBe(0.03);
  });

  it("a term without a number moves on to the next; a product without one gives nothing", () => {
    const twoTerms = JSON.stringify({
      terms: {
        OnDemand: {
          A: { priceDimensions: { r: { beginRange: "0", pricePerUnit: { CNY: "1.0" } } } },
          B: { priceDimensions: { r: { beginRange: "0", pricePerUnit: { USD: "n/a" } } } },
          C: { priceDimensions: { r: { beginRange: "0", pricePerUnit: { USD: "0.0120000000" } } } },
        },
      },
    });
    expect(onDemandUsd(twoTerms)).toBe(0.012);
    const noPrice = JSON.stringify({ terms: { OnDemand: { A: { priceDimensions: { r: { beginRange: "0" } } }, B: { priceDimensions: { r: { beginRange: "0", pricePerUnit: { USD: "0.5" } } } } } } });
    expect(onDemandUsd(noPrice)).toBe(0.5);
    expect(onDemandUsd(JSON.stringify({ terms: { OnDemand: { A: {} } } }))).toBeUndefined();
    expect(onDemandUsd(JSON.stringify({ terms: { Reserved: {} } }))).toBeUndefined();
    expect(onDemandUsd("{}")).toBeUndefined();
  });
});

describe("COST-3: one price from GetProducts", () => {
  it("asks with TERM_MATCH filters and at most 10 products; the same price from several products is one price", async () => {
    pricing.on(GetProductsCommand).resolves({ PriceList: [product(dimension("0.0520000000", "0")), product(dimension("0.052", "0"))] });
    expect(await fetchPrice(client, NAT)).toBe(0.052);
    expect(pricing.commandCalls(GetProductsCommand)[0]!.args[0].input).toEqual({
      ServiceCode: "AmazonEC2",
      Filters: [{ Type: "TERM_MATCH", Field: "usagetype", Value: "EUC1-NatGateway-Hours" }],
      MaxResults: 10,
    });
  });

  it("a product given as an object rather than a JSON string is read too", async () => {
    pricing.on(GetProductsCommand).resolves({ PriceList: [JSON.parse(product(dimension("0.045", "0")))] });
    expect(await fetchPrice(client, NAT)).toBe(0.045);
  });

  it("the errors name the price and what matched", async () => {
    await expect(fetchPrice(client, { key: "fargate-spot.arm.gb-hour", unit: "per GB-hour" })).rejects.toThrow("fargate-spot.arm.gb-hour: not in the Price List API");
    pricing.on(GetProductsCommand).resolves({ PriceList: [JSON.stringify({ terms: {} })] });
    await expect(fetchPrice(client, NAT)).rejects.toThrow("nat-gateway.hour: no on-demand price among 1 product(s) of AmazonEC2");
    pricing.reset();
    pricing.on(GetProductsCommand).resolves({});
    await expect(fetchPrice(client, NAT)).rejects.toThrow("nat-gateway.hour: no on-demand price among 0 product(s) of AmazonEC2");
    pricing.reset();
    pricing.on(GetProductsCommand).resolves({ PriceList: [product(dimension("0.045", "0")), product(dimension("0.05", "0"))] });
    await expect(fetchPrice(client, NAT)).rejects.toThrow(
      "nat-gateway.hour: 2 different prices matched (0.045, 0.05); the filters are not specific enough",
    );
  });
});

describe("COST-3: snapshots", () => {
  const previous: PriceSnapshot = {
    region: "eu-central-1",
    currency: "USD",
    date: "2026-01-01",
    prices: Object.fromEntries(PRICE_ITEMS.map((i) => [i.key, { usd: 9, unit: i.unit, source: i.query ? "price-list-api" : "Fargate pricing page (Spot)" }])),
  };
  const handKept = PRICE_ITEMS.filter((i) => !i.query).map((i) => i.key);

  it("a refresh is dated and complete: every API price read fresh, the hand-kept ones carried over", async () => {
    pricing.on(GetProductsCommand).resolves({ PriceList: [product(dimension("0.5", "0"))] });
    const fresh = await refreshSnapshot(client, previous, "2027-02-03");
    expect({ region: fresh.region, currency: fresh.currency, date: fresh.date }).toEqual({ region: "eu-central-1", currency: "USD", date: "2027-02-03" });
    expect(Object.keys(fresh.prices)).toEqual(PRICE_ITEMS.map((i) => i.key));
    expect(fresh.prices["alb.hour"]).toEqual({ usd: 0.5, unit: "per hour", source: "price-list-api" });
    for (const key of handKept) expect(fresh.prices[key]).toEqual(previous.prices[key]);
  });

  it("a hand-kept price the previous snapshot lacks is a failure; all failures are listed in one error", async () => {
    pricing.on(GetProductsCommand).resolves({ PriceList: [product(dimension("0.5", "0"))] });
    pricing.on(GetProductsCommand, { ServiceCode: "awswaf" }).resolves({ PriceList: [] });
    const { [handKept[0]!]: _dropped, ...rest } = previous.prices;
    const error = await refreshSnapshot(client, { ...previous, prices: rest }, "2027-02-03").catch((e: Error) => e);
    expect((error as Error).message).toBe(
      [
        "prices: 4 price(s) could not be read:",
        `  ${handKept[0]}: not in the Price List API and not in the previous snapshot`,
        "  waf.web-acl.month: no on-demand price among 0 product(s) of awswaf",
        "  waf.rule.month: no on-demand price among 0 product(s) of awswaf",
        "  waf.million-requests: no on-demand price among 0 product(s) of awswaf",
      ].join("\n"),
    );
  });

  it("live prices replace the snapshot's API prices and keep its hand-kept ones; the first failure stops it, named", async () => {
    pricing.on(GetProductsCommand).resolves({ PriceList: [product(dimension("0.25", "0"))] });
    const live = await livePrices(client, previous, "2027-02-03");
    expect(live.date).toBe("2027-02-03");
    expect(live.region).toBe("eu-central-1");
    expect(live.currency).toBe("USD");
    expect(live.prices["nat-gateway.hour"]).toEqual({ usd: 0.25, unit: "per hour", source: "price-list-api" });
    for (const key of handKept) expect(live.prices[key]).toEqual(previous.prices[key]);

    pricing.reset();
    pricing.on(GetProductsCommand).rejects(new Error("AccessDeniedException: not authorized to perform pricing:GetProducts"));
    await expect(livePrices(client, previous, "2027-02-03")).rejects.toThrow(
      `${PRICE_ITEMS[0]!.key}: AccessDeniedException: not authorized to perform pricing:GetProducts`,
    );
    expect(pricing.commandCalls(GetProductsCommand)).toHaveLength(1);
  });

  it("a snapshot file that lacks prices is refused, naming the file, the prices and the command that fixes it", () => {
    const dir = mkdtempSync(join(tmpdir(), "prices-"));
    const file = join(dir, "prices.json");
    const { ["alb.hour"]: _alb, ["kms.key.month"]: _kms, ...rest } = previous.prices;
    writeFileSync(file, JSON.stringify({ ...previous, prices: { ...rest, "kms.key.month": { usd: "1", unit: "x", source: "y" } } }));
    expect(() => loadSnapshot(file)).toThrow(`price snapshot ${file} lacks alb.hour, kms.key.month: run npm run prices`);
    writeFileSync(file, JSON.stringify(previous));
    expect(loadSnapshot(file)).toEqual(previous);
  });
});
