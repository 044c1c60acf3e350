/**
 * Terraform addresses of what holds data, or what others point at, do not move. A construct ID or
 * scope that changes in a refactor gives a resource a new address, and `terraform apply` then
 * destroys the old one and creates an empty one: a log group's history, a key, a secret, the data
 * volume, an ECS service's running tasks. The addresses below are the ones in the accounts' state;
 * a deliberate move needs a `moved` block (cdktf: `resource.moveFromId(...)`) and this list updated.
 * A new service adds addresses: add them here once it is deployed (README, "Adding a service").
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { PRODUCTION, STAGING } from "../src/config/environments";
import { synthBootstrap, synthTracker, type SynthesizedStack } from "./support/synth";

const KEPT_TYPES = [
  "aws_acm_certificate", "aws_cloudwatch_log_group", "aws_ebs_volume", "aws_ecr_repository", "aws_ecs_cluster", "aws_ecs_service",
  "aws_efs_file_system", "aws_iam_openid_connect_provider", "aws_instance", "aws_kms_key", "aws_lb", "aws_network_interface",
  "aws_s3_bucket", "aws_secretsmanager_secret", "aws_service_discovery_private_dns_namespace", "aws_sns_topic", "aws_ssm_parameter", "aws_vpc",
];
const expected = JSON.parse(readFileSync("__tests__/fixtures/stable-addresses.json", "utf8")) as Record<string, string[]>;

function addresses(stack: SynthesizedStack): string[] {
  return KEPT_TYPES.flatMap((type) => Object.keys(stack.resource?.[type] ?? {}).map((name) => `${type}.${name}`)).sort();
}

describe.each([
  ["tracker-staging", () => synthTracker(STAGING)],
  ["tracker-production", () => synthTracker(PRODUCTION)],
  ["bootstrap-staging", () => synthBootstrap(STAGING)],
  ["bootstrap-production", () => synthBootstrap(PRODUCTION)],
] as const)("DB-2, EFS-1, ECS-4, CFG-1: %s keeps the addresses of what holds data", (key, synth) => {
  it("DB-2, EFS-1, ECS-4, CFG-1: no kept resource gets a new address (apply would destroy it and create an empty one)", () => {
    const actual = addresses(synth());
    const pinned = expected[key]!;
    // A new address (a new service's log group) creates something; only a missing one destroys.
    expect(pinned.filter((a) => !actual.includes(a)), "addresses apply would destroy").toEqual([]);
  });
});

it("DB-2, ECS-4, CFG-1, ECR-1: the list covers every data-bearing resource of both environments (a staging log group per service, the data volume, the keys)", () => {
  expect(expected["tracker-staging"]!.filter((a) => a.startsWith("aws_cloudwatch_log_group."))).toHaveLength(11);
  expect(expected["tracker-staging"]).toContain("aws_ebs_volume.database-host_data_7A1342FD");
  expect(expected["tracker-production"]!.filter((a) => a.startsWith("aws_secretsmanager_secret."))).toHaveLength(3);
  expect(expected["bootstrap-production"]!.filter((a) => a.startsWith("aws_ecr_repository."))).toHaveLength(8);
});
