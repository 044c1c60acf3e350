/** Environment variants the tests synthesize besides the shipped definitions. */
import { PRODUCTION } from "../../src/config/environments";
import type { EnvironmentDefinition } from "../../src/config/types";

/**
 * Production adopting the VPC its Patroni cluster lives in (PRD-2), found by tags: the VPC by its
 * Name, one subnet per tier and availability zone by `tracker:tier`.
 */
export const PRODUCTION_ADOPTED_BY_TAGS: EnvironmentDefinition = {
  ...PRODUCTION,
  network: {
    mode: "adopt",
    vpc: { tags: { Name: "patroni-production" } },
    vpcCidr: "10.20.0.0/16",
    subnets: {
      public: { tags: { "tracker:tier": "public" } },
      application: { tags: { "tracker:tier": "application" } },
      data: { tags: { "tracker:tier": "data" } },
    },
  },
  reservedCidrs: [],
};

/** What a definition may hold after a typo: any value of any type. */
export type Loose = Record<string, any>;

/**
 * A deep copy of an environment broken by `edit`, which may write values of any type (what a typo in
 * the definition does), for the validation tests.
 */
export function looseVariant(base: EnvironmentDefinition, edit: (env: Loose) => void): EnvironmentDefinition {
  const copy = structuredClone(base) as unknown as Loose;
  edit(copy);
  return copy as unknown as EnvironmentDefinition;
}
